package gorgiassim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/internal/simkit/simtest"
)

// receiver records the calls an integration makes.
type receiver struct{ *simtest.Receiver }

func newReceiver(t *testing.T) receiver { return receiver{simtest.NewReceiver(t)} }

func (rc receiver) queries() []url.Values {
	var out []url.Values
	for _, c := range rc.Calls() {
		out = append(out, c.URL.Query())
	}
	return out
}

const csmlQuery = "?external_id={{ticket.external_id}}&ticket_id={{ticket.id}}&event_type={{event.type}}&event_id={{event.id}}" +
	"&message_id={{event.object_id}}&text={{message.body_text}}&from_agent={{message.from_agent}}&email={{ticket.customer.email}}"

// newTicket opens a ticket by API with a customer's message.
func newTicket(t *testing.T, c *client, externalID, text string) int64 {
	t.Helper()
	body := map[string]any{
		"via": "api", "channel": "api", "customer": map[string]any{"email": "ada@example.com"},
		"messages": []any{map[string]any{"channel": "api", "via": "api", "from_agent": false, "body_text": text, "sender": map[string]any{"email": "ada@example.com"}}},
	}
	if externalID != "" {
		body["external_id"] = externalID
	}
	st, out, _ := c.do("POST", "/api/tickets", body)
	if st != 201 {
		t.Fatalf("create ticket: %d %v", st, out)
	}
	return int64(out["id"].(float64))
}

func waitIdle(t *testing.T, s *Server) { t.Helper(); simtest.WaitIdle(t, s) }

func TestIntegrationRendersTheCSMLStudioURL(t *testing.T) {
	for _, c := range []struct {
		rendering       Rendering
		fromAgent, none string
	}{
		{Rendering{}, "False", "None"},
		{Rendering{JSONLiterals: true}, "false", ""},
	} {
		s, cl := start(t, Config{Rendering: c.rendering})
		rc := newReceiver(t)
		if _, err := s.AddIntegration(HTTPHooks{URL: rc.URL + "/hook" + csmlQuery}); err != nil {
			t.Fatal(err)
		}
		id := newTicket(t, cl, "session-1", "Hello, welcome")
		if _, err := s.Reply(id, "Agent here"); err != nil {
			t.Fatal(err)
		}
		newTicket(t, cl, "", "an email ticket")
		waitIdle(t, s)
		qs := rc.queries()
		if len(qs) != 3 {
			t.Fatalf("%+v: %d calls, want 3 (ticket-created is not a trigger)", c.rendering, len(qs))
		}
		q := qs[0]
		if q.Get("external_id") != "session-1" || q.Get("event_type") != "ticket-message-created" || q.Get("text") != "Hello, welcome" ||
			q.Get("from_agent") != c.fromAgent || q.Get("email") != "ada@example.com" || q.Get("message_id") == "" || q.Get("ticket_id") == "" {
			t.Errorf("%+v: the customer's message rendered as %v", c.rendering, q)
		}
		if qs[1].Get("text") != "Agent here" || !strings.EqualFold(qs[1].Get("from_agent"), "true") {
			t.Errorf("%+v: the reply rendered as %v", c.rendering, qs[1])
		}
		if _, ok := qs[2]["external_id"]; !ok || qs[2].Get("external_id") != c.none {
			t.Errorf("%+v: a null external_id rendered as %q, want %q", c.rendering, qs[2].Get("external_id"), c.none)
		}
	}
}

func TestRawRenderingManglesTheQuery(t *testing.T) {
	s, cl := start(t, Config{})
	rc := newReceiver(t)
	s.AddIntegration(HTTPHooks{URL: rc.URL + "/hook" + csmlQuery + "&token=T"})
	newTicket(t, cl, "s", "a&token=evil")
	newTicket(t, cl, "s2", "line one\nsee #3")
	waitIdle(t, s)
	qs := rc.queries()
	if len(qs) != 2 {
		t.Fatalf("%d calls", len(qs))
	}
	if got := qs[0]["token"]; len(got) != 2 || got[0] != "evil" || got[1] != "T" {
		t.Errorf("injected token values %q", got)
	}
	if qs[1].Get("text") != "line one\nsee " || qs[1].Get("token") != "" {
		t.Errorf("a '#' did not cut the query: %v", qs[1])
	}
}

