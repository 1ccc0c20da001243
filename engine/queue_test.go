package engine_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

// customer is one more user of the fixture's bot.
func customer(user string) switchboard.ClientKey {
	k := botKey
	k.UserID = user
	return k
}

// startAs routes a customer as its bot would have (a livechat memory) and
// starts their session; it returns the session's id.
func (f *fixture) startAs(user string, routing string) string {
	f.t.Helper()
	k := customer(user)
	if routing != "" {
		if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error {
			return tx.PutMemory(f.ctx, k, switchboard.Memory{Key: "livechat", Value: json.RawMessage(routing)})
		}); err != nil {
			f.t.Fatal(err)
		}
	}
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: k, Payload: button(switchboard.PayloadSessionStart)})
	if err != nil || r.Session == nil {
		f.t.Fatalf("start session of %s: %v", user, err)
	}
	return r.Session.ID
}

// positions waits until the sessions stand at these queue positions with
// these estimates ("2 6m0s"; "1 0s" when there is no estimate).
func (f *fixture) positions(want map[string]string) {
	f.t.Helper()
	var got map[string]string
	ok := func() bool {
		got = map[string]string{}
		for id := range want {
			s := f.session(id)
			got[id] = fmt.Sprintf("%d %s", s.QueuePosition, s.QueueWait)
		}
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			f.t.Fatalf("queue positions:\n got %v\nwant %v", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *fixture) historyOf(user string) []string {
	f.t.Helper()
	var msgs []switchboard.Message
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		msgs, err = tx.MessagesAfter(f.ctx, customer(user), 0, 1000)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return texts(msgs)
}

func TestQueuePositionsAndEstimatesPerTeam(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Queue: &livechat.QueueSettings{Announce: true}})
	billing := `{"team": "billing"}`
	// c3's routing is stored as a flow's remember stores it.

	// The billing team's recent waits: 2 and 4 minutes, a median of 3.
	h1 := f.startAs("h1", billing)
	clock.Advance(2 * time.Minute)
	if err := f.eng.Claim(f.ctx, h1, "a1", "Alice"); err != nil {
		t.Fatal(err)
	}
	h2 := f.startAs("h2", billing)
	clock.Advance(4 * time.Minute)
	if err := f.eng.Claim(f.ctx, h2, "a1", "Alice"); err != nil {
		t.Fatal(err)
	}

	c1, c2, c3 := f.startAs("c1", billing), f.startAs("c2", `{"team": " Billing "}`), f.startAs("c3", `{"_content_type": "object", "_content": {"team": "billing", "priority": "normal"}}`)
	g1, g2 := f.startAs("g1", ""), f.startAs("g2", `{"tags": ["vip"]}`)
	f.positions(map[string]string{c1: "1 3m0s", c2: "2 6m0s", c3: "3 9m0s", g1: "1 0s", g2: "2 0s"})
	if got := f.historyOf("c2"); !slices.Contains(got, "SEND system: You are number 2 in the queue. Estimated wait: about 6 minutes.") {
		t.Fatalf("c2 was not told their place: %q", got)
	}
	if got := f.historyOf("g2"); !slices.Contains(got, "SEND system: You are number 2 in the queue.") {
		t.Fatalf("g2 was not told their place without an estimate: %q", got)
	}

	// An urgent customer goes first in billing, and nobody else moves.
	u := f.startAs("u", `{"team": "billing", "priority": "urgent", "note": "order 1234"}`)
	f.positions(map[string]string{u: "1 3m0s", c1: "2 6m0s", c2: "3 9m0s", c3: "4 12m0s", g1: "1 0s", g2: "2 0s"})
	if s := f.session(u); s.Team != "billing" || s.Priority != "urgent" || s.Note != "order 1234" {
		t.Fatalf("routing not stored: %+v", s.Routing)
	}

	// Claims and departures move those behind up; the general queue stays.
	clock.Advance(time.Minute)
	if err := f.eng.Claim(f.ctx, u, "a2", "Bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: customer("c2"), Payload: button(switchboard.PayloadSessionEnd)}); err != nil {
		t.Fatal(err)
	}
	// The waits are now 2, 4 and 1 minutes: a median of 2.
	f.positions(map[string]string{c1: "1 2m0s", c3: "2 4m0s", g1: "1 0s", g2: "2 0s"})
	if s := f.session(u); s.ClaimedAt == nil || s.QueuePosition != 0 || !s.ClaimedAt.Equal(clock.Now()) {
		t.Fatalf("claimed session: %+v", s)
	}
	if n := strings.Count(strings.Join(f.historyOf("g1"), "\n"), "You are number"); n != 1 {
		t.Fatalf("g1 was told %d times though their place never changed", n)
	}
}

func TestQueueTellsNothingUntilConfigured(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	a, b := f.startAs("a", ""), f.startAs("b", "")
	f.positions(map[string]string{a: "1 0s", b: "2 0s"})
	for _, line := range f.historyOf("b") {
		if strings.Contains(line, "queue") {
			t.Fatalf("a bot without queue settings told its customer: %q", line)
		}
	}
}

func TestBadRoutingStillReachesTheGeneralQueue(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	id := f.startAs("a", `{"team": "no such/team", "priority": "asap"}`)
	if s := f.session(id); s.Team != "" || s.Priority != "" || !s.Live() {
		t.Fatalf("session: %+v", s)
	}
}

