package admin_test

import (
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
}
