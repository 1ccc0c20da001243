package twiliosim_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"switchboard/channel/twilio/twiliosim"
	"switchboard/internal/browsertest"
)

// TestConsolePageTextsAsACustomer uses the console page as a person
// trying a bot would, on a phone and on a desktop: paste the webhook URL,
// text as a customer, see the text and the reply with their segments; the
// page fits the screen and passes axe-core.
func TestConsolePageTextsAsACustomer(t *testing.T) {
	browser := browsertest.Browser(t)
	for _, size := range []struct {
		w, h   int64
		mobile bool
	}{{browsertest.PhoneWidth, browsertest.PhoneHeight, true}, {browsertest.DesktopWidth, browsertest.DesktopHeight, false}} {
		t.Run(fmt.Sprint(size.w), func(t *testing.T) {
			sim := start(t)
			rc := &receiver{reply: `<Response><Message>Hello from the bot</Message></Response>`}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			tab := browsertest.Tab(t, browser, time.Minute)
			browsertest.Viewport(t, tab, size.w, size.h, size.mobile)
			browsertest.Navigate(t, tab, sim.URL()+"/")
			browsertest.WaitJS(t, tab, "the number", browsertest.TextHas("#number", twiliosim.DefaultNumber))
			browsertest.Axe(t, tab)

			browsertest.Type(t, tab, "#url", srv.URL+"/hook")
			browsertest.Click(t, tab, "#hook button")
			browsertest.Type(t, tab, "#body", "Hi, where is my order?")
			browsertest.Click(t, tab, "#text button")
			browsertest.WaitJS(t, tab, "the customer's text", browsertest.TextHas("#log li.in", "where is my order"))
			browsertest.WaitJS(t, tab, "the reply", browsertest.TextHas("#log li.out", "Hello from the bot"))
			browsertest.WaitJS(t, tab, "the segments", browsertest.TextHas("#log li.in .meta", "1 segment(s), GSM-7"))
			if err := sim.WaitDeliveries(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rc.find(func(f url.Values) bool {
				return f.Get("Body") == "Hi, where is my order?" && f.Get("From") == "+15551230001"
			}) == nil {
				t.Error("the webhook did not get the text")
			}
			if size.mobile {
				browsertest.WaitJS(t, tab, "no sideways scroll", browsertest.NoSideScroll)
			}
			browsertest.Axe(t, tab)
			browsertest.Screenshot(t, tab, fmt.Sprintf("twiliosim-console-%d", size.w))
		})
	}
}