func TestWaitLimitEndsAnUnclaimedSession(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	f.setSettings(livechat.Settings{Queue: &livechat.QueueSettings{WaitLimit: livechat.Duration(5 * time.Minute)}})
	f.send(text("hi"))
	waiting := f.startAs("u1", "")
	taken := f.startAs("u2", "")
	clock.Advance(3 * time.Minute)
	if err := f.eng.Claim(f.ctx, taken, "a1", "Alice"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2*time.Minute + time.Second)
	f.waitFor("the wait limit", func() bool { return !f.session(waiting).Live() })
	if s := f.session(waiting); s.EndReason != switchboard.EndTimeout {
		t.Fatalf("ended for %q", s.EndReason)
	}
	f.waitFor("the bot's turn", func() bool { return countText(f.history(), "SEND bot: Welcome back (timeout)") == 1 })

	clock.Advance(20 * time.Minute) // the claimed session waits for nobody
	time.Sleep(50 * time.Millisecond)
	if s := f.session(taken); !s.Live() {
		t.Fatalf("a claimed session ended: %+v", s)
	}
	if n := countText(f.history(), "Welcome back"); n != 1 {
		t.Fatalf("the bot was handed back %d times", n)
	}
}

func TestTransferToAnAgentAndToATeam(t *testing.T) {
	clock := testclock.New(t0)
	f := newFixture(t, clock)
	other := f.startAs("other", `{"team": "billing"}`)
	id := f.startAs("u1", `{"note": "order 1234"}`)
	if err := f.eng.Claim(f.ctx, id, "a1", "Alice"); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.Transfer(f.ctx, engine.Transfer{SessionID: id, By: "Alice", ToAgentID: "a2", ToAgentName: "Bob", Note: "speaks German"}); err != nil {
		t.Fatal(err)
	}
	s := f.session(id)
	if s.AgentID != "a2" || s.AgentName != "Bob" || s.ClaimedAt == nil || s.Note != "Transferred by Alice: speaks German\norder 1234" {
		t.Fatalf("after a transfer to Bob: %+v", s)
	}
	if err := f.eng.Transfer(f.ctx, engine.Transfer{SessionID: id, By: "Bob", ToTeam: "billing", Note: "refund"}); err != nil {
		t.Fatal(err)
	}
	s = f.session(id)
	if s.AgentID != "" || s.Team != "billing" || s.ClaimedAt != nil || !strings.HasPrefix(s.Note, "Transferred by Bob: refund\n") {
		t.Fatalf("after a transfer to billing: %+v", s)
	}
	f.positions(map[string]string{other: "1 0s", id: "2 0s"})

	if err := f.eng.Transfer(f.ctx, engine.Transfer{SessionID: id, By: "Bob", ToTeam: "Bad Team"}); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Fatalf("a bad team: %v", err)
	}
}

// queueMeasures records what the engine tells its QueueMetrics.
type queueMeasures struct {
	mu  sync.Mutex
	got []string
}

func (q *queueMeasures) add(s string) {
	q.mu.Lock()
	q.got = append(q.got, s)
	q.mu.Unlock()
}

func (q *queueMeasures) lines() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return strings.Join(q.got, "\n")
}

func (*queueMeasures) Event(string, time.Duration)                {}
func (*queueMeasures) SessionStarted(string)                      {}
func (*queueMeasures) SessionEnded(string, switchboard.EndReason) {}
func (*queueMeasures) SessionFailed(string, string)               {}
func (q *queueMeasures) SessionClaimed(bot, team string, waited time.Duration) {
	q.add(fmt.Sprintf("claimed %s/%s after %s", bot, team, waited))
}
func (q *queueMeasures) SessionAbandoned(bot, team string) {
	q.add(fmt.Sprintf("abandoned %s/%s", bot, team))
}
func (q *queueMeasures) FirstResponse(bot, team, agent string, took time.Duration) {
	q.add(fmt.Sprintf("first response %s/%s by %s after %s", bot, team, agent, took))
}
func (q *queueMeasures) SessionHandled(bot, team, agent string, took time.Duration) {
	q.add(fmt.Sprintf("handled %s/%s by %s in %s", bot, team, agent, took))
}

func TestQueueMeasuresWaitsAnswersHandlingAndAbandonment(t *testing.T) {
	clock := testclock.New(t0)
	m := &queueMeasures{}
	f := &fixture{t: t, ctx: t.Context(), path: t.TempDir() + "/sb.db", clock: clock, metrics: m}
	f.start()
	t.Cleanup(f.stop)

	answered := f.startAs("u1", `{"team": "billing"}`)
	f.startAs("u2", "")
	clock.Advance(2 * time.Minute)
	if err := f.eng.Claim(f.ctx, answered, "a1", "Alice"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if err := f.eng.Reply(f.ctx, engine.AgentReply{SessionID: answered, AgentID: "a1", AgentName: "Alice", Text: "Hello"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: customer("u2"), Payload: button(switchboard.PayloadSessionEnd)}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: customer("u1"), Payload: button(switchboard.PayloadSessionEnd)}); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"claimed support/billing after 2m0s",
		"first response support/billing by a1 after 3m0s",
		"abandoned support/",
		"handled support/billing by a1 in 11m0s",
	}, "\n")
	if got := m.lines(); got != want {
		t.Fatalf("measures:\n%s\nwant:\n%s", got, want)
	}
}
