package chatwoot

import (
	"context"
	"net/http"
	"strings"

	"switchboard"
)

// Team is a Chatwoot team, as GET /teams lists them.
type Team struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// priorities maps switchboard's priorities to Chatwoot's (toggle_priority
// takes urgent, high, medium, low or none).
var priorities = map[string]string{"low": "low", "normal": "medium", "high": "high", "urgent": "urgent"}

// PriorityOf is Chatwoot's priority of a switchboard priority, "" for
// none.
func PriorityOf(p string) string { return priorities[p] }

// route gives a new conversation the routing the bot chose: its labels
// (the tags), its priority, and its team, found by name (case aside; a
// team Chatwoot lacks is left out: the conversation stays unassigned, in
// the inbox's queue). Each call sets a value, so a retry repeats them
// harmlessly.
func (c *Client) route(ctx context.Context, a account, conv int64, r switchboard.Routing) error {
	if len(r.Tags) > 0 {
		body := map[string]any{"labels": LabelsOf(r.Tags)}
		if err := c.do(ctx, a, call{Op: "label conversation", Method: http.MethodPost, Path: a.path("/conversations/%d/labels", conv), Body: body}); err != nil {
			return err
		}
	}
	if p := PriorityOf(r.Priority); p != "" {
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

// LabelsOf turns tags into Chatwoot labels, which are lower case, without
// spaces.
func LabelsOf(tags []string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = strings.ToLower(strings.Join(strings.Fields(t), "-"))
	}
	return out
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
