package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/livechat"
	"switchboard/livechat/gorgias/gorgiassim"
)

// The tests of this file play what the real Gorgias does and a simulator
// once did not: datetimes without a zone, integrations disabled after 100
// failed calls, tickets that other apps opened.

// TestGorgiasPollReadsWhatItCannotDate: the poll meets a message whose
// created_datetime it cannot read. The message is not skipped: the error is
// logged and counted, and the reply written while switchboard was down
// still reaches the user. (The simulator's own datetimes have no zone, as
// Gorgias's; TestGorgiasReplyWrittenWhileDownReachesTheUser reads those.)
func TestGorgiasPollReadsWhatItCannotDate(t *testing.T) {
	// The server reads the simulator through a proxy that spoils the
	// datetimes of the message list the poll reads.
	odd := regexp.MustCompile(`"created_datetime":\s*"[^"]*"`)
	var proxy *httptest.Server
	spoil := func(set *livechat.Settings) {
		target, _ := url.Parse(set.Gorgias.Domain)
		rp := httputil.NewSingleHostReverseProxy(target)
		rp.ModifyResponse = func(r *http.Response) error {
			if r.Request.URL.Path != "/api/messages" {
				return nil
			}
			raw, err := io.ReadAll(r.Body)
			r.Body.Close()
			raw = odd.ReplaceAll(raw, []byte(`"created_datetime": "27/01/2020 10h42"`))
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
			r.Header.Del("Content-Length")
			return err
		}
		proxy = httptest.NewServer(rp)
		set.Gorgias.Domain = proxy.URL
	}
	g := newGorgiasStory(t, gorgiassim.Config{}, spoil)
	t.Cleanup(proxy.Close)
	sim := g.sim
	s := g.start()
	ticket := g.ticketID(s)
	g.settle()

	g.srv.stop()
	if _, err := sim.Reply(ticket, "Your refund is on its way."); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	g.srv.start()
	g.advanceUntil("the answer written while switchboard was down", time.Minute, func() bool {
		return slices.Contains(g.fromAgents(), "Your refund is on its way.")
	})
	_, body := get(t, g.srv.app.URL()+"/metrics")
	if !regexp.MustCompile(`(?m)^switchboard_gorgias_poll_unreadable_total [1-9]`).MatchString(body) {
		t.Errorf("unreadable messages are not counted:\n%s", grepLines(body, "gorgias_poll"))
	}
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out bytes.Buffer
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}

// TestGorgiasIntegrationStaysEnabled: the account has tickets switchboard
// did not open, with an external_id an import or another app set, and
// agents answer on them; Gorgias calls the integration for each. The
// simulator disables an integration after 100 failed calls in a row, as
// Gorgias does: every call must succeed, and the integration stay enabled.
func TestGorgiasIntegrationStaysEnabled(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil, "ticket-message-created", "ticket-updated")
	s := g.start()
	imported := g.sim.OpenTicket("zendesk-import-88213", "shopper@example.com", "Where is my order?")
	another := g.sim.OpenTicket("0192f7e0-0000-7000-8000-000000000000", "other@example.com", "Hello?")
	for i := range 60 {
		for _, id := range []int64{imported, another} {
			if _, err := g.sim.Reply(id, "Answer "+string(rune('a'+i%26))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := g.sim.CloseTicket(imported); err != nil {
		t.Fatal(err)
	}
	if _, err := g.sim.Reply(g.ticketID(s), "And yours is sorted."); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the reply", func() bool { return len(g.fromAgents()) == 1 })
	g.settle()
	for _, in := range g.sim.Integrations() {
		if in.DeactivatedDatetime != nil {
			t.Errorf("integration %d was deactivated at %s", in.ID, *in.DeactivatedDatetime)
		}
	}
	if st := g.deliveryStatuses(); len(st) != 1 || st[http.StatusOK] < 120 {
		t.Errorf("deliveries by status: %v, want every one 200", st)
	}
}
