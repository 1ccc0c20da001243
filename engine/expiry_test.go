package engine_test

import (
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

func countText(msgs []switchboard.Message, s string) int {
	return strings.Count(strings.Join(texts(msgs), "\n"), s)
}

func TestSessionExpiresOnceAfterThirtyIdleMinutes(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()

	clock.Advance(20 * time.Minute)
	f.send(text("still there?")) // activity moves the deadline
	clock.Advance(20 * time.Minute)
	time.Sleep(50 * time.Millisecond) // the timer fires at the old deadline and moves
	if f.liveSession() == nil {
		t.Fatal("expired 40 minutes after start although a message came at 20")
	}
	clock.Advance(10*time.Minute + time.Second)
	f.waitFor("the expiry turn", func() bool {
		return countText(f.history(), "SEND bot: The agent session expired") == 1
	})
	got := f.session(s.ID)
	if got.EndReason != switchboard.EndExpired {
		t.Fatalf("session: %+v", got)
	}
	clock.Advance(time.Hour)
	time.Sleep(50 * time.Millisecond)
	if n := countText(f.history(), "SEND bot: The agent session expired"); n != 1 {
		t.Fatalf("expired %d times", n)
	}
}

func TestMessageAfterTheDeadlineGoesToTheBotAfterTheExpiry(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()
	// No workers from now on: the expiry is not processed when the message comes.
	for _, w := range f.workers {
		_ = w.Stop(f.ctx)
	}
	f.workers = nil
	clock.Advance(30*time.Minute + time.Second)
	r := f.send(text("hello?"))
	if got := texts(r.Messages); len(got) == 0 || got[0] != "SEND bot: You said hello?" {
		t.Fatalf("late message did not go to the bot: %v", got)
	}
	h := texts(f.history())
	ix := func(s string) int {
		for i, l := range h {
			if l == s {
				return i
			}
		}
		return -1
	}
	if e, m := ix("SEND bot: The agent session expired"), ix("RECEIVE user: hello?"); e < 0 || m < 0 || e > m {
		t.Fatalf("expiry turn (%d) must come before the late message (%d):\n%s", e, m, strings.Join(h, "\n"))
	}
	if f.session(s.ID).EndReason != switchboard.EndExpired {
		t.Fatal("not expired")
	}
}

func TestAgentMessageAfterTheDeadlineExpiresTheSession(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()
	for _, w := range f.workers {
		_ = w.Stop(f.ctx)
	}
	f.workers = nil
	clock.Advance(31 * time.Minute)
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, Text: "late answer"}); err != engine.ErrSessionOver {
		t.Fatalf("got %v, want ErrSessionOver", err)
	}
	if countText(f.history(), "late answer") != 0 {
		t.Fatal("a late agent message reached the user")
	}
}

// TestAgentMessageWrittenInTimeIsDeliveredWhenRelayedLate is the message an
// agent wrote before the deadline whose relay came after it (the instance
// holding the relay job died, the platform's webhook was late): it reaches
// the user and keeps the session going; one written after the deadline does
// not.
func TestAgentMessageWrittenInTimeIsDeliveredWhenRelayedLate(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()
	for _, w := range f.workers {
		_ = w.Stop(f.ctx)
	}
	f.workers = nil
	clock.Advance(31 * time.Minute)
	written := t0.Add(29 * time.Minute)
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, DedupID: "m1", Text: "answer written in time", WrittenAt: written}); err != nil {
		t.Fatalf("a message written before the deadline: %v", err)
	}
	if countText(f.history(), "SEND agent: answer written in time") != 1 {
		t.Fatalf("the message did not reach the user: %q", texts(f.history()))
	}
	if got := f.session(s.ID); !got.Live() {
		t.Fatalf("the agent was active in time, yet the session ended: %+v", got)
	}
	clock.Advance(31 * time.Minute)
	err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, DedupID: "m2", Text: "answer written too late", WrittenAt: clock.Now().Add(-time.Second)})
	if err != engine.ErrSessionOver || countText(f.history(), "answer written too late") != 0 {
		t.Fatalf("a message written after the deadline: %v, %q", err, texts(f.history()))
	}
}

// TestAgentMessageWrittenBeforeTheEndReachesTheUserAfterIt is the message
// written while the session was live and relayed after it expired: the user
// gets it after the bot's expiry turn, without its sign-off (nothing is left
// to end), the session stays ended and the agent gets no "over" note.
func TestAgentMessageWrittenBeforeTheEndReachesTheUserAfterIt(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()
	clock.Advance(30*time.Minute + time.Second)
	f.waitFor("the expiry turn", func() bool {
		return countText(f.history(), "SEND bot: The agent session expired") == 1
	})
	clock.Advance(time.Minute)
	written := t0.Add(29 * time.Minute)
	reply := engine.AgentReply{SessionID: s.ID, DedupID: "m1", Text: "Bye! " + switchboard.PayloadSessionEnd, WrittenAt: written}
	for i := 0; i < 2; i++ { // the relay retried: once only
		if err := f.eng.Reply(f.ctx, reply); err != nil {
			t.Fatalf("a message written before the end: %v", err)
		}
	}
	h := texts(f.history())
	if countText(f.history(), "SEND agent: Bye!") != 1 || countText(f.history(), switchboard.PayloadSessionEnd) != 0 {
		t.Fatalf("want the message once, without its sign-off:\n%s", strings.Join(h, "\n"))
	}
	if got := f.session(s.ID); got.Live() || got.EndReason != switchboard.EndExpired {
		t.Fatalf("the late message changed the session: %+v", got)
	}
	if f.jobs(engine.JobNote) != 0 {
		t.Error("the agent was told the conversation is over, yet the message was delivered")
	}
}

func TestRestartLosesNothing(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	s := f.activeSession()
	f.flaky.setFail(errTransient)
	f.send(text("sent while the platform is down"))
	f.stop() // switchboard stops with a delivery pending
	f.flaky.setFail(nil)
	clock.Advance(time.Minute)
	f.start()
	if got := f.liveSession(); got == nil || got.ID != s.ID || got.State != switchboard.SessionActive {
		t.Fatalf("after restart: %+v", got)
	}
	f.waitFor("the pending delivery", func() bool {
		_, sent, _, _ := f.flaky.snapshot()
		return len(sent) == 1 && sent[0] == "sent while the platform is down"
	})
	f.stop()
	clock.Advance(30 * time.Minute)
	f.start()
	f.waitFor("the timer to fire after the restart", func() bool { return f.liveSession() == nil })
	if got := f.session(s.ID); got.EndReason != switchboard.EndExpired {
		t.Fatalf("session: %+v", got)
	}
}

// TestRealTimeout waits for a real 2-second session timeout with the real
// clock, timers and all.
func TestRealTimeout(t *testing.T) {
	f := newFixture(t, switchboard.SystemClock{})
	f.setSettings(livechat.Settings{Timeout: livechat.Duration(2 * time.Second)})
	f.send(text("hi"))
	// The timeout counts from the session's start, not from its activation,
	// which a loaded machine may take a while to reach.
	start := time.Now()
	s := f.activeSession()
	deadline := time.Now().Add(10 * time.Second)
	for f.liveSession() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the 2-second session did not expire within 10 seconds")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if waited := time.Since(start); waited < 1500*time.Millisecond {
		t.Fatalf("expired after %s, before its 2-second timeout", waited)
	}
	if got := f.session(s.ID); got.EndReason != switchboard.EndExpired {
		t.Fatalf("session: %+v", got)
	}
}

var errTransient = transientError("platform unavailable")

type transientError string

func (e transientError) Error() string { return string(e) }
