package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/internal/testclock"
	"switchboard/livechat"
)

var (
	waitJS  = browsertest.WaitJS
	click   = browsertest.Click
	typeIn  = browsertest.Type
	present = browsertest.Present
	textHas = browsertest.TextHas
)

// openChat opens the chat page and waits for the bot's menu.
func openChat(t *testing.T, tab context.Context, url string) {
	t.Helper()
	browsertest.Navigate(t, tab, url)
	waitJS(t, tab, "the bot's menu", present(`button[data-payload="LIVECHAT_SESSION_START"]`))
}

// say types a message in the chat page and sends it.
func say(t *testing.T, tab context.Context, text string) {
	t.Helper()
	typeIn(t, tab, "#composer-input", text+kb.Enter)
}

// signIn opens the desk and signs the agent in.
func signIn(t *testing.T, tab context.Context, base string) {
	t.Helper()
	browsertest.Navigate(t, tab, base+"/desk/")
	typeIn(t, tab, "#login-email", agentEmail)
	typeIn(t, tab, "#login-password", agentPassword)
	click(t, tab, "#login-submit")
	browsertest.WaitJSWithin(t, tab, time.Minute, "the desk after sign-in", browsertest.Visible("#app"))
}

// TestHandoffStory plays the whole story with two browsers: the user and an
// agent, on a real server with the demo bot.
func TestHandoffStory(t *testing.T) {
	srv := startServer(t, switchboard.SystemClock{}, nil)
	browser := browsertest.Browser(t)
	user := browsertest.Tab(t, browser, 2*time.Minute)
	agent := browsertest.Tab(t, browser, 2*time.Minute)

	// The user opens the chat page and tells who they are.
	openChat(t, user, srv.chatURL())
	click(t, user, "#meta-toggle")
	typeIn(t, user, "#meta-firstname", "Grace")
	typeIn(t, user, "#meta-email", "grace@example.com")
	click(t, user, "#meta-save")
	waitJS(t, user, "the metadata to be saved", textHas("#meta-status", "Saved"))

	// "Talk to a human": the bot stays silent from then on.
	botBefore := browsertest.Eval[int](t, user, browsertest.Count(".msg.bot"))
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	waitJS(t, user, "the connecting message", textHas(".msg.system", livechat.DefaultConnectingMessage))

	// The agent signs in, sees the session with the transcript and the
	// metadata, claims it and replies.
	signIn(t, agent, srv.app.URL())
	click(t, agent, "#list-waiting [data-session-id] button")
	waitJS(t, agent, "the bot transcript", textHas("#transcript", "I am the switchboard demo bot"))
	waitJS(t, agent, "the customer's metadata", textHas("#customer", "Grace")+" && "+textHas("#customer", "grace@example.com"))
	click(t, agent, "#claim")
	waitJS(t, user, "the agent's name in the status", textHas("#livechat-status", "You are talking to Alex"))
	typeIn(t, agent, "#composer", "Hello Grace, Alex here. How can I help?")
	click(t, agent, "#send")

	// The user sees the reply with the agent's name and writes back.
	waitJS(t, user, "the agent's reply", textHas(".msg.agent", "Hello Grace, Alex here.")+" && "+textHas(".msg.agent .sender-name", "Alex"))
	say(t, user, "My parcel has not arrived")
	waitJS(t, agent, "the user's message at the desk", textHas("#transcript", "My parcel has not arrived"))

	// The agent signs off: the user sees the end message and its button.
	click(t, agent, "#signoff")
	waitJS(t, user, "the end question", textHas(".msg", livechat.DefaultEndMessage)+" && "+present(`button[data-payload="LIVECHAT_SESSION_END"]`))

	// Typing something else first keeps the session going.
	say(t, user, "Actually, one more thing")
	waitJS(t, agent, "the message after the sign-off at the desk", textHas("#transcript", "Actually, one more thing"))
	if n := browsertest.Eval[int](t, user, browsertest.Count(".msg.bot")); n != botBefore {
		t.Fatalf("the bot said %d messages during the session", n-botBefore)
	}

	// The click ends the session: the bot answers from the step after its hold.
	click(t, user, `button[data-payload="LIVECHAT_SESSION_END"]`)
	waitJS(t, user, "the bot after the session", textHas(".msg.bot", "Thanks for chatting with us today!"))
	waitJS(t, agent, "the desk to show the end", textHas("#banner", "ended"))

	// In the stored history, the bot said nothing between the start and the end.
	h := srv.history()
	during := false
	for _, m := range h {
		p := payloadValue(m)
		switch {
		case m.Direction == switchboard.DirectionReceive && p == switchboard.PayloadSessionStart:
			during = true
		case m.Direction == switchboard.DirectionReceive && p == switchboard.PayloadSessionEnd:
			during = false
		case during && m.Sender.Kind == switchboard.SenderBot:
			t.Fatalf("the bot spoke during the session: %s", m.Payload.Content)
		}
	}
}

