package desk_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// needOnlineAgent makes the test bot refuse sessions while no desk agent is
// online.
func (f *fixture) needOnlineAgent() {
	f.t.Helper()
	raw, _ := json.Marshal(livechat.Settings{Availability: &livechat.Availability{Agents: livechat.AgentsOnline, WhenUnavailable: livechat.UnavailableRefuse}})
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error { return tx.PutSetting(f.ctx, livechat.SettingName(testBotID), raw) }); err != nil {
		f.t.Fatal(err)
	}
}

func TestAgentsSetTheirPresenceAndCustomersGetAnAgentOnlyWhileOneIsOnline(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.needOnlineAgent()
	a := f.signIn(emailA, passwordA)
	var p struct {
		Status   string  `json:"status"`
		ActiveAt *string `json:"active_at"`
	}
	a.call("GET", "/desk/api/presence", nil, http.StatusOK, &p)
	if p.Status != "offline" || p.ActiveAt != nil {
		t.Fatalf("presence before any: %+v", p)
	}
	f.send("u1", textPayload("hi"))
	if r := f.send("u1", buttonPayload(switchboard.PayloadSessionStart)); r.Session != nil {
		t.Fatal("a session opened with nobody online")
	}

	a.call("PUT", "/desk/api/presence", map[string]string{"status": "online"}, http.StatusOK, &p)
	if p.Status != "online" || p.ActiveAt == nil {
		t.Fatalf("presence after setting it: %+v", p)
	}
	if r := f.send("u1", buttonPayload(switchboard.PayloadSessionStart)); r.Session == nil {
		t.Fatal("no session with an agent online")
	}
	a.call("PUT", "/desk/api/presence", map[string]string{"status": "away"}, http.StatusOK, &p)
	if r := f.send("u2", buttonPayload(switchboard.PayloadSessionStart)); r.Session != nil {
		t.Fatal("a session opened while the only agent is away")
	}
	if e := a.fails("PUT", "/desk/api/presence", map[string]string{"status": "busy"}, http.StatusBadRequest); !strings.Contains(e.Error.Message, "online, away or offline") {
		t.Errorf("bad status: %s", e.Error.Message)
	}
}

func TestTheSignOffHandsValuesBackToTheBot(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("hb-user")
	a := f.signIn(emailA, passwordA)
	for in, want := range map[string]string{
		`{"text":"Bye","handback":{"order-id":"1"}}`:       `handback key "order-id" is not a name`,
		`{"text":"Bye","handback":{"order_id":"1\n2"}}`:    "has several lines",
		`{"text":"Bye","handback":{"order_id":"a\u0000"}}`: "contains U+0000",
	} {
		if e := a.fails("POST", "/desk/api/sessions/"+id+"/signoff", json.RawMessage(in), http.StatusBadRequest); !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s: %s", in, e.Error.Message)
		}
	}
	if f.findMessage("hb-user", isEndQuestion) != nil {
		t.Fatal("a refused sign-off was delivered")
	}
	a.call("POST", "/desk/api/sessions/"+id+"/signoff", map[string]any{"text": "Bye!", "handback": map[string]string{"order_id": "1234", "flow": "billing"}}, http.StatusOK, nil)
	// The bot reads them in event.handback when the customer ends the
	// session (see the engine's tests); the desk stores them with it.
	var held map[string]string
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		held, err = tx.Handback(f.ctx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 || held["order_id"] != "1234" || held["flow"] != "billing" {
		t.Fatalf("handed back: %v", held)
	}
	if f.findMessage("hb-user", isAgentText(nameA, "Bye!")) == nil || f.findMessage("hb-user", isEndQuestion) == nil {
		t.Fatal("the sign-off did not reach the customer")
	}
}
