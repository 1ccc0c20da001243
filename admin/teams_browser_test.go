package admin_test

import (
	"fmt"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
)

// TestTeamsAndQueueFiguresInABrowser: an administrator makes a team with an
// agent, sees it listed, and reads the queue figures and the export link on
// the dashboard.
func TestTeamsAndQueueFiguresInABrowser(t *testing.T) {
	f := newFixture(t)
	today := time.Now().UTC().Truncate(24 * time.Hour).Add(time.Hour)
	s := pastSession("q1", "u1", "billing", 0, 2*time.Minute, 3*time.Minute, 12*time.Minute, switchboard.EndUser)
	s.CreatedAt, s.LastActivityAt = today, today
	claimed, first, ended := today.Add(2*time.Minute), today.Add(3*time.Minute), today.Add(12*time.Minute)
	s.ClaimedAt, s.FirstReplyAt, s.EndedAt = &claimed, &first, &ended
	f.storeSessions(s)
	browser := browsertest.Browser(t)
	admin := adminTab(t, f, browser)

	waitJS(t, admin, "the queue figures", textHas("#queue-by-team", "billing")+" && "+textHas("#queue-by-team", "2 min"))
	waitJS(t, admin, "the export link", `document.getElementById("export-link").getAttribute("href").startsWith("/v1/admin/sessions/export?from=")`)
	browsertest.Axe(t, admin)

	browsertest.Navigate(t, admin, f.base+"/admin/#/teams")
	waitJS(t, admin, "the teams page", present("#team-id")+" && "+textHas("#team-list", "No team"))
	typeIn(t, admin, "#team-id", "billing")
	typeIn(t, admin, "#team-name", "Billing")
	click(t, admin, "#team-agents input")
	click(t, admin, "#team-save")
	waitJS(t, admin, "the team listed", textHas(`#team-list tr[data-team-id="billing"]`, "Billing"))
	browsertest.Axe(t, admin)

	// The queue's settings on the bot's page.
	browsertest.Navigate(t, admin, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, admin, "the queue settings", present("#lc-queue-wait-limit")+` && document.getElementById("lc-queue-message-origin").textContent === "default"`)
	typeIn(t, admin, "#lc-queue-wait-limit", "10m")
	click(t, admin, "#lc-queue-announce")
	click(t, admin, "#lc-save")
	waitJS(t, admin, "the settings saved", textHas("#lc-status", "Saved"))
	var out struct {
		Settings struct {
			Queue map[string]any `json:"queue"`
		} `json:"settings"`
	}
	f.script().must("GET", "/v1/admin/bots/livechat-demo/livechat", nil, 200, &out)
	if fmt.Sprint(out.Settings.Queue) != "map[announce:true wait_limit:10m0s]" {
		t.Errorf("queue settings saved from the page: %v", out.Settings.Queue)
	}
}