// TestExpiryReachesTheOpenChatPage moves an injected clock past the 30-minute
// timeout while the chat page is open.
func TestExpiryReachesTheOpenChatPage(t *testing.T) {
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	srv := startServer(t, clock, nil)
	browser := browsertest.Browser(t)
	user := browsertest.Tab(t, browser, time.Minute)
	openChat(t, user, srv.chatURL())
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	waitJS(t, user, "the session to be active", `document.querySelector("#livechat-status").dataset.session === "active"`)

	clock.Advance(29 * time.Minute)
	time.Sleep(100 * time.Millisecond)
	if browsertest.Eval[bool](t, user, textHas(".msg.bot", "timed out")) {
		t.Fatal("expired before the timeout")
	}
	clock.Advance(time.Minute + time.Second)
	const expired = "Our conversation with an agent timed out."
	waitJS(t, user, "the expiry message", textHas(".msg.bot", expired)+` && document.querySelector("#livechat-status").hidden`)
	time.Sleep(200 * time.Millisecond) // several timer rounds
	if n := browsertest.Eval[int](t, user, `[...document.querySelectorAll(".msg.bot")].filter(e => e.textContent.includes("timed out")).length`); n != 1 {
		t.Fatalf("the expiry message appeared %d times", n)
	}
	// The user's next message goes to the bot.
	say(t, user, "hello?")
	waitJS(t, user, "the bot to answer", textHas(".msg.bot", "Please click on one of the buttons."))
}

// TestRestartMidSessionLosesNothing stops and restarts the server while a
// session is active and the chat page stays open.
func TestRestartMidSessionLosesNothing(t *testing.T) {
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	srv := startServer(t, clock, nil)
	browser := browsertest.Browser(t)
	user := browsertest.Tab(t, browser, 2*time.Minute)
	agent := browsertest.Tab(t, browser, 2*time.Minute)
	openChat(t, user, srv.chatURL())
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	signIn(t, agent, srv.app.URL())
	click(t, agent, "#list-waiting [data-session-id] button")
	click(t, agent, "#claim")
	waitJS(t, user, "the agent", textHas("#livechat-status", "Alex"))

	srv.stop()
	say(t, user, "are you still there?") // queued in the page while the server is down
	srv.start()

	waitJS(t, user, "the queued message to be delivered", `!document.querySelector(".msg.user.pending")`)
	browsertest.Navigate(t, agent, srv.app.URL()+"/desk/")
	click(t, agent, "#list-active [data-session-id] button")
	waitJS(t, agent, "the message sent during the restart", textHas("#transcript", "are you still there?"))
	typeIn(t, agent, "#composer", "Yes, still here.")
	click(t, agent, "#send")
	waitJS(t, user, "the agent's reply after the restart", textHas(".msg.agent", "Yes, still here."))

	// Nothing was lost or repeated on the page: ids are unique and increasing.
	ids := browsertest.Eval[[]int](t, user, `[...document.querySelectorAll(".msg[data-id]")].map(e => +e.dataset.id)`)
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("messages repeated or out of order on the page: %v", ids)
		}
	}
	shown := map[int]bool{}
	for _, id := range ids {
		shown[id] = true
	}
	for _, m := range srv.history() {
		hidden := m.Sender.Kind == switchboard.SenderSystem && m.Direction == switchboard.DirectionReceive ||
			m.Payload.ContentType == "typing" || m.Payload.ContentType == "wait" || m.Payload.ContentType == "flow_trigger"
		if !hidden && !shown[int(m.ID)] {
			t.Fatalf("message %d (%s) is in the history but not on the page", m.ID, m.Payload.Content)
		}
	}

	// The expiry timer still fires after the restart.
	clock.Advance(31 * time.Minute)
	waitJS(t, user, "the expiry after the restart", textHas(".msg.bot", "timed out"))
}

func payloadValue(m switchboard.Message) string {
	var c struct {
		Payload string `json:"payload"`
	}
	_ = json.Unmarshal(m.Payload.Content, &c)
	return strings.TrimSpace(c.Payload)
}
