package gorgias

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"switchboard"
)

// Team is a Gorgias team, as GET /api/teams lists them.
type Team struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Tag is a ticket's tag, given by name (Gorgias makes it when new).
type Tag struct {
	Name string `json:"name"`
}

// priorities maps switchboard's priorities to Gorgias's ticket priorities
// (low, normal, high, critical).
var priorities = map[string]string{"low": "low", "normal": "normal", "high": "high", "urgent": "critical"}

// maxTeamPages bounds the pages of teams read to find one.
const maxTeamPages = 5

// route sets a new ticket's routing: its priority, its tags and its team,
// found by name (case aside; a team Gorgias lacks is left out and the ticket
// waits unassigned in the account's views).
func (c *Client) route(ctx context.Context, a account, t *Ticket, r switchboard.Routing) error {
	t.Priority = priorities[r.Priority]
	for _, tag := range r.Tags {
		t.Tags = append(t.Tags, Tag{Name: tag})
	}
	if r.Team == "" {
		return nil
	}
	q := url.Values{"limit": {"100"}}
	for range maxTeamPages {
		var p page[Team]
		if err := c.do(ctx, a, call{Op: "list teams", Method: http.MethodGet, Path: "/teams", Query: q, Out: &p}); err != nil {
			return err
		}
		for _, team := range p.Data {
			if strings.EqualFold(team.Name, r.Team) || strings.EqualFold(strings.ReplaceAll(team.Name, " ", "-"), r.Team) {
				t.AssigneeTeam = &Ref{ID: team.ID}
				return nil
			}
		}
		if p.Meta.NextCursor == "" {
			return nil
		}
		q.Set("cursor", p.Meta.NextCursor)
	}
	return nil
}
