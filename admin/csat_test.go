package admin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/engine"
	"switchboard/livechat"
)

func TestAvailabilityAndSurveySettingsAreCheckedAndSaved(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	path := "/v1/admin/bots/livechat-demo/livechat"
	for _, bad := range []struct {
		body map[string]any
		says string
	}{
		{map[string]any{"availability": map[string]any{"time_zone": "Mars/Olympus"}}, "availability.time_zone"},
		{map[string]any{"availability": map[string]any{"weekly": map[string]any{"monday": []map[string]string{{"from": "18:00", "to": "09:00"}}}}}, "availability.weekly.monday[0]"},
		{map[string]any{"availability": map[string]any{"when_unavailable": "later"}}, "when_unavailable"},
		{map[string]any{"availability": map[string]any{"holidays": []string{"Christmas"}}}, "availability.holidays"},
		{map[string]any{"csat": map[string]any{"labels": []string{"bad", "good"}}}, "csat.labels"},
	} {
		if msg := c.fails("PUT", path, bad.body, "", http.StatusBadRequest); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q, want it to name %s", bad.body, msg, bad.says)
		}
	}
	day := []map[string]string{{"from": "09:00", "to": "12:00"}, {"from": "14:00", "to": "18:00"}}
	body := map[string]any{
		"availability": map[string]any{"time_zone": "Europe/Paris", "weekly": map[string]any{"monday": day}, "holidays": []string{"2026-12-25"},
			"exceptions": []map[string]any{{"date": "2026-12-24", "hours": []map[string]string{{"from": "09:00", "to": "13:00"}}}},
			"agents":     "online", "when_unavailable": "ticket", "ticket_message": "Back {next_open}."},
		"csat": map[string]any{"question": "Rate us", "comment": true},
	}
	var v livechatView
	c.must("PUT", path, body, http.StatusOK, &v)
	a := v.Settings.Availability
	if a == nil || a.TimeZone != "Europe/Paris" || len(a.Weekly["monday"]) != 2 || a.WhenUnavailable != livechat.UnavailableTicket ||
		len(a.Exceptions) != 1 || v.Settings.CSAT == nil || v.Settings.CSAT.Question != "Rate us" || !v.Settings.CSAT.Comment {
		t.Fatalf("saved settings: %+v %+v", a, v.Settings.CSAT)
	}
}

func TestTheDashboardShowsSatisfactionPerAgent(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	c.must("PUT", "/v1/admin/bots/livechat-demo/livechat", map[string]any{"csat": map[string]any{}}, http.StatusOK, nil)
	s := f.liveSession("rated-user")
	ctx := context.Background()
	if err := f.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentID: "a1", AgentName: "Sam", Text: "Done LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{switchboard.PayloadSessionEnd, "LIVECHAT_CSAT_4"} {
		raw, _ := json.Marshal(map[string]string{"payload": p})
		if _, err := f.app.Engine.HandleEvent(ctx, engine.Request{Client: s.Client, Payload: switchboard.Payload{ContentType: "payload", Content: raw}}); err != nil {
			t.Fatal(err)
		}
	}
	var out struct {
		Summaries []struct {
			AgentName string  `json:"agent_name"`
			Rated     int     `json:"rated"`
			Average   float64 `json:"average"`
			Ratings   []int   `json:"ratings"`
		} `json:"summaries"`
		Answers []switchboard.CSATAnswer `json:"answers"`
	}
	c.must("GET", "/v1/admin/csat?days=7&bot_id=livechat-demo", nil, http.StatusOK, &out)
	if len(out.Summaries) != 1 || out.Summaries[0].AgentName != "Sam" || out.Summaries[0].Average != 4 || out.Summaries[0].Ratings[3] != 1 {
		t.Fatalf("summaries: %+v", out.Summaries)
	}
	if len(out.Answers) != 1 || out.Answers[0].SessionID != s.ID || out.Answers[0].Rating != 4 {
		t.Fatalf("answers: %+v", out.Answers)
	}
	if msg := c.fails("GET", "/v1/admin/csat?days=0", nil, "", http.StatusBadRequest); !strings.Contains(msg, "days") {
		t.Errorf("bad days: %s", msg)
	}
	res, err := http.Get(f.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	m, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(m), `switchboard_csat_ratings_total{agent="a1",bot="livechat-demo",rating="4",team=""} 1`) ||
		!strings.Contains(string(m), `switchboard_csat_surveys_total{bot="livechat-demo"} 1`) {
		t.Errorf("no CSAT metrics in /metrics")
	}
}
