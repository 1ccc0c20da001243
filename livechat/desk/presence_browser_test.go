package desk_test

import (
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTheDeskPageSetsTheStatusAndHandsValuesBack: opening the desk makes
// the agent online, the status menu changes it, and the sign-off sends the
// "Hand back to the bot" values with it.
func TestTheDeskPageSetsTheStatusAndHandsValuesBack(t *testing.T) {
	f := newFixture(t, desk.Config{})
	f.needOnlineAgent()
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	presence := func() switchboard.PresenceStatus {
		var ps []switchboard.AgentPresence
		if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
			var err error
			ps, err = tx.ListPresence(f.ctx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.AgentID == f.agentA.ID {
				return p.Status
			}
		}
		return ""
	}

	signInPage(t, f, tab, emailA, passwordA)
	f.waitFor("the agent online", func() bool { return presence() == switchboard.PresenceOnline })
	browsertest.WaitJS(t, tab, "the status menu", `document.querySelector("#presence").value === "online"`)
	browsertest.Eval[bool](t, tab, `(s => { s.value = "away"; s.dispatchEvent(new Event("change")); return true; })(document.querySelector("#presence"))`)
	f.waitFor("the agent away", func() bool { return presence() == switchboard.PresenceAway })
	f.send("hb-page", textPayload("hi"))
	if r := f.send("hb-page", buttonPayload(switchboard.PayloadSessionStart)); r.Session != nil {
		t.Fatal("a session opened while the only agent is away")
	}
	browsertest.Eval[bool](t, tab, `(s => { s.value = "online"; s.dispatchEvent(new Event("change")); return true; })(document.querySelector("#presence"))`)
	f.waitFor("the agent online again", func() bool { return presence() == switchboard.PresenceOnline })

	id := f.startSession("hb-page")
	browsertest.Click(t, tab, `#lists [data-session-id="`+id+`"] button`)
	browsertest.Click(t, tab, "#claim")
	browsertest.Click(t, tab, "#handback summary")
	browsertest.Type(t, tab, "#handback-values", "order_id=1234")
	browsertest.Screenshot(t, tab, "desk-handback")
	browsertest.Axe(t, tab)
	browsertest.Click(t, tab, "#signoff")
	f.waitFor("the end question", func() bool { return f.findMessage("hb-page", isEndQuestion) != nil })
	var held map[string]string
	if err := f.store.View(f.ctx, func(tx switchboard.Tx) error {
		var err error
		held, err = tx.Handback(f.ctx, id)
		return err
	}); err != nil || held["order_id"] != "1234" {
		t.Fatalf("handed back %v (%v)", held, err)
	}
}
