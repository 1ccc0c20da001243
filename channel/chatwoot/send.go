package chatwoot

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strconv"

	"switchboard/channel"
)

// Send posts one message to a conversation (to, its display id) as the
// agent bot, and returns Chatwoot's message id.
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	body, ok := n.Body.(map[string]any)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("chatwoot: %s: not a message", n.Kind))
	}
	if _, err := strconv.ParseInt(to, 10, 64); err != nil {
		return "", channel.Permanent(fmt.Errorf("chatwoot: %q is not a conversation id", to))
	}
	req := maps.Clone(body)
	req["message_type"] = "outgoing"
	var m struct {
		ID int64 `json:"id"`
	}
	if err := c.call(ctx, "post "+n.Kind+" message", http.MethodPost, "/conversations/"+to+"/messages", req, &m); err != nil {
		return "", err
	}
	if m.ID == 0 {
		return "", channel.Permanent(fmt.Errorf("chatwoot: post %s message: the answer has no id", n.Kind))
	}
	return strconv.FormatInt(m.ID, 10), nil
}
