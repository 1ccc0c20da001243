package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard"
)

// searchTests pin down SessionFilter.Text: what the desk's search box finds.
var searchTests = []test{
	{"ListSessionsByText", func(t *testing.T, s switchboard.Store) {
		withMeta := func(ss switchboard.Session, meta string) switchboard.Session {
			ss.Metadata = json.RawMessage(meta)
			return ss
		}
		createSessions(t, s,
			withMeta(ended(session("a", key(1), at(0)), at(30*time.Second)), `{"firstname": "Ann", "email": "ann@shop.example"}`),
			withMeta(session("b", key(2), at(time.Minute)), `{"name": "Bob", "custom": {"note": "refund"}, "age": 40}`),
			withMeta(ended(session("c", key(3), at(2*time.Minute)), at(3*time.Minute)), `{"name": "Cy 50%_off"}`),
			withMeta(session("d", key(1), at(4*time.Minute)), `{}`),
		)
		msg := func(k switchboard.ClientKey, sessionID string, p switchboard.Payload) switchboard.Message {
			return switchboard.Message{Client: k, SessionID: sessionID, Direction: switchboard.DirectionReceive,
				Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: p, CreatedAt: at(5 * time.Minute)}
		}
		button := switchboard.Payload{ContentType: "payload", Content: json.RawMessage(`{"title": "Track my parcel", "payload": "TRACK"}`)}
		addMessages(t, s, []switchboard.Message{
			msg(key(2), "b", text("Where is my ORDER 1234?")),
			msg(key(3), "c", button),
			msg(key(1), "", text("a word outside any session: zebra")),
			msg(key(1), "d", text("second visit about a Refund")),
		})
		list := func(q string) []string { return sessionIDs(t, s, switchboard.SessionFilter{Text: q}) }
		equal(t, "ListSessions(text ann)", list("ann"), []string{"a"})
		equal(t, "ListSessions(text ANN@SHOP)", list("ANN@SHOP"), []string{"a"})
		equal(t, "ListSessions(text order 12)", list("order 12"), []string{"b"})
		equal(t, "ListSessions(text parcel: a button's title)", list("parcel"), []string{"c"})
		equal(t, "ListSessions(text refund: a message, not nested metadata)", list("refund"), []string{"d"})
		equal(t, "ListSessions(text firstname: keys are not searched)", list("firstname"), []string{})
		equal(t, "ListSessions(text 40: numbers are not searched)", list("40"), []string{})
		equal(t, "ListSessions(text zebra: outside sessions)", list("zebra"), []string{})
		equal(t, "ListSessions(text 50%_: literal)", list("50%_"), []string{"c"})
		equal(t, "ListSessions(text %: literal)", list("%"), []string{"c"})
		equal(t, "ListSessions(text _: literal)", list("_"), []string{"c"})
		equal(t, "ListSessions(text a, ended, limit 1)", sessionIDs(t, s, switchboard.SessionFilter{Text: "a",
			States: []switchboard.SessionState{switchboard.SessionEnded}, Limit: 1}), []string{"c"})
		equal(t, "ListSessions(text o, live, oldest first)", sessionIDs(t, s, switchboard.SessionFilter{Text: "o",
			States: []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive}, OldestFirst: true}),
			[]string{"b", "d"})
	}},
}
