package messengersim_test

import (
	"net/http"
	"testing"
	"time"

	"switchboard/channel/messenger/messengersim"
	"switchboard/internal/browsertest"
)

// TestConsoleActsAsTheUserAndTheInbox: on the console, at a phone's and a
// desktop's width (axe-core finding nothing serious), a user writes, sees
// the page's quick replies and taps one, and the inbox takes the thread.
func TestConsoleActsAsTheUserAndTheInbox(t *testing.T) {
	browser := browsertest.Browser(t)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{browsertest.PhoneWidth, browsertest.PhoneHeight, true}, {browsertest.DesktopWidth, browsertest.DesktopHeight, false}} {
		sim := messengersim.New(messengersim.Config{})
		if err := sim.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sim.Close)
		tab := browsertest.Tab(t, browser, time.Minute)
		browsertest.Viewport(t, tab, size.w, size.h, size.mobile)
		browsertest.Navigate(t, tab, sim.URL()+"/")
		browsertest.WaitJS(t, tab, "the page's id", browsertest.TextHas("#hook", sim.Config().AccountID))
		browsertest.Axe(t, tab)

		browsertest.Type(t, tab, "#text", "Where is my order?")
		browsertest.Click(t, tab, "#send button")
		browsertest.WaitJS(t, tab, "the user's bubble", browsertest.TextHas(".msg.user", "Where is my order?"))
		user := sim.ReadState().Users[0].ID
		if status, _ := call(t, sim, "me/messages", sim.Config().PageAccessToken, `{"recipient":{"id":"`+user+`"},"messaging_type":"RESPONSE","message":{"text":"Which one?","quick_replies":[{"content_type":"text","title":"The shoes","payload":"SHOES"}]}}`); status != http.StatusOK {
			t.Fatalf("send: %d", status)
		}
		browsertest.WaitJS(t, tab, "the quick reply", browsertest.TextHas(".msg.app button", "The shoes"))
		browsertest.Axe(t, tab)
		browsertest.Click(t, tab, ".msg.app button")
		browsertest.WaitJS(t, tab, "the tap as the user's bubble", browsertest.TextHas(".msg.user:last-child", "The shoes"))
		browsertest.Click(t, tab, "#take")
		browsertest.WaitJS(t, tab, "the inbox's thread", browsertest.TextHas("#owner", messengersim.PageInboxAppID))
		if got := sim.ReadState().Users[0].Messages; len(got) != 3 || got[2].Payload != "SHOES" {
			t.Errorf("the conversation is %+v", got)
		}
	}
}
