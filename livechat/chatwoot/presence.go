package chatwoot

import (
	"context"
	"net/http"

	"switchboard/livechat"
)

var _ livechat.PresenceReader = (*Client)(nil)

// OnlineAgents counts the account's agents whose availability_status is
// online (GET /api/v1/accounts/{id}/agents): the status each agent sets in
// the dashboard, offline when signed out.
func (c *Client) OnlineAgents(ctx context.Context, _ string, s livechat.Resolved) (int, error) {
	a, err := accountOf(s)
	if err != nil {
		return 0, err
	}
	var agents []struct {
		Availability string `json:"availability_status"`
	}
	if err := c.do(ctx, a, call{Op: "list agents", Method: http.MethodGet, Path: a.path("/agents"), Out: &agents}); err != nil {
		return 0, err
	}
	n := 0
	for _, ag := range agents {
		if ag.Availability == "online" {
			n++
		}
	}
	return n, nil
}
