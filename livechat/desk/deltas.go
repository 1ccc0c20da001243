package desk

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// What a page reads instead of the whole list or the whole conversation:
// maxIDs sessions of the list by id at most (a URL of about 4 KB, which
// proxies pass), and maxIDLength characters an id.
const (
	maxIDs      = 100
	maxIDLength = 64
)

// sessionDelta is the answer of GET /desk/api/sessions?ids=…: the named
// sessions the list shows, each in the list it belongs to, and Gone, those
// the list does not show (any more): ended over recentEnded ago, out of the
// agent's sight, or unknown. A page puts the first in its lists and removes
// the others.
type sessionDelta struct {
	sessionList
	Gone []string `json:"gone"`
}

// listByID answers the sessions named in ids as GET /desk/api/sessions lists
// them, with the same filters (the desk's sessions, of the agent's bots and
// teams, live or ended within recentEnded) but not its limits: the page
// knows where each goes. The sessions are read in one statement
// (Tx.Sessions), their entries as the list's are (items).
func (h *handler) listByID(w http.ResponseWriter, r *http.Request, c *Caller) {
	ids, err := parseIDs(r.URL.Query().Get("ids"))
	if err == nil && r.URL.Query().Has("q") {
		err = switchboard.Errorf(switchboard.EINVALID, "ask for either a search (q) or sessions by id (ids), not both")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := h.clock.Now()
	out := sessionDelta{sessionList: sessionList{Now: now, Limits: listLimits}, Gone: []string{}}
	err = h.store.View(ctx, func(tx switchboard.Tx) error {
		v, err := teamsOf(ctx, tx, c.Agent)
		if err != nil {
			return err
		}
		found, err := tx.Sessions(ctx, ids)
		if err != nil {
			return err
		}
		var shown []switchboard.Session
		for _, id := range ids {
			s, ok := found[id]
			if !ok || !listed(&s, c.Agent, v, now) {
				out.Gone = append(out.Gone, id)
				continue
			}
			shown = append(shown, s)
		}
		items, err := h.items(ctx, tx, shown, now)
		if err != nil {
			return err
		}
		out.Waiting, out.Active, out.Ended = []sessionItem{}, []sessionItem{}, []sessionItem{}
		for _, it := range items {
			switch {
			case it.State == switchboard.SessionEnded:
				out.Ended = append(out.Ended, it)
			case it.AgentID == "":
				out.Waiting = append(out.Waiting, it)
			default:
				out.Active = append(out.Active, it)
			}
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("list sessions by id: %w", err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// listed reports whether the session list shows s to the agent, its limits
// aside: what the queries of listSessions keep.
func listed(s *switchboard.Session, a *switchboard.Agent, v teamView, now time.Time) bool {
	if s.Platform != livechat.PlatformDesk || !a.SeesBot(s.Client.BotID) || !v.sees(a, s) {
		return false
	}
	return s.Live() || s.State == switchboard.SessionEnded && s.EndedAt != nil && s.EndedAt.After(now.Add(-recentEnded))
}

// parseIDs reads the ids parameter: 1 to maxIDs session ids separated by
// commas, each of letters, digits, '-' and '_'; a repeated id counts once.
func parseIDs(raw string) ([]string, error) {
	if raw == "" {
		return nil, switchboard.Errorf(switchboard.EINVALID, "ids is empty: name 1 to %d sessions, their ids separated by commas", maxIDs)
	}
	parts := strings.Split(raw, ",")
	if len(parts) > maxIDs {
		return nil, switchboard.Errorf(switchboard.EINVALID, "ids names %d sessions: ask for %d at most at a time (or read the whole list)", len(parts), maxIDs)
	}
	ids := make([]string, 0, len(parts))
	for i, id := range parts {
		if id == "" || len(id) > maxIDLength || strings.ContainsFunc(id, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) {
			return nil, switchboard.Errorf(switchboard.EINVALID, "id %d of ids (%.70q) is not a session id: use letters, digits, '-' and '_', %d characters at most", i+1, id, maxIDLength)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// newMessages is the answer of GET /desk/api/sessions/{id}/messages: the
// transcript's messages after the one given, the session as the list shows
// it (the page reads the whole detail when more than its messages changed)
// and whether the customer is typing. More says that more messages follow
// than one answer holds: the page reads the whole detail instead.
type newMessages struct {
	Now            time.Time             `json:"now"`
	Session        sessionItem           `json:"session"`
	Messages       []switchboard.Message `json:"messages"`
	More           bool                  `json:"more,omitempty"`
	CustomerTyping bool                  `json:"customer_typing,omitempty"`
}

// sessionMessages answers what the open conversation's page lacks: the
// messages of its transcript after ?after=<message id>, the last it has. A
// new message costs a read of the client's few newest messages, where the
// whole detail reads up to maxSessionMessages, the bot conversation and the
// customer's earlier sessions.
func (h *handler) sessionMessages(w http.ResponseWriter, r *http.Request, c *Caller) {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "after (%.30q) must be the id of the last message the page has, a whole number from 0", r.URL.Query().Get("after")))
		return
	}
	ctx := r.Context()
	now := h.clock.Now()
	out := newMessages{Now: now, Messages: []switchboard.Message{}}
	err = h.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := deskSession(ctx, tx, r.PathValue("id"), c.Agent)
		if err != nil {
			return err
		}
		if out.Session, err = h.item(ctx, tx, s, now); err != nil {
			return err
		}
		if !s.Live() {
			// The end click follows the session's messages outside it: the
			// transcript knows where. Ended sessions change rarely.
			ms, err := h.transcript(ctx, tx, s)
			out.Messages = append(out.Messages, slices.DeleteFunc(ms, func(m switchboard.Message) bool { return m.ID <= after })...)
			return err
		}
		ms, err := tx.MessagesAfter(ctx, s.Client, after, maxSessionMessages)
		out.More = len(ms) == maxSessionMessages
		for _, m := range ms {
			if m.SessionID == s.ID {
				out.Messages = append(out.Messages, m)
			}
		}
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("read new messages: %w", err))
		return
	}
	out.CustomerTyping = out.Session.State != switchboard.SessionEnded && h.engine.CustomerIsTyping(out.Session.Client)
	httpx.WriteJSON(w, http.StatusOK, out)
}
