package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"switchboard"
	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// serverSession is a session as the admin API shows it.
type serverSession struct {
	ID     string `json:"id"`
	Client struct {
		BotID  string `json:"bot_id"`
		UserID string `json:"user_id"`
	} `json:"client"`
	Platform  string `json:"platform"`
	State     string `json:"state"`
	EndReason string `json:"end_reason"`
	// Team is where the bot routed it and Claimed whether an agent took
	// it, from the sessions export (see claims.go).
	Team    string `json:"-"`
	Claimed bool   `json:"-"`
}

// truth is what the system holds at the end, read after the drain.
type truth struct {
	// histories are the users' stored messages, by user name, in id order.
	histories map[string][]switchboard.Message
	// sessions are every session of the harness's bots, by id.
	sessions map[string]serverSession
	// onPlatform are the tokens of the user messages in each session's
	// Gorgias ticket or Chatwoot conversation, in the platform's order,
	// by session id; closed says whether it was closed (resolved).
	onPlatform map[string][]string
	closed     map[string]bool
}

// readPlatforms reads every ticket and conversation: the public messages
// of the customer (internal notes, such as the transcript, are left out).
func (t *truth) readPlatforms(tickets []gorgiassim.Ticket, convs []chatwootsim.Conversation) {
	for _, tk := range tickets {
		if foreign(tk) {
			continue
		}
		id := "gorgias ticket " + fmt.Sprint(tk.ID)
		if tk.ExternalID != nil {
			id = *tk.ExternalID
		}
		t.onPlatform[id] = []string{}
		t.closed[id] = tk.Status == "closed"
		for _, m := range tk.Messages {
			if !m.FromAgent && !m.Internal() {
				t.onPlatform[id] = append(t.onPlatform[id], tokensOf(m.Text())...)
			}
		}
	}
	for _, cv := range convs {
		id := cv.SourceID
		if id == "" {
			id = "chatwoot conversation " + fmt.Sprint(cv.DisplayID)
		}
		t.onPlatform[id] = []string{}
		t.closed[id] = cv.Status == "resolved"
		for _, m := range cv.Messages {
			if m.MessageType == chatwootsim.TypeIncoming && !m.Private {
				t.onPlatform[id] = append(t.onPlatform[id], tokensOf(m.Text())...)
			}
		}
	}
}

// readTruth reads the users' histories, the sessions switchboard recorded
// and the platforms' conversations.
func (r *run) readTruth(ctx context.Context, adm *admin, plat *platforms, clients []chatClient) (*truth, error) {
	t := &truth{histories: map[string][]switchboard.Message{}, sessions: map[string]serverSession{},
		onPlatform: map[string][]string{}, closed: map[string]bool{}}
	for _, b := range bots {
		// Every session of the bot, a page at a time.
		for after := ""; ; {
			var page struct {
				Sessions []serverSession `json:"sessions"`
				Next     string          `json:"next"`
			}
			q := "/v1/admin/sessions?state=all&limit=1000&bot_id=" + url.QueryEscape(b.ID) + "&after=" + url.QueryEscape(after)
			if err := adm.do(ctx, http.MethodGet, q, "", nil, &page); err != nil {
				return nil, fmt.Errorf("sessions: %w", err)
			}
			for _, s := range page.Sessions {
				t.sessions[s.ID] = s
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		if err := readClaims(ctx, adm, b.ID, t.sessions); err != nil {
			return nil, err
		}
	}
	t.readPlatforms(plat.Gorgias.Tickets(), plat.Chatwoot.Conversations())
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, c := range clients {
		if c == nil {
			continue
		}
		u := r.ledger.users[i]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			h, err := c.history(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("history of %s: %w", u.Name, err)
			}
			t.histories[u.Name] = h
		})
	}
	wg.Wait()
	return t, firstErr
}
