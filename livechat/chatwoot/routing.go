package chatwoot

import (
	"context"
	"net/http"
	"strings"

	"switchboard"
	"switchboard/livechat"
)

// Team is a Chatwoot team, as GET /teams lists them.
type Team struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// route gives a new conversation the routing the bot chose: its labels
// (the tags), its priority, and its team, found by name (case aside; a
// team Chatwoot lacks is left out: the conversation stays unassigned, in
// the inbox's queue). Each call sets a value, so a retry repeats them
// harmlessly.
func (c *Client) route(ctx context.Context, a account, conv int64, r switchboard.Routing) error {
	if len(r.Tags) > 0 {
		body := map[string]any{"labels": livechat.ChatwootLabels(r.Tags)}
		if err := c.do(ctx, a, call{Op: "label conversation", Method: http.MethodPost, Path: a.path("/conversations/%d/labels", conv), Body: body}); err != nil {
			return err
		}
	}
	if p := livechat.ChatwootPriority(r.Priority); p != "" {
		body := map[string]any{"priority": p}
		if err := c.do(ctx, a, call{Op: "set conversation priority", Method: http.MethodPost, Path: a.path("/conversations/%d/toggle_priority", conv), Body: body}); err != nil {
			return err
		}
	}
	if r.Team == "" {
		return nil
	}
	var teams []Team
	if err := c.do(ctx, a, call{Op: "list teams", Method: http.MethodGet, Path: a.path("/teams"), Out: &teams}); err != nil {
		return err
	}
	for _, t := range teams {
		if strings.EqualFold(t.Name, r.Team) || strings.EqualFold(strings.ReplaceAll(t.Name, " ", "-"), r.Team) {
			body := map[string]any{"team_id": t.ID}
			return c.do(ctx, a, call{Op: "assign team", Method: http.MethodPost, Path: a.path("/conversations/%d/assignments", conv), Body: body})
		}
	}
	return nil
}

// Assignee is the agent a conversation is assigned to.
type Assignee struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ConversationMeta is the meta of a conversation: its assignee, if any.
type ConversationMeta struct {
	Assignee *Assignee `json:"assignee"`
}
