package app_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/internal/testclock"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// otherBot writes a copy of the demo bot under another id.
func otherBot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(examples.FS, examples.Livechat, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(examples.FS, p)
		if err != nil {
			return err
		}
		if filepath.Base(p) == "bot.json" {
			raw = []byte(strings.Replace(string(raw), `"livechat-demo"`, `"other-bot"`, 1))
		}
		out := filepath.Join(dir, strings.TrimPrefix(p, examples.Livechat))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// receive calls the receive endpoint with a query and returns the status,
// what became of the call and the body.
func receive(t *testing.T, base string, q url.Values) (int, string, map[string]any) {
	t.Helper()
	resp, err := http.Get(base + gorgias.ReceivePath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, resp.Header.Get(gorgias.StatusHeader), body
}

// TestGorgiasReceiveRefusesWhatIsNotFromTheIntegration calls the endpoint
// as an attacker would: without the token, with a wrong one (401); and as
// the integration does about tickets that are not this bot's sessions:
// another ticket, another bot's session, a ticket whose external_id another
// app set. Those are answered 2xx "ignored", since Gorgias disables an
// integration after 100 failed calls in a row, and deliver nothing; the
// genuine call then delivers once, and its answer, which Gorgias stores on
// the customer, tells agents the state of the conversation.
func TestGorgiasReceiveRefusesWhatIsNotFromTheIntegration(t *testing.T) {
	sim, err := gorgiassim.Start("", gorgiassim.Config{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	srv := &server{t: t, cfg: app.Config{
		Addr: freeAddr(t), DataDir: t.TempDir(), Clock: clock, WorkerPoll: 20 * time.Millisecond,
		Bots: []app.BotConfig{
			{Path: examples.Livechat, FS: examples.FS, Livechat: gorgiasSettings(sim)},
			{Path: otherBot(t), Livechat: gorgiasSettings(sim)},
		},
	}}
	srv.start()
	t.Cleanup(srv.stop)
	g := &gorgiasStory{story: newStory(t, srv, clock, sim.WaitDeliveries), sim: sim}
	mine := g.start()

	other := &gorgiasStory{story: newStory(t, srv, clock, sim.WaitDeliveries), sim: sim}
	err = srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		chans, err := tx.ChannelsOfBot(context.Background(), "other-bot")
		other.user = switchboard.ClientKey{BotID: "other-bot", ChannelID: chans[0].ID, UserID: "mallory"}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	theirs := other.start()
	// A session is active once its ticket is stored; the job that created the
	// ticket is recorded done just after. Let it finish before counting jobs.
	g.settle()

	token := func(bot string) string {
		tok, err := srv.app.Livechat.Token(context.Background(), bot)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// No integration is set up: the test makes the calls.
	reply, err := sim.Reply(g.ticketID(mine), "Your refund is on its way.")
	if err != nil {
		t.Fatal(err)
	}
	genuine := url.Values{
		"external_id": {mine.ID}, "ticket_id": {mine.ExternalID}, "event_type": {"ticket-message-created"},
		"event_id": {"1001"}, "message_id": {strconv.FormatInt(reply.ID, 10)}, "text": {"Your refund is on its way."},
		"from_agent": {"True"}, "token": {token("livechat-demo")},
	}
	with := func(k, v string) url.Values {
		q := url.Values{}
		for key, vs := range genuine {
			q[key] = slices.Clone(vs)
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	calls := []struct {
		name   string
		q      url.Values
		status int
	}{
		{"no token", with("token", ""), http.StatusUnauthorized},
		{"a wrong token", with("token", "not-the-token"), http.StatusUnauthorized},
		{"another bot's token", with("token", token("other-bot")), http.StatusOK},
		{"another ticket", with("ticket_id", theirs.ExternalID), http.StatusOK},
		{"another bot's session", with("external_id", theirs.ID), http.StatusOK},
		{"an unknown session", with("external_id", "0192f7e0-0000-7000-8000-000000000000"), http.StatusOK},
		{"an external_id another app set", with("external_id", "shopify-import-4471"), http.StatusOK},
		{"a ticket that is not ours (no external_id)", with("external_id", "None"), http.StatusOK},
		{"no ticket id", with("ticket_id", ""), http.StatusOK},
		{"no message id", with("message_id", ""), http.StatusOK},
	}
	for _, c := range calls {
		got, what, body := receive(t, srv.app.URL(), c.q)
		if got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
		if got == http.StatusOK && (what != "ignored" || len(body) != 0) {
			t.Errorf("%s: answered %q with %v, want ignored with an empty object", c.name, what, body)
		}
		if n := g.pendingJobs(); n != 0 {
			t.Fatalf("%s: %d jobs recorded", c.name, n)
		}
	}
	if got := g.fromAgents(); len(got) != 0 {
		t.Fatalf("delivered: %q", got)
	}
	// POST is refused the same way.
	resp, err := http.Post(srv.app.URL()+gorgias.ReceivePath+"?"+with("token", "nope").Encode(), "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST with a wrong token: %d", resp.StatusCode)
	}

	// The genuine call delivers, once, even when repeated; a mangled text in
	// the query changes nothing since the message is read back.
	genuine.Set("text", "something else entirely")
	for range 3 {
		if got, _, _ := receive(t, srv.app.URL(), genuine); got != http.StatusOK {
			t.Fatalf("genuine call: %d", got)
		}
	}
	g.waitFor("the reply", func() bool { return len(g.fromAgents()) == 1 })
	g.settle()
	if got := g.fromAgents(); !slices.Equal(got, []string{"Your refund is on its way."}) {
		t.Errorf("delivered %q", got)
	}
	if got := other.fromAgents(); len(got) != 0 {
		t.Errorf("the other bot's user received %q", got)
	}
	_, what, body := receive(t, srv.app.URL(), genuine)
	sb, _ := body["switchboard"].(map[string]any)
	if what != "duplicate" || sb["conversation"] != mine.ID || sb["state"] != "with an agent" {
		t.Errorf("a repeated delivery answered %q with %v", what, body)
	}
}

// TestGorgiasRawTemplateValuesRefuseNothing lets Gorgias paste template
// values into the URL unencoded, as the simulator now does by default: an
// agent's text with "#" (which cuts the URL), "&token=" or "&ticket_id="
// must not lose a call. The URL switchboard prints has the token first and
// no text, so every call is accepted and each reply arrives once, in order;
// a ticket whose external_id another app set with "#" and "&" in it is
// ignored with a 2xx.
func TestGorgiasRawTemplateValuesRefuseNothing(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	s := g.start()
	id := g.ticketID(s)
	want := []string{"Injected &token=wrong&ticket_id=1&external_id=x", "Order #42 is late", "All sorted"}
	for _, text := range want {
		if _, err := g.sim.Reply(id, text); err != nil {
			t.Fatal(err)
		}
	}
	g.say("hello&from_agent=True&ticket_id=7 #1")
	g.waitFor("the replies", func() bool { return len(g.fromAgents()) == 3 })
	foreign := g.sim.OpenTicket("imported#7&token=x", "shopper@example.com", "Where is my order?")
	if _, err := g.sim.Reply(foreign, "On its way #3"); err != nil {
		t.Fatal(err)
	}
	g.settle()
	if got := g.fromAgents(); !slices.Equal(got, want) {
		t.Errorf("delivered %q, want %q", got, want)
	}
	if got := userTexts(g.ticket(s)); !slices.Equal(got, []string{"hello&from_agent=True&ticket_id=7 #1"}) {
		t.Errorf("user messages on the ticket: %q", got)
	}
	if st := g.deliveryStatuses(); len(st) != 1 || st[http.StatusOK] == 0 {
		t.Errorf("deliveries by status: %v, want all 200", st)
	}
}

// TestGorgiasCSMLStudioURLStillWorks pastes the URL CSML Studio gave
// (text in the query, the token last): replies are delivered, a
// 12,000-character reply included, which makes a query of about 70 kB.
func TestGorgiasCSMLStudioURLStillWorks(t *testing.T) {
	g := newGorgiasStoryUnhooked(t, gorgiassim.Config{}, nil)
	g.hook(csmlStudioURL)
	s := g.start()
	long := strings.Repeat("é", 12_000)
	for _, text := range []string{"Hello, Alex here.", long} {
		if _, err := g.sim.Reply(g.ticketID(s), text); err != nil {
			t.Fatal(err)
		}
	}
	g.waitFor("the replies", func() bool { return len(g.fromAgents()) == 2 })
	g.settle()
	if got := g.fromAgents(); got[0] != "Hello, Alex here." || got[1] != long {
		t.Errorf("delivered %d replies, the second of %d characters", len(got), len([]rune(got[1])))
	}
	if st := g.deliveryStatuses(); len(st) != 1 || st[http.StatusOK] == 0 {
		t.Errorf("deliveries by status: %v, want all 200", st)
	}
}
