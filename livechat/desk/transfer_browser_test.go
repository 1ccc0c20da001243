package desk_test

import (
	"fmt"
	"testing"
	"time"

	"switchboard/internal/browsertest"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// TestTransferInTheBrowser: an agent holding a routed conversation sees its
// team, priority, tags and note, transfers it to a team with a note, and it
// goes back to that team's queue, which another agent's desk shows.
func TestTransferInTheBrowser(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.saveTeams(livechat.Team{ID: "billing", Name: "Billing", Agents: []string{f.agentB.ID}}, livechat.Team{ID: "sales", Name: "Sales", Agents: []string{f.agentA.ID}})
	browser := browsertest.Browser(t)
	ada := browsertest.Tab(t, browser, 60*time.Second)
	signInPage(t, f, ada, emailA, passwordA)

	f.route("payer", `{"team": "sales", "priority": "high", "tags": ["vip"], "note": "order 1234"}`)
	id := f.startSession("payer")
	row := fmt.Sprintf(`#list-waiting [data-session-id=%q]`, id)
	browsertest.WaitJS(t, ada, "the routed session in the list", browsertest.TextHas(row, "Sales")+" && "+browsertest.TextHas(row, "high")+" && "+browsertest.TextHas(row, "#1 in queue"))
	browsertest.Click(t, ada, row+" button")
	browsertest.Click(t, ada, "#claim")
	browsertest.WaitJS(t, ada, "the routing in the details", browsertest.TextHas("#customer", "order 1234")+" && "+browsertest.TextHas("#customer", "vip"))

	browsertest.Click(t, ada, "#transfer")
	browsertest.WaitJS(t, ada, "the transfer dialog", `document.getElementById("transfer-dialog").open && document.querySelector('#transfer-to option[value="team:billing"]') !== null`)
	browsertest.Axe(t, ada)
	browsertest.Eval[any](t, ada, `document.getElementById("transfer-to").value = "team:billing", 0`)
	browsertest.Type(t, ada, "#transfer-note", "wants a refund")
	browsertest.Click(t, ada, "#transfer-submit")
	browsertest.WaitJS(t, ada, "the dialog closed and the session gone from Ada's desk",
		`!document.getElementById("transfer-dialog").open && document.querySelector(`+fmt.Sprintf("%q", row)+`) === null`)

	bob := browsertest.Tab(t, browser, 60*time.Second)
	signInPage(t, f, bob, emailB, passwordB)
	browsertest.WaitJS(t, bob, "the session in billing's queue", browsertest.TextHas(row, "Billing"))
	browsertest.Click(t, bob, row+" button")
	browsertest.WaitJS(t, bob, "the transfer note", browsertest.TextHas("#customer", "Transferred by "+nameA+": wants a refund"))
}
