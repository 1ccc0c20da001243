package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

func TestTypedTextNeverStartsASession(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	r := f.send(text(switchboard.PayloadSessionStart))
	if r.Session != nil || f.liveSession() != nil || len(r.Messages) == 0 {
		t.Fatalf("typed text started a session or the bot did not answer: %+v", r)
	}
}

func TestHandoffLifecycleWithTheDesk(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))

	// Start: the bot stays silent; the user is told an agent is coming.
	r := f.send(button(switchboard.PayloadSessionStart))
	if len(r.Messages) != 0 || r.Session == nil || r.Session.State != switchboard.SessionPending {
		t.Fatalf("start: bot answered or no pending session: %+v", r)
	}
	s := f.activeSession()
	if last := texts(f.history()); !strings.Contains(strings.Join(last, "\n"), "SEND system: "+livechat.DefaultConnectingMessage) {
		t.Fatalf("no connecting message: %v", last)
	}

	// During: the bot receives nothing.
	r = f.send(text("my parcel is late"))
	if len(r.Messages) != 0 || r.Session == nil {
		t.Fatalf("the bot answered during a session: %v", texts(r.Messages))
	}

	// The agent answers, then signs off: the token becomes the end question.
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Alex", Text: "Sorry, it ships today."}); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Anything else? LIVECHAT\\_SESSION\\_END"}); err != nil {
		t.Fatal(err)
	}
	h := f.history()
	tail := texts(h[len(h)-3:])
	want := []string{"SEND agent: Sorry, it ships today.", "SEND agent: Anything else?", "SEND system: question " + livechat.DefaultEndMessage}
	if strings.Join(tail, "\n") != strings.Join(want, "\n") {
		t.Fatalf("agent messages:\n%s\nwant:\n%s", strings.Join(tail, "\n"), strings.Join(want, "\n"))
	}
	if h[len(h)-2].Sender.Name != "Alex" {
		t.Fatalf("agent name not kept: %+v", h[len(h)-2].Sender)
	}
	if !strings.Contains(string(h[len(h)-1].Payload.Content), `"payload":"LIVECHAT_SESSION_END"`) {
		t.Fatalf("end question has no end button: %s", h[len(h)-1].Payload.Content)
	}

	// Saying something else keeps the session going.
	if r = f.send(text("one more thing")); r.Session == nil || len(r.Messages) != 0 {
		t.Fatalf("the session ended on text: %+v", r)
	}

	// The click ends it and the bot resumes after its hold.
	r = f.send(button(switchboard.PayloadSessionEnd))
	if got := texts(r.Messages); len(got) == 0 || got[0] != "SEND bot: Welcome back (user_ended)" {
		t.Fatalf("bot after the end: %v", got)
	}
	ended := f.session(s.ID)
	if ended.State != switchboard.SessionEnded || ended.EndReason != switchboard.EndUser || ended.FirstReplyAt == nil || ended.AgentName != "Alex" {
		t.Fatalf("ended session: %+v", ended)
	}
	if r.Session != nil || f.liveSession() != nil {
		t.Fatal("a session is still live after the user ended it")
	}
	// The desk reads the store: its ticket was opened through the outbox,
	// and nothing else was queued for it.
	if open, send, end := f.jobs(engine.JobOpen), f.jobs(engine.JobSend), f.jobs(engine.JobEnd); open != 1 || send != 0 || end != 0 {
		t.Fatalf("jobs run for a desk session: %d open, %d send, %d end; want 1, 0, 0", open, send, end)
	}
}

func TestUserMessagesReachThePlatformInOrderOnceEach(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	// The platform is down while the session starts and the user writes.
	f.flaky.setFail(errors.New("503 from the platform"))
	f.send(button(switchboard.PayloadSessionStart))
	for _, m := range []string{"one", "two", "three"} {
		f.send(text(m))
	}
	f.waitForRetry("the failed open to be stored with its backoff")
	f.flaky.setFail(nil)
	clock.Advance(time.Second) // the backoff has passed
	f.waitFor("the three messages to reach the platform", func() bool {
		_, sent, _, _ := f.flaky.snapshot()
		return len(sent) == 3
	})
	f.send(button(switchboard.PayloadSessionEnd))
	f.waitFor("the platform to be told", func() bool {
		_, _, ended, _ := f.flaky.snapshot()
		return len(ended) == 1
	})
	opened, sent, ended, _ := f.flaky.snapshot()
	if opened != 1 || strings.Join(sent, ",") != "one,two,three" {
		t.Fatalf("opened %d tickets, sent %v", opened, sent)
	}
	if !ended[0].Close || !strings.Contains(ended[0].Note, "user ended") {
		t.Fatalf("end request: %+v", ended[0])
	}
}

func TestNoPlatformHandsBackWithAnError(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.setSettings(livechat.Settings{Platform: livechat.PlatformNone})
	f.send(text("hi"))
	r := f.send(button(switchboard.PayloadSessionStart))
	if got := texts(r.Messages); len(got) == 0 || got[0] != "SEND bot: No agent: not_configured: "+livechat.ReasonNotConfigured.CustomerText() {
		t.Fatalf("reply: %v", got)
	}
	if f.liveSession() != nil {
		t.Fatal("a session is live without a platform")
	}
}

