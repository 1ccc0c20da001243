package chatwoot

import (
	"context"
	"net/http"
	"strconv"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Platform is the livechat platform of a chatwoot channel's sessions:
// Chatwoot itself, on the very conversation (channel.Handover).
const Platform = "chatwoot-inbox"

// Chatwoot's conversation statuses the handover sets: open gives the
// conversation to the agents, pending back to the agent bot.
const (
	statusOpen     = "open"
	statusResolved = "resolved"
)

// HandOver gives a conversation to Chatwoot's agents: the labels (the
// bot's tags), the priority and the team (a Chatwoot team id: the agent
// bot may not list teams to find one by name) the bot chose, then the
// status open. The routing calls are agent bot endpoints of recent
// versions only: a routing Chatwoot refuses (401 on an older version, 404
// for a team the account lacks, 422) is left out rather than leave the
// contact with the bot; the status is always set. Each call sets a
// value, so a retry repeats them harmlessly.
func (c *Conn) HandOver(ctx context.Context, user string, r switchboard.Routing) error {
	conv := "/conversations/" + user
	var calls []driverkit.Call
	if len(r.Tags) > 0 {
		calls = append(calls, driverkit.Call{Op: "label the conversation", Method: http.MethodPost, Path: conv + "/labels", Body: map[string]any{"labels": livechat.ChatwootLabels(r.Tags)}})
	}
	if p := livechat.ChatwootPriority(r.Priority); p != "" {
		calls = append(calls, driverkit.Call{Op: "set the conversation's priority", Method: http.MethodPost, Path: conv + "/toggle_priority", Body: map[string]any{"priority": p}})
	}
	if team, err := strconv.ParseInt(r.Team, 10, 64); err == nil && team > 0 {
		calls = append(calls, driverkit.Call{Op: "assign the team", Method: http.MethodPost, Path: conv + "/assignments", Body: map[string]any{"team_id": team}})
	}
	for _, call := range calls {
		err := c.call(ctx, call.Op, call.Method, call.Path, call.Body, nil)
		switch driverkit.StatusOf(err) {
		case http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity:
			continue
		}
		if err != nil {
			return err
		}
	}
	return c.setStatus(ctx, user, statusOpen)
}

// HandsOverAtEnd says whether the end of the bot's CSML conversation
// hands the conversation over (Settings.HandoffOnEnd).
func (c *Conn) HandsOverAtEnd() bool { return c.s.HandoffOnEnd }

// HandBack gives a conversation back to the agent bot: status pending.
func (c *Conn) HandBack(ctx context.Context, user string) error {
	return c.setStatus(ctx, user, statusPending)
}

// setStatus toggles a conversation's status.
func (c *Conn) setStatus(ctx context.Context, user, status string) error {
	return c.call(ctx, "set the conversation "+status, http.MethodPost, "/conversations/"+user+"/toggle_status", map[string]string{"status": status}, nil)
}
