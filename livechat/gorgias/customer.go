package gorgias

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// findCustomer returns the id of the first customer matching one filter
// (external_id or email), or 0.
func (c *Client) findCustomer(ctx context.Context, a account, field, value string) (int64, error) {
	var p page[Customer]
	err := c.do(ctx, a, call{Op: "find customer by " + field, Method: http.MethodGet, Path: "/customers",
		Query: url.Values{field: {value}, "limit": {"1"}}, Out: &p})
	if err != nil || len(p.Data) == 0 {
		return 0, err
	}
	return p.Data[0].ID, nil
}

// newCustomer is the customer of a user switchboard creates, with what
// agents see: the name, the email and phone as channels, the metadata in the
// note and in data (switchboard's own ids under data.switchboard).
//
// Gorgias requires channels when a customer is created
// (https://developers.gorgias.com/reference/create-customer): a user with
// neither email nor phone, the anonymous user of a chat page, gets a chat
// channel whose address is switchboard's user key, which names nobody
// outside switchboard and reaches nobody.
func newCustomer(key, userID string, u livechat.UserInfo, botName string, channel switchboard.ChannelType) Customer {
	data := userData(u)
	data["switchboard"] = map[string]any{"bot": botName, "channel": string(channel), "user_id": userID}
	note := fmt.Sprintf("Chat user of %s (%s).", botLabel(botName), channel)
	if lines := metadataLines(u); lines != "" {
		note += "\n" + lines
	}
	c := Customer{Name: u.Label(userID), Firstname: u.First, Lastname: u.Last, Email: u.Email, ExternalID: key, Note: note, Data: data}
	if u.Email != "" {
		c.Channels = append(c.Channels, CustomerChannel{Type: "email", Address: u.Email, Preferred: true})
	}
	if u.Phone != "" {
		c.Channels = append(c.Channels, CustomerChannel{Type: "phone", Address: u.Phone, Preferred: u.Email == ""})
	}
	if len(c.Channels) == 0 {
		c.Channels = []CustomerChannel{{Type: "chat", Address: key, Preferred: true}}
	}
	return c
}

// customerFor finds the user's customer by our key, then by email, and
// creates it only when neither exists. A 409 (the email was taken between the
// search and the creation) finds it again.
func (c *Client) customerFor(ctx context.Context, a account, s switchboard.Session, u livechat.UserInfo, botName string, channel switchboard.ChannelType) (int64, error) {
	key := livechat.UserKey(s.Client)
	if _, err := mail.ParseAddress(u.Email); err != nil {
		// Gorgias refuses a customer whose email is not one; the user's
		// metadata still shows it to agents.
		u.Email = ""
	}
	if id, err := c.findCustomer(ctx, a, "external_id", key); err != nil || id != 0 {
		return id, err
	}
	if u.Email != "" {
		if id, err := c.findCustomer(ctx, a, "email", u.Email); err != nil || id != 0 {
			return id, err
		}
	}
	in := newCustomer(key, s.Client.UserID, u, botName, channel)
	var out Customer
	err := c.do(ctx, a, call{Op: "create customer", Method: http.MethodPost, Path: "/customers", Body: in, Out: &out})
	if driverkit.StatusOf(err) == http.StatusConflict {
		for _, f := range [][2]string{{"email", u.Email}, {"external_id", key}} {
			if f[1] == "" {
				continue
			}
			if id, ferr := c.findCustomer(ctx, a, f[0], f[1]); ferr != nil || id != 0 {
				return id, ferr
			}
		}
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	return out.ID, nil
}
