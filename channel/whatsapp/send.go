package whatsapp

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"

	"switchboard/channel"
)

// sendAnswer is the send API's answer: the accepted message's wamid.
type sendAnswer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// Send sends one message to a user (wa_id) and returns its wamid; a typing
// indicator (a read receipt of the user's message) returns "".
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	body, ok := n.Body.(map[string]any)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("whatsapp: %s: not a WhatsApp message", n.Kind))
	}
	req := maps.Clone(body)
	req["messaging_product"] = "whatsapp"
	if n.Kind != "typing" {
		req["recipient_type"], req["to"] = "individual", to
	}
	var ans sendAnswer
	if err := c.graph(ctx, "send "+n.Kind, http.MethodPost, "/"+url.PathEscape(c.s.PhoneNumberID)+"/messages", req, &ans); err != nil {
		return "", err
	}
	if n.Kind == "typing" {
		return "", nil
	}
	if len(ans.Messages) == 0 || ans.Messages[0].ID == "" {
		return "", channel.Permanent(fmt.Errorf("whatsapp: send %s: the answer has no message id", n.Kind))
	}
	return ans.Messages[0].ID, nil
}

// Reopen sends the channel's template, when it has one.
func (c *Conn) Reopen(ctx context.Context, to string) (string, bool, error) {
	t := c.s.Template
	if t == nil {
		return "", false, nil
	}
	id, err := c.Send(ctx, to, channel.Native{Kind: "template", Body: map[string]any{
		"type": "template", "template": map[string]any{"name": t.Name, "language": map[string]any{"code": t.Language}},
	}})
	return id, true, err
}

// Reopener names the channel's template ("" for none).
func (c *Conn) Reopener() string {
	if c.s.Template == nil {
		return ""
	}
	return c.s.Template.Name
}
