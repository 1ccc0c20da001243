package engine_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

// parisWeek is a team in Paris open on weekdays 09:00-12:00 and
// 14:00-18:00, closed on Friday 23 October 2026 (a holiday).
func parisWeek(when string) *livechat.Availability {
	day := []livechat.Shift{{From: "09:00", To: "12:00"}, {From: "14:00", To: "18:00"}}
	return &livechat.Availability{
		TimeZone: "Europe/Paris", WhenUnavailable: when,
		Weekly:   map[string][]livechat.Shift{"monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day},
		Holidays: []string{"2026-10-23"},
	}
}

func lastTexts(r *engine.Reply) string { return strings.Join(texts(r.Messages), "\n") }

func TestRefuseOutsideBusinessHoursTellsTheBotUnavailableWithTheNextOpening(t *testing.T) {
	// Thursday 22 October 2026, 18:30 in Paris (16:30 UTC, summer time).
	clock := testclock.New(time.Date(2026, 10, 22, 16, 30, 0, 0, time.UTC))
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Availability: parisWeek(livechat.UnavailableRefuse)})
	f.send(text("hi"))

	r := f.send(text("availability"))
	if got := lastTexts(r); !strings.Contains(got, "Available: false closed Monday 26 October 09:00 (Europe/Paris)") {
		t.Fatalf("_metadata.livechat before asking:\n%s", got)
	}
	r = f.send(button(switchboard.PayloadSessionStart))
	// The holiday and the weekend pass; Monday 09:00 is in winter time.
	if got := lastTexts(r); !strings.Contains(got, "SEND bot: Unavailable: closed until 2026-10-26T09:00:00+01:00") {
		t.Fatalf("refused start:\n%s", got)
	}
	if r.Session != nil || f.liveSession() != nil || r.Received == nil || r.Received.Payload.ContentType != "payload" {
		t.Fatalf("a session opened, or the click was not the received message: %+v", r)
	}

	// Monday 09:00 Paris = 08:00 UTC: open, the session starts.
	clock.Advance(time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC).Sub(clock.Now()))
	if got := lastTexts(f.send(text("availability"))); !strings.Contains(got, "Available: true") {
		t.Fatalf("open: %s", got)
	}
	if r := f.send(button(switchboard.PayloadSessionStart)); r.Session == nil {
		t.Fatalf("no session in business hours: %s", lastTexts(r))
	}
}

func TestOfflineTicketWaitsForTheNextOpening(t *testing.T) {
	clock := testclock.New(time.Date(2026, 10, 19, 10, 30, 0, 0, time.UTC)) // Monday 12:30: the lunch break
	f := newFixture(t, clock)
	a := parisWeek(livechat.UnavailableTicket)
	a.TicketMessage = "We are out. Back {next_open}."
	f.setSettings(livechat.Settings{Availability: a})
	f.send(text("hi"))
	r := f.send(button(switchboard.PayloadSessionStart))
	if r.Session == nil {
		t.Fatal("no offline ticket")
	}
	h := texts(f.history())
	if got := h[len(h)-1]; got != "SEND system: question We are out. Back Monday 19 October 14:00 (Europe/Paris)." {
		t.Fatalf("ticket message: %s", got)
	}
	if strings.Contains(strings.Join(h, "\n"), livechat.DefaultConnectingMessage) {
		t.Fatal("the connecting message was sent too")
	}
	// The ticket waits until the afternoon shift plus the timeout.
	s := f.liveSession()
	if want := 90*time.Minute + livechat.DefaultTimeout; s.Timeout != want {
		t.Fatalf("ticket timeout %s, want %s", s.Timeout, want)
	}
	clock.Advance(time.Hour)
	if f.send(text("still there?")).Session == nil {
		t.Fatal("the ticket expired before the team came back")
	}
}

