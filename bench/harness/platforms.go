package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// platforms are the simulated Gorgias account and Chatwoot instance, in
// this process, with what the harness needs of them: when each user
// message arrived, which conversation is whose session, and an outage
// switch.
type platforms struct {
	Gorgias  *gorgiassim.Server
	Chatwoot *chatwootsim.Server

	mu      sync.Mutex
	tickets map[string]int64 // session id -> Gorgias ticket id
	convs   map[string]int64 // session id -> Chatwoot conversation display id
	indexed time.Time
}

// startPlatforms starts both simulators: no rate limit, no chaos, webhook
// calls 16 at a time (so they overlap, as a busy account's do). Each user
// message stored is told to the ledger.
func startPlatforms(l *ledger, seed uint64) (*platforms, error) {
	p := &platforms{tickets: map[string]int64{}, convs: map[string]int64{}}
	var err error
	p.Gorgias, err = gorgiassim.Start("", gorgiassim.Config{RateLimit: -1, DeliveryWorkers: 16, Seed: seed, OnMessage: func(m gorgiassim.Message) {
		if !m.FromAgent && !m.Internal() {
			for _, tok := range tokensOf(m.Text()) {
				l.platformArrived(tok, time.Now())
			}
		}
	}})
	if err != nil {
		return nil, fmt.Errorf("gorgias simulator: %w", err)
	}
	p.Chatwoot, err = chatwootsim.Start("", chatwootsim.Config{DeliveryWorkers: 16, Seed: seed, OnMessage: func(m chatwootsim.Message) {
		if m.MessageType == chatwootsim.TypeIncoming && !m.Private {
			for _, tok := range tokensOf(m.Text()) {
				l.platformArrived(tok, time.Now())
			}
		}
	}})
	if err != nil {
		p.Gorgias.Close()
		return nil, fmt.Errorf("chatwoot simulator: %w", err)
	}
	return p, nil
}

// close stops both simulators.
func (p *platforms) close() {
	p.Gorgias.Close()
	p.Chatwoot.Close()
}

// setOutage cuts a platform off from switchboard, or restores it: its API
// answers 503 to every request, and its webhook calls are held (and made
// when it is restored, as a platform's queue catches up). Its agents go on
// writing: what they write waits in the platform.
func (p *platforms) setOutage(platform string, on bool) {
	switch platform {
	case "gorgias":
		p.Gorgias.SetOutage(on)
		if on {
			p.Gorgias.HoldDeliveries()
		} else {
			p.Gorgias.ReleaseDeliveries()
		}
	case "chatwoot":
		p.Chatwoot.SetOutage(on)
		if on {
			p.Chatwoot.HoldDeliveries()
		} else {
			p.Chatwoot.ReleaseDeliveries()
		}
	}
}

// conversation waits until the platform has the session's ticket (Gorgias)
// or conversation (Chatwoot), and returns its id.
func (p *platforms) conversation(ctx context.Context, platform, session string, limit time.Duration) (int64, error) {
	deadline := time.Now().Add(limit)
	for {
		p.mu.Lock()
		id, ok := p.tickets[session]
		if platform == "chatwoot" {
			id, ok = p.convs[session]
		}
		if !ok && time.Since(p.indexed) > 250*time.Millisecond {
			p.index()
			id, ok = p.tickets[session]
			if platform == "chatwoot" {
				id, ok = p.convs[session]
			}
		}
		p.mu.Unlock()
		switch {
		case ok:
			return id, nil
		case time.Now().After(deadline):
			return 0, fmt.Errorf("no %s conversation for session %s after %s", platform, session, limit)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// index maps sessions to their tickets and conversations (switchboard
// gives each its session id: the ticket's external_id, the conversation's
// source_id). p.mu is held.
func (p *platforms) index() {
	for _, t := range p.Gorgias.Tickets() {
		if t.ExternalID != nil {
			p.tickets[*t.ExternalID] = t.ID
		}
	}
	for _, c := range p.Chatwoot.Conversations() {
		if c.SourceID != "" {
			p.convs[c.SourceID] = c.DisplayID
		}
	}
	p.indexed = time.Now()
}
