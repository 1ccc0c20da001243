package webapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/browsertest"
)

// page is one browser tab on the fixture's server.
type page struct {
	t   *testing.T
	f   *fixture
	ctx context.Context
}

// openTab opens a fresh tab (its own storage: a new visitor).
func openTab(t *testing.T, browser context.Context, f *fixture) *page {
	t.Helper()
	return &page{t: t, f: f, ctx: browsertest.Tab(t, browser, 15*time.Second)}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// open loads the chat page and waits until it is connected and has the
// history.
func (p *page) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.f.server.URL + path))
	p.wait(`document.body.dataset.connected === "true"`)
}

// wait polls a JavaScript condition until it holds.
func (p *page) wait(cond string) {
	p.t.Helper()
	browsertest.WaitJS(p.t, p.ctx, cond, cond)
}

// eval returns the value of a JavaScript expression.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	return browsertest.Eval[T](p.t, p.ctx, expr)
}

// say types a message in the composer and presses Enter.
func (p *page) say(text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(chromedp.CSS("#composer-input"), text+kb.Enter))
}

// botSays is a condition: a bot bubble has exactly this text.
func botSays(text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll(".msg.bot .bubble")].some(b => b.textContent === %q)`, text)
}

// userID is the visitor id the page keeps.
func (p *page) userID() string {
	p.t.Helper()
	raw := eval[string](p, `localStorage.getItem("switchboard:`+channelID+`:visitor")`)
	var v struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		p.t.Fatalf("stored visitor %q: %v", raw, err)
	}
	return v.UserID
}

// activeSession waits until the desk opened the user's livechat session.
func (f *fixture) activeSession(t *testing.T, user string) *switchboard.Session {
	t.Helper()
	var s *switchboard.Session
	for deadline := time.Now().Add(5 * time.Second); s == nil || s.State != switchboard.SessionActive; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the session did not become active: %+v", s)
		}
		s = f.liveSession(t, user)
	}
	return s
}

// hostPage is a site that embeds the widget.
func hostPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Shop</title><main><h1>A shop</h1></main>
<script src="/webapp/widget.js" data-channel="%s" data-title="Help"></script>`, channelID)
}

