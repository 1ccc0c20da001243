package gorgiassim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// post sends JSON to a control endpoint.
func post(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAgentActionsMakeTheHelpdesksMessages(t *testing.T) {
	s, c := start(t, Config{})
	id := newTicket(t, c, "s", "hi")
	base := s.URL + "/_sim/tickets/" + strconv.FormatInt(id, 10) + "/actions"
	for _, a := range []Action{
		{Kind: ActReply, Text: "reply"},
		{Kind: ActNote, Text: "note"},
		{Kind: ActMacro},
		{Kind: ActRule},
		{Kind: ActAttachment, Attachment: &Attachment{URL: "https://f.example/x.pdf", Name: "x.pdf", ContentType: "application/pdf"}},
		{Kind: ActHTML, HTML: "<p>html</p>"},
		{Kind: ActSurvey},
		{Kind: ActClose},
	} {
		if st, out := post(t, base, a); st != 200 {
			t.Fatalf("%s: %d %v", a.Kind, st, out)
		}
	}
	if st, _ := post(t, base, Action{Kind: "dance"}); st != 400 {
		t.Errorf("an unknown action: %d", st)
	}
	tk, _ := s.TicketByExternalID("s")
	ms := tk.Messages
	if len(ms) != 8 || tk.Status != "closed" {
		t.Fatalf("%d messages, status %s", len(ms), tk.Status)
	}
	check := map[int]func(Message) bool{
		1: func(m Message) bool {
			return m.FromAgent && m.Public && m.Via == "helpdesk" && m.Sender.ID == DefaultUser.ID
		},
		2: func(m Message) bool { return m.Internal() && m.Channel == "internal-note" },
		3: func(m Message) bool { return strings.HasSuffix(m.Text(), "LIVECHAT_SESSION_END") && len(m.Macros) == 1 },
		4: func(m Message) bool { return m.RuleID != nil && m.Via == "rule" },
		5: func(m Message) bool { return m.Text() == "" && len(m.Attachments) == 1 },
		6: func(m Message) bool { return m.BodyText == nil && *m.BodyHTML == "<p>html</p>" },
		7: func(m Message) bool { return m.Source != nil && m.Source.Type == "satisfaction-survey" },
	}
	for i, ok := range check {
		if !ok(ms[i]) {
			raw, _ := json.Marshal(ms[i])
			t.Errorf("message %d: %s", i, raw)
		}
	}
	resp, err := http.Get(s.URL + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	if st, out := post(t, s.URL+"/_sim/chaos", ChaosSwitches{Duplicate: 0.5, Reorder: 3, Outage: true}); st != 200 || out["outage"] != true || out["reorder"] != float64(3) {
		t.Errorf("chaos: %d %v", st, out)
	}
	if st, _, _ := c.do("GET", "/api/account", nil); st != 503 {
		t.Errorf("the outage switch: %d", st)
	}
	if st, out := post(t, s.URL+"/_sim/integrations", map[string]any{"url": "http://127.0.0.1:1/x", "triggers": []string{"ticket-updated"}}); st != 201 || out["id"] == nil {
		t.Errorf("add integration: %d %v", st, out)
	}
	if in := s.Integrations(); len(in) != 1 || !in[0].HTTP.Triggers["ticket-updated"] || in[0].HTTP.Method != "GET" {
		t.Errorf("integrations %+v", in)
	}
}