func TestPermanentOpenFailureEndsWithError(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	f.flaky.setFail(livechat.WithReason(livechat.ReasonBadCredentials, livechat.Permanent(errors.New("flaky: 401 bad credentials"))))
	r := f.send(button(switchboard.PayloadSessionStart))
	// The bot gets the reason and a text for the user; the driver's error
	// stays with the session.
	f.waitFor("the bot's error branch", func() bool {
		return strings.Contains(strings.Join(texts(f.history()), "\n"), "SEND bot: No agent: bad_credentials: "+livechat.ReasonBadCredentials.CustomerText())
	})
	if h := strings.Join(texts(f.history()), "\n"); strings.Contains(h, "401") {
		t.Errorf("the driver's error reached the bot:\n%s", h)
	}
	if f.liveSession() != nil {
		t.Fatal("session still live")
	}
	if s := f.session(r.Session.ID); s.Error != "bad_credentials: flaky: 401 bad credentials" {
		t.Errorf("session error %q, want the reason and the detail", s.Error)
	}
}

func TestOpenGivesUpAfterTheOpenTimeout(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Platform: "flaky", OpenTimeout: livechat.Duration(2 * time.Minute)})
	f.send(text("hi"))
	f.flaky.setFail(errors.New("connection refused"))
	f.send(button(switchboard.PayloadSessionStart))
	time.Sleep(50 * time.Millisecond)
	if s := f.liveSession(); s == nil || s.State != switchboard.SessionPending {
		t.Fatal("the session gave up before the open timeout")
	}
	f.waitForRetry("the failed open to be stored with its backoff")
	clock.Advance(2*time.Minute + time.Second)
	f.waitFor("the session to fail", func() bool { return f.liveSession() == nil })
	var ended []switchboard.Session
	_ = f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		ended, err = tx.ListSessions(f.ctx, switchboard.SessionFilter{})
		return err
	})
	if len(ended) != 1 || ended[0].EndReason != switchboard.EndError || !strings.Contains(ended[0].Error, "connection refused") {
		t.Fatalf("sessions: %+v", ended)
	}
}

func TestFlowTriggerDuringASessionIsRefused(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	f.activeSession()
	_, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: switchboard.Payload{ContentType: "flow_trigger", Content: []byte(`{"flow_id":"Main"}`)}})
	if switchboard.ErrorCode(err) != switchboard.ECONFLICT {
		t.Fatalf("got %v, want a conflict", err)
	}
}

func TestAgentCloseHandsBackOrIsIgnored(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	s := f.activeSession()
	if err := f.eng.Close(f.ctx, s.ID, switchboard.EndAgent); err != nil {
		t.Fatal(err)
	}
	if got := f.session(s.ID); got.EndReason != switchboard.EndAgent {
		t.Fatalf("session: %+v", got)
	}
	if !strings.Contains(strings.Join(texts(f.history()), "\n"), "SEND bot: Welcome back (agent_closed)") {
		t.Fatal("the bot did not resume with reason agent_closed")
	}

	f.setSettings(livechat.Settings{OnAgentClose: livechat.OnAgentCloseIgnore})
	s = f.activeSession()
	if err := f.eng.Close(f.ctx, s.ID, switchboard.EndAgent); err != nil {
		t.Fatal(err)
	}
	if f.liveSession() == nil {
		t.Fatal("on_agent_close=ignore ended the session")
	}
}

func TestAgentMessageAfterTheEndIsNotDelivered(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	s := f.activeSession()
	f.send(button(switchboard.PayloadSessionEnd))
	before := len(f.history())
	err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, Text: "are you there?"})
	if !errors.Is(err, engine.ErrSessionOver) {
		t.Fatalf("got %v, want ErrSessionOver", err)
	}
	if len(f.history()) != before {
		t.Fatal("a message on an ended session reached the user")
	}
	f.waitFor("the agent to be told the conversation is over", func() bool {
		_, _, _, notes := f.flaky.snapshot()
		return len(notes) == 1 && strings.Contains(notes[0], "over")
	})
}

func TestDuplicateAgentDeliveriesAreDropped(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	s := f.activeSession()
	for i := 0; i < 3; i++ {
		if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, DedupID: "msg-42", Text: "hello"}); err != nil {
			t.Fatal(err)
		}
	}
	n := strings.Count(strings.Join(texts(f.history()), "\n"), "SEND agent: hello")
	if n != 1 {
		t.Fatalf("the same platform message was delivered %d times", n)
	}
}

