package gorgiassim

import (
	"strings"
	"testing"
	"time"

	"switchboard/internal/browsertest"
)

// TestConsoleActsAsAnAgent uses the console page as a person trying the
// integration would: set up the integration, open a ticket, reply, write a
// note, sign off and close.
func TestConsoleActsAsAnAgent(t *testing.T) {
	s, c := start(t, Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), time.Minute)
	browsertest.Navigate(t, tab, s.URL+"/")
	browsertest.WaitJS(t, tab, "the credentials", browsertest.TextHas("#apikey", DefaultUser.APIKey))

	browsertest.Type(t, tab, "#hookurl", "http://127.0.0.1:1/v1/livechat/gorgias/receive?external_id={{ticket.external_id}}&token=x")
	browsertest.Click(t, tab, "#addhook")
	browsertest.WaitJS(t, tab, "the integration", browsertest.TextHas("#hooks", "GET http://127.0.0.1:1/v1/livechat/gorgias/receive"))

	id := newTicket(t, c, "session-1", "Where is my parcel?")
	browsertest.WaitJS(t, tab, "the ticket", browsertest.Present("#tickets li:not(.muted)"))
	browsertest.Click(t, tab, "#tickets li")
	browsertest.WaitJS(t, tab, "the customer's message", browsertest.TextHas(".msg.customer", "Where is my parcel?"))
	for _, step := range []struct{ act, text, sel string }{
		{"reply", "It left this morning.", ".msg.agent"},
		{"note", "carrier is late", ".msg.note"},
	} {
		browsertest.Type(t, tab, "#text", step.text)
		browsertest.Click(t, tab, `[data-act="`+step.act+`"]`)
		browsertest.WaitJS(t, tab, step.act, browsertest.TextHas(step.sel, step.text))
	}
	browsertest.Click(t, tab, `[data-act="macro"]`)
	browsertest.WaitJS(t, tab, "the macro", browsertest.TextHas(".msg.agent", "LIVECHAT_SESSION_END"))
	browsertest.Click(t, tab, `[data-act="close"]`)
	browsertest.WaitJS(t, tab, "the closed ticket", browsertest.TextHas("#title", "(closed)"))

	tk, _ := s.TicketByExternalID("session-1")
	if tk.ID != id || tk.Status != "closed" || len(tk.Messages) != 4 || !tk.Messages[2].Internal() || !strings.Contains(tk.Messages[3].Text(), "LIVECHAT_SESSION_END") {
		t.Errorf("the ticket after the console: %+v", tk)
	}
}
