package app_test

import (
	"context"
	"encoding/json"
	"io"
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

// receive calls the receive endpoint with a query and returns the status.
func receive(t *testing.T, base string, q url.Values) int {
	t.Helper()
	resp, err := http.Get(base + gorgias.ReceivePath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestGorgiasReceiveRefusesWhatIsNotFromTheIntegration calls the endpoint
// as an attacker would: without the token, with a wrong one, with another
// ticket, with another bot's session. Each is refused with a 4xx and
// delivers nothing; the genuine call then delivers once.
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
	refused := []struct {
		name   string
		q      url.Values
		status int
	}{
		{"no token", with("token", ""), http.StatusUnauthorized},
		{"a wrong token", with("token", "not-the-token"), http.StatusUnauthorized},
		{"another bot's token", with("token", token("other-bot")), http.StatusNotFound},
		{"another ticket", with("ticket_id", theirs.ExternalID), http.StatusForbidden},
		{"another bot's session", with("external_id", theirs.ID), http.StatusNotFound},
		{"an unknown session", with("external_id", "0192f7e0-0000-7000-8000-000000000000"), http.StatusNotFound},
		{"no ticket id", with("ticket_id", ""), http.StatusBadRequest},
	}
	for _, c := range refused {
		if got := receive(t, srv.app.URL(), c.q); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
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

	// A ticket that is not switchboard's (an email ticket: no external_id)
	// is ignored with a 2xx, so Gorgias never disables the integration.
	if got := receive(t, srv.app.URL(), with("external_id", "None")); got != http.StatusOK {
		t.Errorf("a ticket that is not ours: %d", got)
	}

	// The genuine call delivers, once, even when repeated; a mangled text in
	// the query changes nothing since the message is read back.
	genuine.Set("text", "something else entirely")
	for range 3 {
		if got := receive(t, srv.app.URL(), genuine); got != http.StatusOK {
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
	var body map[string]string
	resp, _ = http.Get(srv.app.URL() + gorgias.ReceivePath + "?" + genuine.Encode())
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if body["status"] != "duplicate" {
		t.Errorf("a repeated delivery answered %v", body)
	}
}

// TestGorgiasRawRenderingLosesNothing renders the integration's URL
// without encoding: an agent's text with "&token=" or "#" mangles the
// query string. A delivery whose token was cut off is refused, and the next
// delivery catches its message up, in order.
func TestGorgiasRawRenderingLosesNothing(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{Rendering: gorgiassim.Rendering{Raw: true}}, nil)
	s := g.start()
	id := g.ticketID(s)
	for _, text := range []string{"Injected &token=wrong&ticket_id=1&external_id=x", "Order #42 is late", "All sorted"} {
		if _, err := g.sim.Reply(id, text); err != nil {
			t.Fatal(err)
		}
	}
	g.say("hello&from_agent=True&ticket_id=7")
	g.waitFor("the replies", func() bool { return len(g.fromAgents()) == 3 })
	g.settle()
	want := []string{"Injected &token=wrong&ticket_id=1&external_id=x", "Order #42 is late", "All sorted"}
	if got := g.fromAgents(); !slices.Equal(got, want) {
		t.Errorf("delivered %q, want %q", got, want)
	}
	if got := userTexts(g.ticket(s)); !slices.Equal(got, []string{"hello&from_agent=True&ticket_id=7"}) {
		t.Errorf("user messages on the ticket: %q", got)
	}
	refused := 0
	for _, d := range g.sim.Deliveries() {
		if d.Status == http.StatusUnauthorized {
			refused++
		}
	}
	if refused == 0 {
		t.Error("no delivery lost its token: the test did not mangle anything")
	}
}