func TestNoAgentOnlineOnTheDeskAndIdleAgentsGoAway(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Availability: &livechat.Availability{Agents: livechat.AgentsOnline, WhenUnavailable: livechat.UnavailableRefuse, IdleAfter: livechat.Duration(5 * time.Minute)}})
	f.send(text("hi"))
	if got := lastTexts(f.send(button(switchboard.PayloadSessionStart))); !strings.Contains(got, "SEND bot: Unavailable: no_agent until \n") {
		t.Fatalf("nobody online:\n%s", got)
	}
	put := func(p switchboard.AgentPresence, agent *switchboard.Agent) {
		if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
			if agent != nil {
				if err := tx.CreateAgent(f.ctx, agent); err != nil {
					return err
				}
			}
			return tx.PutPresence(f.ctx, p)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// An agent of another bot does not count; one of this bot does.
	put(switchboard.AgentPresence{AgentID: "other", Status: switchboard.PresenceOnline, ActiveAt: clock.Now()},
		&switchboard.Agent{ID: "other", Email: "o@example.com", Name: "O", Bots: []string{"elsewhere"}, CreatedAt: t0})
	if got := lastTexts(f.send(text("availability"))); !strings.Contains(got, "Available: false no_agent") {
		t.Fatalf("an agent of another bot counted: %s", got)
	}
	put(switchboard.AgentPresence{AgentID: "ann", Status: switchboard.PresenceOnline, ActiveAt: clock.Now()},
		&switchboard.Agent{ID: "ann", Email: "ann@example.com", Name: "Ann", AllBots: true, CreatedAt: t0})
	if got := lastTexts(f.send(text("availability"))); !strings.Contains(got, "Available: true") {
		t.Fatalf("online agent not counted: %s", got)
	}
	// Five minutes without using the desk: away.
	clock.Advance(5 * time.Minute)
	if got := lastTexts(f.send(button(switchboard.PayloadSessionStart))); !strings.Contains(got, "Unavailable: no_agent") {
		t.Fatalf("an idle agent counted: %s", got)
	}
	put(switchboard.AgentPresence{AgentID: "ann", Status: switchboard.PresenceOnline, ActiveAt: clock.Now()}, nil)
	if r := f.send(button(switchboard.PayloadSessionStart)); r.Session == nil {
		t.Fatalf("no session with an agent online: %s", lastTexts(r))
	}
}

func TestNothingConfiguredKeepsCSMLStudiosBehaviour(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	// No _metadata.livechat: a flow that reads it reads nothing, as on
	// CSML Studio.
	if got := lastTexts(f.send(text("availability"))); !strings.Contains(got, "SEND bot: Available: Null Null Null") {
		t.Fatalf("_metadata.livechat without settings: %q", got)
	}
	if f.send(button(switchboard.PayloadSessionStart)).Session == nil {
		t.Fatal("no session")
	}
}

// countingPresence is a platform that says how many agents are online.
type countingPresence struct {
	flakyProvider
	mu     sync.Mutex
	online int
	reads  int
}

func (p *countingPresence) OnlineAgents(context.Context, string, livechat.Resolved) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reads++
	return p.online, nil
}

func TestAPlatformsOnlineAgentsAreReadBeforeOpeningAndKeptForAWhile(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	platform := &countingPresence{}
	f.stop()
	f.extra = map[string]livechat.Provider{"counting": platform}
	f.start()
	f.setSettings(livechat.Settings{Platform: "counting", Availability: &livechat.Availability{Agents: livechat.AgentsOnline, WhenUnavailable: livechat.UnavailableRefuse}})
	f.send(text("hi"))
	if got := lastTexts(f.send(button(switchboard.PayloadSessionStart))); !strings.Contains(got, "Unavailable: no_agent") {
		t.Fatalf("nobody online on the platform: %s", got)
	}
	platform.mu.Lock()
	platform.online = 2
	platform.mu.Unlock()
	f.send(text("availability")) // within the cache's 30 s: still none
	clock.Advance(31 * time.Second)
	if got := lastTexts(f.send(text("availability"))); !strings.Contains(got, "Available: true") {
		t.Fatalf("the count was not read again: %s", got)
	}
	if platform.reads != 2 {
		t.Fatalf("%d reads of the platform, want 2", platform.reads)
	}
}
