package gorgiassim

import (
	"strings"
	"testing"

	"switchboard/internal/browsertest"
	"switchboard/internal/simkit/simtest"
)

// TestConsoleActsAsAnAgent uses the console page as a person trying the
// integration would: set up the integration, open a ticket, reply, write a
// note, sign off and close.
func TestConsoleActsAsAnAgent(t *testing.T) {
	s, c := start(t, Config{})
	tab := simtest.Console(t, s.URL, "apikey", DefaultUser.APIKey)
	browsertest.Type(t, tab, "#hookurl", "http://127.0.0.1:1/v1/livechat/gorgias/receive?external_id={{ticket.external_id}}&token=x")
	browsertest.Click(t, tab, "#addhook")
	browsertest.WaitJS(t, tab, "the integration", browsertest.TextHas("#hooks", "GET http://127.0.0.1:1/v1/livechat/gorgias/receive"))

	id := newTicket(t, c, "session-1", "Where is my parcel?")
	simtest.OpenThread(t, tab, ".msg.customer", "Where is my parcel?")
	simtest.Acts(t, tab,
		simtest.Act{Kind: "reply", Text: "It left this morning.", Sel: ".msg.agent"},
		simtest.Act{Kind: "note", Text: "carrier is late", Sel: ".msg.note"},
		simtest.Act{Kind: "macro", Sel: ".msg.agent", Want: "LIVECHAT_SESSION_END"},
		simtest.Act{Kind: "close", Sel: "#title", Want: "(closed)"},
	)

	tk, _ := s.TicketByExternalID("session-1")
	if tk.ID != id || tk.Status != "closed" || len(tk.Messages) != 4 || !tk.Messages[2].Internal() || !strings.Contains(tk.Messages[3].Text(), "LIVECHAT_SESSION_END") {
		t.Errorf("the ticket after the console: %+v", tk)
	}
}