func TestBrowser(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, map[string]http.HandlerFunc{"GET /host.html": hostPage})
	f.runOutbox(t)

	t.Run("markdown, markup as text, buttons and images", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.wait(`document.querySelector(".msg.bot .bubble strong")?.textContent === "test bot"`)
		welcome := eval[string](p, `document.querySelector(".msg.bot .bubble").textContent`)
		if !strings.Contains(welcome, "<script>window.pwned = true</script>") {
			t.Fatalf("the markup should show as text: %q", welcome)
		}
		if eval[bool](p, `window.pwned === true || document.querySelector("#messages script") !== null`) {
			t.Fatal("message text was injected as HTML")
		}
		p.wait(`document.querySelector(".msg.bot .bubble") !== null && document.querySelectorAll('button[data-payload="CATS"]').length === 1`)
		p.do(chromedp.Click(chromedp.CSS(`button[data-payload="CATS"]`)))
		p.wait(`document.querySelector('.msg.bot img[src="` + f.server.URL + `/test/cat.png"]')?.naturalWidth === 40`)
		p.wait(`[...document.querySelectorAll(".msg.user[data-id] .bubble")].some(b => b.textContent === "Cats")`)
		p.wait(botSays("Here is a cat"))
		var click *switchboard.Message
		for _, m := range f.history(t, p.userID()) {
			if m.Payload.ContentType == "payload" {
				click = &m
			}
		}
		if click == nil || string(click.Payload.Content) != `{"payload":"CATS","title":"Cats"}` {
			t.Fatalf("the click should send the payload and title, stored %+v", click)
		}
	})

	t.Run("quick reply buttons vanish once used", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.wait(botSays("Welcome to the test bot! <script>window.pwned = true</script>"))
		p.say("quick")
		p.wait(`document.querySelector('.quick-reply button[data-payload="RED"]') !== null`)
		p.do(chromedp.Click(chromedp.CSS(`.quick-reply button[data-payload="RED"]`)))
		p.wait(botSays("You said: RED"))
		if n := eval[int](p, `document.querySelectorAll(".quick-reply").length`); n != 0 {
			t.Fatalf("%d quick reply rows left", n)
		}
		if n := eval[int](p, `document.querySelectorAll('button[data-payload="CATS"]').length`); n != 1 {
			t.Fatalf("the question's buttons (not a quick reply) should stay: %d", n)
		}
	})

	t.Run("typing shows the indicator before the next message", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.say("typing")
		p.wait(`!document.getElementById("typing").hidden && !document.body.textContent.includes("Done typing")`)
		p.wait(botSays("Done typing") + ` && document.getElementById("typing").hidden`)
	})

	t.Run("a reload shows the same history once", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.say("one")
		p.wait(botSays("You said: one"))
		const idsJS = `[...document.querySelectorAll(".msg[data-id]")].map(e => e.dataset.id).join(",")`
		before := eval[string](p, idsJS)
		p.do(chromedp.Reload())
		p.wait(`document.body.dataset.connected === "true"`)
		p.wait(botSays("You said: one"))
		if after := eval[string](p, idsJS); after != before {
			t.Fatalf("history after reload:\n%s\nwant\n%s", after, before)
		}
		triggers := 0
		for _, m := range f.history(t, p.userID()) {
			if m.Payload.ContentType == "flow_trigger" {
				triggers++
			}
		}
		if triggers != 1 {
			t.Fatalf("the default flow was started %d times", triggers)
		}
	})

	t.Run("an unacknowledged event is sent again once after a reload", func(t *testing.T) {
		p := openTab(t, browser, f)
		user, token := f.visitor(t)
		// The server ran the events, but the page never got the last ack.
		for _, r := range []engine.Request{
			{RequestID: "started", Payload: switchboard.Payload{ContentType: "flow_trigger", Content: json.RawMessage(`{"flow_id":"main"}`)}},
			{RequestID: "kept-id", Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"queued"}`)}},
		} {
			r.Client = clientKey(user)
			if _, err := f.engine.HandleEvent(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
		p.do(chromedp.Navigate(f.server.URL + "/webapp/static/chat.css"))
		eval[any](p, fmt.Sprintf(`localStorage.setItem("switchboard:%[1]s:visitor", JSON.stringify({user_id: %[2]q, token: %[3]q})),
			localStorage.setItem("switchboard:%[1]s:queue", JSON.stringify([{type: "event", id: "kept-id", payload: {content_type: "text", content: {text: "queued"}}}]))`,
			channelID, user, token))
		p.open("/chat/" + channelID)
		p.wait(botSays("You said: queued") + ` && localStorage.getItem("switchboard:` + channelID + `:queue") === "[]"`)
		if n := eval[int](p, `document.querySelectorAll("#pending .msg").length`); n != 0 {
			t.Fatalf("%d messages still pending", n)
		}
		echoes := 0
		for _, m := range f.history(t, user) {
			if textOf(m) == "You said: queued" {
				echoes++
			}
		}
		if echoes != 1 {
			t.Fatalf("the bot answered %d times", echoes)
		}
	})

	t.Run("the metadata panel sets the name the bot greets", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.do(chromedp.Click(chromedp.CSS("#meta-toggle")))
		p.wait(`!document.getElementById("meta-panel").hidden`)
		p.do(
			chromedp.SendKeys(chromedp.CSS("#meta-firstname"), "Ada"),
			chromedp.Click(chromedp.CSS("#meta-add")),
			chromedp.SendKeys(chromedp.CSS("#meta-extra .meta-key"), "plan"),
			chromedp.SendKeys(chromedp.CSS("#meta-extra .meta-value"), "gold"),
			chromedp.Click(chromedp.CSS("#meta-save")),
		)
		p.wait(`document.getElementById("meta-status").textContent === "Saved"`)
		p.say("hello")
		p.wait(botSays("Hello Ada!"))
		p.do(chromedp.Reload())
		p.wait(`document.body.dataset.connected === "true" && document.getElementById("meta-firstname").value === "Ada"`)
	})

	t.Run("a livechat session shows its state, the agent typing and the agent's name", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.wait(`document.querySelector('button[data-payload="LIVECHAT_SESSION_START"]') !== null`)
		p.do(chromedp.Click(chromedp.CSS(`button[data-payload="LIVECHAT_SESSION_START"]`)))
		p.wait(`document.querySelector(".msg.system") !== null && !document.getElementById("livechat-status").hidden`)
		s := f.activeSession(t, p.userID())
		// The agent types: the indicator shows until the message comes.
		if err := f.engine.AgentTyping(context.Background(), s.ID, true); err != nil {
			t.Fatal(err)
		}
		p.wait(`!document.getElementById("typing").hidden`)
		if err := f.engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentName: "Alice", Text: "Hi, I am _Alice_"}); err != nil {
			t.Fatal(err)
		}
		p.wait(`document.querySelector(".msg.agent .sender-name")?.textContent === "Alice" &&
			document.querySelector(".msg.agent .bubble em")?.textContent === "Alice" && document.getElementById("typing").hidden`)
		p.wait(`document.getElementById("livechat-status").textContent === "You are talking to Alice"`)

		// The customer types: the desk is told, and the message ends it.
		p.do(chromedp.SendKeys(chromedp.CSS("#composer-input"), "where is my"))
		waitUntil(t, "the customer typing told to the desk", func() bool { return f.engine.CustomerIsTyping(s.Client) })
		p.do(chromedp.SendKeys(chromedp.CSS("#composer-input"), " parcel?\r"))
		waitUntil(t, "the customer's message to end their typing", func() bool { return !f.engine.CustomerIsTyping(s.Client) })
	})

	t.Run("the widget opens the chat in a frame", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.do(chromedp.Navigate(f.server.URL + "/host.html"))
		p.wait(`document.querySelector(".switchboard-widget-button") !== null`)
		if eval[bool](p, `document.querySelector("iframe") !== null`) {
			t.Fatal("the frame should load only when opened")
		}
		p.do(chromedp.Click(chromedp.CSS(".switchboard-widget-button")))
		p.wait(`document.querySelector("iframe")?.getAttribute("src") === "` + f.server.URL + `/chat/` + channelID + `?embed=1"`)
		p.wait(`document.querySelector("iframe").contentDocument?.querySelector(".msg.bot .bubble strong")?.textContent === "test bot"`)
		p.do(chromedp.Click(chromedp.CSS(".switchboard-widget-button")))
		p.wait(`document.querySelector(".switchboard-widget-frame").hidden`)
	})

	t.Run("a lost connection shows the reconnecting banner", func(t *testing.T) {
		own := newFixture(t, nil)
		p := openTab(t, browser, own)
		p.open("/chat/" + channelID)
		go func() { _ = own.handler.Close() }()
		p.wait(`!document.getElementById("banner").hidden && document.body.dataset.connected === undefined`)
	})
}

// screenSizes are the windows a user tries the page in: a laptop and a phone.
var screenSizes = []struct {
	name string
	w, h int64
}{
	{"1440x900", browsertest.DesktopWidth, browsertest.DesktopHeight},
	{"390x844", browsertest.PhoneWidth, browsertest.PhoneHeight},
}

// TestBrowserSizes tries the chat page and the widget as a new user would, in
// a laptop's window and a phone's.
func TestBrowserSizes(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, map[string]http.HandlerFunc{"GET /host.html": hostPage})
	f.runOutbox(t)
	const status = `document.getElementById("livechat-status")`
	for _, size := range screenSizes {
		open := func(t *testing.T) *page {
			p := openTab(t, browser, f)
			p.do(chromedp.EmulateViewport(size.w, size.h))
			return p
		}
		t.Run(size.name+": waiting for an agent until one claims, then the agent's name; times", func(t *testing.T) {
			p := open(t)
			p.open("/chat/" + channelID)
			p.wait(`document.querySelector('button[data-payload="LIVECHAT_SESSION_START"]') !== null`)
			browsertest.Axe(t, p.ctx)
			p.do(chromedp.Click(chromedp.CSS(`button[data-payload="LIVECHAT_SESSION_START"]`)))
			p.wait(status + `.textContent.startsWith("Connecting you to an agent…") && !` + status + `.hidden`)
			// The desk opened the ticket, nobody claimed it: the page, which
			// has the state by the ack of the next message, still waits.
			s := f.activeSession(t, p.userID())
			p.say("Is anyone there?")
			p.wait(`[...document.querySelectorAll(".msg.user[data-id] .bubble")].some(b => b.textContent === "Is anyone there?") &&
				localStorage.getItem("switchboard:` + channelID + `:queue") === "[]"`)
			if got := eval[string](p, status+`.textContent`); !strings.HasPrefix(got, "Connecting you to an agent…") {
				t.Fatalf("before a claim the page says %q", got)
			}
			browsertest.Screenshot(t, p.ctx, "chat-waiting-"+size.name)
			browsertest.Axe(t, p.ctx)
			if err := f.engine.Claim(context.Background(), s.ID, "agent-zoe", "Zoé"); err != nil {
				t.Fatal(err)
			}
			p.wait(status + `.textContent === "You are talking to Zoé"`)
			if err := f.engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, AgentID: "agent-zoe", AgentName: "Zoé", Text: "Hello! How can I help?"}); err != nil {
				t.Fatal(err)
			}
			p.wait(`document.querySelector(".msg.agent .bubble")?.textContent === "Hello! How can I help?"`)
			// Every stored message shows its time of today: hh:mm (and AM/PM
			// in some locales), no date.
			p.wait(`[...document.querySelectorAll(".msg[data-id]")].every(m => !m.querySelector(".bubble") ||
				/^\D*\d{1,2}[:.]\d{2}\D*$/.test(m.querySelector("time.msg-time")?.textContent ?? "")) &&
				document.querySelectorAll(".msg[data-id] time.msg-time").length >= 3`)
			p.wait(browsertest.NoSideScroll)
			browsertest.Screenshot(t, p.ctx, "chat-claimed-"+size.name)
			browsertest.Axe(t, p.ctx)
		})
		t.Run(size.name+": the message box grows, Shift+Enter breaks the line, Enter sends, the limit shows", func(t *testing.T) {
			p := open(t)
			p.open("/chat/" + channelID)
			const box = `document.getElementById("composer-input")`
			one := eval[float64](p, box+`.offsetHeight`)
			p.do(chromedp.SendKeys(chromedp.CSS("#composer-input"), "line one"))
			for _, line := range []string{"line two", "line three"} {
				p.do(chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.SendKeys(chromedp.CSS("#composer-input"), line))
			}
			p.wait(box + `.value === "line one\nline two\nline three" && ` + box + fmt.Sprintf(`.offsetHeight >= %v + 35`, one))
			browsertest.Screenshot(t, p.ctx, "chat-composer-"+size.name)
			if n := eval[int](p, `document.querySelectorAll(".msg.user").length`); n != 0 {
				t.Fatalf("Shift+Enter sent the message (%d user messages)", n)
			}
			// Past five lines the box stops growing and scrolls.
			eval[any](p, box+`.value += "\n4\n5\n6\n7\n8", `+box+`.dispatchEvent(new Event("input"))`)
			p.wait(box + fmt.Sprintf(`.offsetHeight < %v * 4 && getComputedStyle(`, one) + box + `).overflowY === "auto"`)
			p.do(chromedp.KeyEvent(kb.Enter))
			p.wait(`[...document.querySelectorAll(".msg.user[data-id] .bubble")].some(b => b.textContent === "line one\nline two\nline three\n4\n5\n6\n7\n8") &&
				` + box + `.value === "" && ` + box + fmt.Sprintf(`.offsetHeight === %v`, one))
			// Near the limit a counter shows; over it the page says so and keeps the text.
			const count = `document.getElementById("composer-count")`
			p.wait(count + `.hidden`)
			eval[any](p, box+`.value = "x".repeat(3950), `+box+`.dispatchEvent(new Event("input"))`)
			p.wait(`!` + count + `.hidden && ` + count + `.textContent === "3,950 / 4,000"`)
			eval[any](p, box+`.value = "x".repeat(4012), `+box+`.dispatchEvent(new Event("input"))`)
			p.wait(count + `.textContent === "4,012 / 4,000: too long, shorten it by 12 to send" && document.getElementById("composer-send").disabled`)
			browsertest.Screenshot(t, p.ctx, "chat-too-long-"+size.name)
			sent := eval[int](p, `document.querySelectorAll(".msg.user").length`)
			p.do(chromedp.KeyEvent(kb.Enter))
			if n, left := eval[int](p, `document.querySelectorAll(".msg.user").length`), eval[int](p, box+`.value.length`); n != sent || left != 4012 {
				t.Fatalf("a message over the limit: %d user messages (want %d), %d characters left in the box (want 4012)", n, sent, left)
			}
			p.wait(browsertest.NoSideScroll)
		})
		t.Run(size.name+": the widget's chat fits the window", func(t *testing.T) {
			p := open(t)
			p.do(chromedp.Navigate(f.server.URL + "/host.html"))
			p.wait(`document.querySelector(".switchboard-widget-button") !== null`)
			browsertest.Axe(t, p.ctx)
			p.do(chromedp.Click(chromedp.CSS(".switchboard-widget-button")))
			p.wait(`document.querySelector("iframe")?.contentDocument?.querySelector(".msg.bot time.msg-time") != null`)
			p.wait(`(r => r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight)(
				document.querySelector(".switchboard-widget-frame").getBoundingClientRect())`)
			p.wait(`(d => d.getElementById("composer-input").offsetHeight > 0 && d.documentElement.scrollWidth <= d.documentElement.clientWidth)(
				document.querySelector("iframe").contentDocument)`)
			browsertest.Screenshot(t, p.ctx, "widget-"+size.name)
			browsertest.Axe(t, p.ctx)
		})
	}
	t.Run("a message of another day shows its date", func(t *testing.T) {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		eval[any](p, `import("/webapp/static/render.js").then(m => {
			const now = new Date(2026, 11, 7, 12, 0);
			window.shown = [new Date(2026, 11, 7, 9, 5), new Date(2026, 11, 6, 9, 5), new Date(2025, 2, 4, 9, 5)]
				.map(at => m.timeOf(at.toISOString(), now, "en-US").textContent);
		}), 0`)
		p.wait(`Array.isArray(window.shown)`)
		got := eval[[]string](p, `window.shown`)
		want := []string{"09:05 AM", "Dec 6, 09:05 AM", "Mar 4, 2025, 09:05 AM"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("times shown %q, want %q", got, want)
		}
	})
}

// waitUntil polls cond for up to 10 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waited 10s for %s", what)
		}
	}
}