func TestAgentTypingIsAHintThatLapses(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.send(text("hi"))
	s := f.activeSession()
	hints, cancel := f.hub.Subscribe(switchboard.TopicClient(botKey))
	defer cancel()
	before := len(f.history())
	if err := f.eng.AgentTyping(f.ctx, s.ID, true); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hints:
	default:
		t.Fatal("the user's pages were not woken")
	}
	if !f.eng.AgentIsTyping(botKey) || len(f.history()) != before {
		t.Fatalf("typing %v, %d messages stored (want none)", f.eng.AgentIsTyping(botKey), len(f.history())-before)
	}
	clock.Advance(31 * time.Second)
	if f.eng.AgentIsTyping(botKey) {
		t.Error("typing did not lapse")
	}
	// The agent's message ends it.
	if err := f.eng.AgentTyping(f.ctx, s.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, Text: "here I am"}); err != nil {
		t.Fatal(err)
	}
	if f.eng.AgentIsTyping(botKey) {
		t.Error("still typing after the agent's message")
	}
	// Nothing shows for an ended session.
	f.send(button(switchboard.PayloadSessionEnd))
	if err := f.eng.AgentTyping(f.ctx, s.ID, true); err != nil || f.eng.AgentIsTyping(botKey) {
		t.Errorf("typing on an ended session: %v, %v", err, f.eng.AgentIsTyping(botKey))
	}
}

func TestOnlyDeskSessionsWakeTheDesk(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	hints, names, cancel := f.hub.SubscribePrefix(switchboard.TopicDeskPrefix)
	defer cancel()
	changed := func() []string {
		select {
		case <-hints:
		case <-time.After(time.Second):
			return nil
		}
		got, _ := names()
		return got
	}

	// Another platform's session: its agents are elsewhere, the desk's
	// pages never show it.
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	f.send(button(switchboard.PayloadSessionStart))
	f.send(text("on the other platform"))
	if got := changed(); len(got) != 0 {
		t.Fatalf("a session on another platform woke the desk for %v", got)
	}
	f.send(button(switchboard.PayloadSessionEnd))

	// A desk session wakes it, naming the session.
	f.setSettings(livechat.Settings{Platform: livechat.PlatformDesk})
	f.send(button(switchboard.PayloadSessionStart))
	s := f.liveSession()
	if got := changed(); !slices.Contains(got, s.ID) {
		t.Fatalf("a desk session woke the desk for %v, want %s", got, s.ID)
	}

	// The agent's first message claims the session: its list entry
	// changes. The next changes only the conversation, which the pages'
	// lists do not show; a message of the customer's is the list's preview.
	conversation := s.ID + switchboard.DeskConversationSuffix
	for i, step := range []struct {
		do        func() error
		want, not string
	}{
		{func() error {
			return f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann", Text: "Hello"})
		}, s.ID, conversation},
		{func() error {
			return f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann", Text: "Still there?"})
		}, conversation, s.ID},
		{func() error {
			return f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Ann B.", Text: "Renamed"})
		}, s.ID, conversation},
		{func() error { f.send(text("yes")); return nil }, s.ID, conversation},
	} {
		if err := step.do(); err != nil {
			t.Fatal(err)
		}
		if got := changed(); !slices.Contains(got, step.want) || slices.Contains(got, step.not) {
			t.Errorf("step %d woke the desk for %v, want %s and not %s", i, got, step.want, step.not)
		}
	}
}

// TestPlatformClosingMessageAfterTheEnd hands the engine what a platform
// sends because the session's ticket closed (a satisfaction survey): it
// reaches the user shortly after the end, with no note for the agent; past
// AfterEndWindow it is dropped, still without a note.
func TestPlatformClosingMessageAfterTheEnd(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Platform: "flaky"})
	f.send(text("hi"))
	s := f.activeSession()
	f.send(button(switchboard.PayloadSessionEnd))
	clock.Advance(time.Minute)
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, DedupID: "survey", Text: "Please rate us", AfterEnd: true}); err != nil {
		t.Fatalf("the survey: %v", err)
	}
	if !strings.Contains(strings.Join(texts(f.history()), "\n"), "SEND agent: Please rate us") {
		t.Fatalf("the survey did not reach the user: %q", texts(f.history()))
	}
	if got := f.session(s.ID); got.State != switchboard.SessionEnded {
		t.Fatalf("the survey reopened the session: %+v", got)
	}
	clock.Advance(engine.AfterEndWindow)
	before := len(f.history())
	err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: s.ID, DedupID: "late", Text: "Rate us, late", AfterEnd: true})
	if !errors.Is(err, engine.ErrSessionOver) || len(f.history()) != before {
		t.Fatalf("a survey past the window: %v, history %d -> %d", err, before, len(f.history()))
	}
	f.waitFor("the outbox to be idle", func() bool {
		var st switchboard.JobStats
		_ = f.store.View(f.ctx, func(tx switchboard.Tx) error { var err error; st, err = tx.JobStats(f.ctx); return err })
		return st.Pending == 0
	})
	if _, _, _, notes := f.flaky.snapshot(); len(notes) != 0 || f.jobs(engine.JobNote) != 0 {
		t.Errorf("notes %q: the agent wrote none of these", notes)
	}
}
