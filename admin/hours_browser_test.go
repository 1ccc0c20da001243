package admin_test

import (
	"context"
	"net/http"
	"testing"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/browsertest"
	"switchboard/livechat"
)

// TestBusinessHoursAndSurveyFromTheBotPage: an administrator gives the
// demo bot split weekday hours, a holiday and a survey on the bot's page;
// the settings are saved as typed, and a rating shows on the dashboard.
func TestBusinessHoursAndSurveyFromTheBotPage(t *testing.T) {
	f := newFixture(t)
	admin := adminTab(t, f, browsertest.Browser(t))
	browsertest.Navigate(t, admin, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, admin, "the livechat settings", present("#lc-hours-on"))
	click(t, admin, "#lc-hours-on")
	typeIn(t, admin, "#lc-hours-tz", "Europe/Paris")
	click(t, admin, "#lc-hours-always")
	typeIn(t, admin, "#lc-hours-monday", "09:00-12:00, 14:00-18:00")
	typeIn(t, admin, "#lc-hours-holidays", "2026-12-25")
	typeIn(t, admin, "#lc-hours-exceptions", "2026-12-24 09:00-13:00\n2026-12-31 closed")
	browsertest.Eval[bool](t, admin, `(s => { s.value = "refuse"; return true; })(document.querySelector("#lc-hours-when"))`)
	click(t, admin, "#lc-csat-on")
	typeIn(t, admin, "#lc-csat-question", "How did we do?")
	browsertest.Screenshot(t, admin, "admin-hours")
	browsertest.Axe(t, admin)
	click(t, admin, "#lc-save")
	waitJS(t, admin, "the settings saved", textHas("#lc-status", "Saved"))

	var s livechat.Settings
	if err := f.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		s, err = livechat.LoadSettings(context.Background(), tx, f.app.Livechat.Sealer, "livechat-demo")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	a := s.Availability
	if a == nil || a.TimeZone != "Europe/Paris" || len(a.Weekly) != 1 || len(a.Weekly["monday"]) != 2 || a.Weekly["monday"][1].From != "14:00" ||
		len(a.Holidays) != 1 || len(a.Exceptions) != 2 || len(a.Exceptions[1].Hours) != 0 || a.WhenUnavailable != livechat.UnavailableRefuse ||
		s.CSAT == nil || s.CSAT.Question != "How did we do?" {
		t.Fatalf("saved: %+v %+v", a, s.CSAT)
	}

	// A rated session shows on the dashboard (whatever the time of day
	// the test runs: no hours).
	f.script().must("PUT", "/v1/admin/bots/livechat-demo/livechat", map[string]any{"csat": map[string]any{}}, http.StatusOK, nil)
	sess := f.liveSession("rater")
	ctx := context.Background()
	if err := f.app.Engine.Reply(ctx, engine.AgentReply{SessionID: sess.ID, AgentID: "a1", AgentName: "Sam", Text: "LIVECHAT_SESSION_END"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`{"payload":"LIVECHAT_SESSION_END"}`, `{"payload":"LIVECHAT_CSAT_5"}`} {
		if _, err := f.app.Engine.HandleEvent(ctx, engine.Request{Client: sess.Client, Payload: switchboard.Payload{ContentType: "payload", Content: []byte(p)}}); err != nil {
			t.Fatal(err)
		}
	}
	browsertest.Navigate(t, admin, f.base+"/admin/#/")
	waitJS(t, admin, "the satisfaction", textHas("#kpi-csat", "5.00 / 5")+" && "+textHas("#csat-table", "Sam"))
	browsertest.Axe(t, admin)
}
