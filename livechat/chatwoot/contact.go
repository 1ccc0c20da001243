package chatwoot

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// e164 is the phone format Chatwoot accepts: a plus, then up to 15 digits.
var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// phoneNumber returns a phone in E.164 once spaces, dots, dashes and
// brackets are dropped, or "" when it is not one: Chatwoot refuses the
// whole contact for a phone it does not accept.
func phoneNumber(s string) string {
	p := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" .-()\u00a0", r) {
			return -1
		}
		return r
	}, s)
	if strings.HasPrefix(p, "00") {
		p = "+" + p[2:]
	}
	if !e164.MatchString(p) {
		return ""
	}
	return p
}

// maxSearchPages bounds a contact search: 15 contacts a page.
const maxSearchPages = 20

// findContact returns the id of the contact whose field (identifier, email
// or phone_number) is exactly value, or 0. Chatwoot's search matches parts
// of names, emails, phones and identifiers, so the results are compared.
func (c *Client) findContact(ctx context.Context, a account, field, value string) (int64, error) {
	for page := 1; page <= maxSearchPages; page++ {
		var found list[Contact]
		q := url.Values{"q": {value}, "page": {strconv.Itoa(page)}}
		if err := c.do(ctx, a, call{Op: "search contacts", Method: http.MethodGet, Path: a.path("/contacts/search"), Query: q, Out: &found}); err != nil {
			return 0, err
		}
		for _, ct := range found.Payload {
			got := map[string]string{"identifier": ct.Identifier, "email": ct.Email, "phone_number": ct.PhoneNumber}[field]
			if got == value || field == "email" && strings.EqualFold(got, value) {
				return ct.ID, nil
			}
		}
		if len(found.Payload) == 0 {
			break
		}
	}
	return 0, nil
}

// contactFor finds the user's contact by switchboard's user key, then by
// email, then by phone, and creates it only when none exists: the same user
// is one contact. Creating answers 422 when another process made it in
// between, or when Chatwoot refuses a field; the look-ups run again, then
// the contact is made without its phone.
func (c *Client) contactFor(ctx context.Context, a account, s switchboard.Session, u livechat.UserInfo, botName string, channel switchboard.ChannelType) (int64, error) {
	key := livechat.UserKey(s.Client)
	phone := phoneNumber(u.Phone)
	lookups := [][2]string{{"identifier", key}, {"email", u.Email}, {"phone_number", phone}}
	find := func() (int64, error) {
		for _, l := range lookups {
			if l[1] == "" {
				continue
			}
			if id, err := c.findContact(ctx, a, l[0], l[1]); err != nil || id != 0 {
				return id, err
			}
		}
		return 0, nil
	}
	if id, err := find(); err != nil || id != 0 {
		return id, err
	}
	attrs := map[string]any{"switchboard": map[string]any{"bot": botName, "channel": string(channel), "user_id": s.Client.UserID}}
	for k, v := range u.Meta {
		if k != "switchboard" {
			attrs[k] = v
		}
	}
	in := map[string]any{"inbox_id": a.inbox, "name": u.Label(s.Client.UserID), "identifier": key, "additional_attributes": attrs}
	if u.Email != "" {
		in["email"] = u.Email
	}
	if phone != "" {
		in["phone_number"] = phone
	}
	for {
		var out struct {
			Payload struct {
				Contact Contact `json:"contact"`
			} `json:"payload"`
		}
		err := c.do(ctx, a, call{Op: "create contact", Method: http.MethodPost, Path: a.path("/contacts"), Body: in, Out: &out})
		if driverkit.StatusOf(err) == http.StatusUnprocessableEntity {
			if id, ferr := find(); ferr != nil || id != 0 {
				return id, ferr
			}
			if _, ok := in["phone_number"]; ok {
				delete(in, "phone_number")
				continue
			}
		}
		if err != nil {
			return 0, err
		}
		if out.Payload.Contact.ID == 0 {
			return 0, livechat.Permanent(errorf("create contact: the answer has no contact id"))
		}
		return out.Payload.Contact.ID, nil
	}
}