func TestIntegrationPostsAJSONBody(t *testing.T) {
	s, cl := start(t, Config{})
	rc := newReceiver(t)
	_, err := s.AddIntegration(HTTPHooks{
		URL: rc.URL, Method: "POST", Headers: map[string]string{"X-Api-Key": "secret-{{ticket.id}}"},
		Form:     []byte(`{"context":"{{context}}","message_id":"{{message.id}}","note":"from {{ticket.customer.email}}"}`),
		Triggers: map[string]bool{"ticket-created": true},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := newTicket(t, cl, "s", "hi")
	waitIdle(t, s)
	calls := rc.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	r, body := calls[0], string(calls[0].Body)
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Api-Key") != "secret-"+strconv.FormatInt(id, 10) {
		t.Errorf("request %s %v", r.Method, r.Header)
	}
	if !strings.Contains(body, `"note":"from ada@example.com"`) || !strings.Contains(body, `"type":"ticket-created"`) || !strings.Contains(body, `"message_id":null`) {
		t.Errorf("body %s", body)
	}
}

func TestDeliveriesAreRetriedOnTimeoutAndDeactivatedAfter100Failures(t *testing.T) {
	// The timeout leaves the second call time to answer on a loaded machine.
	s, cl := start(t, Config{DeliveryTimeout: time.Second, DeliveryRetries: 2})
	first := make(chan struct{})
	slowSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-first:
		default:
			close(first)
			<-r.Context().Done() // the first call times out
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer slowSrv.Close()
	s.AddIntegration(HTTPHooks{URL: slowSrv.URL})
	newTicket(t, cl, "s", "hi")
	waitIdle(t, s)
	d := s.Deliveries()
	if len(d) != 1 || d[0].Attempts != 2 || d[0].Status != 200 {
		t.Fatalf("deliveries %+v, want one made on its second attempt", d)
	}

	s, cl = start(t, Config{})
	failing := newReceiver(t)
	failing.Answer = func(n int) int {
		if n == 50 {
			return 200 // a success in the middle resets the count
		}
		return 500
	}
	s.AddIntegration(HTTPHooks{URL: failing.URL})
	id := newTicket(t, cl, "s", "hi")
	for range 150 {
		if _, err := s.Reply(id, "again"); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, s)
	if n := len(failing.queries()); n != 150 {
		t.Errorf("%d calls, want 150 (49 failures, a success, 100 failures, then deactivated)", n)
	}
	if in := s.Integrations()[0]; in.DeactivatedDatetime == nil {
		t.Error("the integration is still active after 100 failures in a row")
	}
}

func TestChaosSwitches(t *testing.T) {
	s, cl := start(t, Config{Seed: 1})
	rc := newReceiver(t)
	s.AddIntegration(HTTPHooks{URL: rc.URL + "?id={{event.object_id}}&text={{message.body_text}}"})
	id := newTicket(t, cl, "s", "m0")
	simtest.ChaosSwitches(t, s, func(text string) { s.Reply(id, text) }, func() []string {
		var texts []string
		for _, q := range rc.queries() {
			texts = append(texts, q.Get("text"))
		}
		return texts
	})
}

// TestClosingATicketEmitsTicketClosed: an agent closing a ticket is a
// ticket-closed event (https://developers.gorgias.com/reference/the-event-object),
// which calls the integrations triggered on ticket updates with
// {{event.type}} rendered as ticket-closed; reopening is ticket-reopened.
// Datetimes are written without a zone, as Gorgias's reference shows them.
func TestClosingATicketEmitsTicketClosed(t *testing.T) {
	s, cl := start(t, Config{})
	rc := newReceiver(t)
	if _, err := s.AddIntegration(HTTPHooks{URL: rc.URL + "/hook?event_type={{event.type}}&at={{event.created_datetime}}",
		Triggers: map[string]bool{"ticket_updated": true}}); err != nil { // spelt as the Integration object shows it
		t.Fatal(err)
	}
	id := newTicket(t, cl, "s", "hi")
	if err := s.CloseTicket(id); err != nil {
		t.Fatal(err)
	}
	if st, out, _ := cl.do("PUT", "/api/tickets/"+strconv.FormatInt(id, 10), map[string]any{"status": "open"}); st != 202 {
		t.Fatalf("reopen: %d %v", st, out)
	}
	waitIdle(t, s)
	var types []string
	for _, q := range rc.queries() {
		types = append(types, q.Get("event_type"))
		if _, err := time.Parse("2006-01-02T15:04:05.000000", q.Get("at")); err != nil {
			t.Errorf("event created_datetime %q: %v", q.Get("at"), err)
		}
	}
	if strings.Join(types, ",") != "ticket-closed,ticket-reopened" {
		t.Errorf("events %q, want ticket-closed then ticket-reopened", types)
	}
}

// TestGETAnswersAreKeptOnTheCustomer: what a GET integration answers (JSON)
// is kept on the ticket's customer under the integration's id, as Gorgias
// keeps it to show agents.
func TestGETAnswersAreKeptOnTheCustomer(t *testing.T) {
	s, cl := start(t, Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"switchboard":{"state":"with an agent","ticket":"`+r.URL.Query().Get("t")+`"}}`)
	}))
	t.Cleanup(srv.Close)
	in, err := s.AddIntegration(HTTPHooks{URL: srv.URL + "/hook?t={{ticket.id}}"})
	if err != nil {
		t.Fatal(err)
	}
	id := newTicket(t, cl, "s", "hi")
	waitIdle(t, s)
	got, _ := s.Customers()[0].Integrations[strconv.FormatInt(in, 10)].(map[string]any)
	sb, _ := got["switchboard"].(map[string]any)
	if sb["state"] != "with an agent" || sb["ticket"] != strconv.FormatInt(id, 10) {
		t.Errorf("customer integrations = %v", s.Customers()[0].Integrations)
	}
}
