package gorgias

import (
	"context"
	"net/http"
	"net/url"

	"switchboard"
	"switchboard/livechat"
)

// findCustomer returns the id of the first customer matching one filter
// (external_id or email), or 0.
func (c *Client) findCustomer(ctx context.Context, a account, field, value string) (int64, error) {
	var p page[Customer]
	err := c.do(ctx, a, call{op: "find customer by " + field, method: http.MethodGet, path: "/customers",
		query: url.Values{field: {value}, "limit": {"1"}}, out: &p})
	if err != nil || len(p.Data) == 0 {
		return 0, err
	}
	return p.Data[0].ID, nil
}

// customerFor finds the user's customer by our key, then by email, and
// creates it only when neither exists. A 409 (the email was taken between the
// search and the creation) finds it again.
func (c *Client) customerFor(ctx context.Context, a account, s switchboard.Session, u livechat.UserInfo, botName string, channel switchboard.ChannelType) (int64, error) {
	key := livechat.UserKey(s.Client)
	if id, err := c.findCustomer(ctx, a, "external_id", key); err != nil || id != 0 {
		return id, err
	}
	if u.Email != "" {
		if id, err := c.findCustomer(ctx, a, "email", u.Email); err != nil || id != 0 {
			return id, err
		}
	}
	name := u.Label(s.Client.UserID)
	meta := map[string]any{"switchboard": map[string]any{"bot": botName, "channel": string(channel), "user_id": s.Client.UserID}}
	for k, v := range u.Meta {
		if k != "switchboard" {
			meta[k] = v
		}
	}
	in := Customer{Name: name, Firstname: u.First, Lastname: u.Last, Email: u.Email, ExternalID: key, Meta: meta}
	if u.Email != "" {
		in.Channels = append(in.Channels, CustomerChannel{Type: "email", Address: u.Email, Preferred: true})
	}
	if u.Phone != "" {
		in.Channels = append(in.Channels, CustomerChannel{Type: "phone", Address: u.Phone})
	}
	var out Customer
	err := c.do(ctx, a, call{op: "create customer", method: http.MethodPost, path: "/customers", body: in, out: &out})
	if statusOf(err) == http.StatusConflict {
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
