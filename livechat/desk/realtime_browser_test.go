package desk_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// recordNotifications replaces the page's Notification with one that records
// what the page shows (window.notes), the permission granted.
const recordNotifications = `window.notes = [];
window.Notification = class { constructor(title, o) { window.notes.push(title + " | " + ((o && o.body) || "")); }
  static get permission() { return "granted"; } static requestPermission() { return Promise.resolve("granted"); } };
true`

// notesWith holds when the page showed a notification with the text.
func notesWith(text string) string {
	return fmt.Sprintf("window.notes.some(n => n.includes(%s))", browsertest.JSString(text))
}

// TestTheDeskNotifiesAndCountsUnread checks what an agent with the desk in
// another tab or on another conversation learns: with "Notify me" on, a
// notification for a new waiting customer and for a customer's reply in a
// session they hold; with it off, none; and a count of the customer's new
// messages on each session, cleared when they open it and kept across a
// reload.
func TestTheDeskNotifiesAndCountsUnread(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	browsertest.Viewport(t, tab, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
	if _, err := chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "notifications"}, Setting: browser.PermissionSettingGranted,
		Origin: f.srv.URL, BrowserContextID: chromedp.FromContext(tab).BrowserContextID,
	}); err != nil {
		t.Fatalf("grant the notification permission: %v", err)
	}
	signInPage(t, f, tab, emailA, passwordA)
	browsertest.Eval[bool](t, tab, recordNotifications)

	first := f.startSession("notify-first")
	firstItem := fmt.Sprintf(`[data-session-id=%q]`, first)
	browsertest.WaitJS(t, tab, "the first session waiting", browsertest.Present("#list-waiting "+firstItem))
	browsertest.WaitJS(t, tab, "the initials avatar in the list", browsertest.TextHas("#list-waiting "+firstItem+" .avatar", "GH"))
	if n := browsertest.Eval[int](t, tab, "window.notes.length"); n != 0 {
		t.Fatalf("with Notify me off the page showed %d notifications", n)
	}

	browsertest.Click(t, tab, "#notify")
	browsertest.WaitJS(t, tab, "the setting stored", `localStorage.getItem("desk.notify") === "1"`)
	const user = "notify-second"
	id := f.startSession(user)
	item := fmt.Sprintf(`[data-session-id=%q]`, id)
	browsertest.WaitJS(t, tab, "a notification for the new waiting customer", notesWith("A customer is waiting"))

	browsertest.Click(t, tab, "#list-waiting "+item+" button")
	browsertest.Click(t, tab, "#claim")
	browsertest.WaitJS(t, tab, "the session held", browsertest.Present("#list-active "+item+" .mine"))
	browsertest.WaitJS(t, tab, "the avatar in the conversation's head", browsertest.TextHas("#conv-avatar", "GH"))
	browsertest.Click(t, tab, "#list-waiting "+firstItem+" button")
	browsertest.WaitJS(t, tab, "the other session open", fmt.Sprintf("location.hash === %s", browsertest.JSString("#/s/"+first)))

	f.send(user, textPayload("Where is my parcel?"))
	browsertest.WaitJS(t, tab, "a notification for the customer's reply", notesWith("Where is my parcel?"))
	browsertest.WaitJS(t, tab, "one unread message on the session", browsertest.TextHas("#list-active "+item+" .unread", "1"))
	f.send(user, textPayload("Hello?"))
	browsertest.WaitJS(t, tab, "two unread messages", browsertest.TextHas("#list-active "+item+" .unread", "2"))
	browsertest.Screenshot(t, tab, "desk-unread-desktop")
	browsertest.Axe(t, tab)

	browsertest.Click(t, tab, "#list-active "+item+" button")
	browsertest.WaitJS(t, tab, "the count cleared on opening", browsertest.TextHas("#transcript", "Hello?")+" && "+browsertest.Absent("#list-active "+item+" .unread"))
	browsertest.Navigate(t, tab, f.srv.URL+"/desk/?reload#/s/"+first) // a new query: a reload, not a hash change
	browsertest.WaitJS(t, tab, "the list after a reload", browsertest.Present("#list-active "+item))
	browsertest.WaitJS(t, tab, "still no count after the reload", browsertest.Absent("#list-active "+item+" .unread"))

	browsertest.Eval[bool](t, tab, recordNotifications)
	browsertest.WaitJS(t, tab, "the setting kept", `document.querySelector("#notify").checked`)
	browsertest.Click(t, tab, "#notify")
	f.send(user, textPayload("Still there?"))
	f.startSession("notify-third")
	browsertest.WaitJS(t, tab, "the reply counted", browsertest.TextHas("#list-active "+item+" .unread", "1"))
	browsertest.WaitJS(t, tab, "the third session listed", browsertest.Count("#list-waiting li[data-session-id]")+" === 2")
	if n := browsertest.Eval[int](t, tab, "window.notes.length"); n != 0 {
		t.Errorf("with Notify me turned off the page showed %d notifications: %v", n, browsertest.Eval[[]string](t, tab, "window.notes"))
	}
}

// TestTheDeskKeyboardShortcuts works a session from the keyboard: j and k
// move through the list, c claims, Ctrl+Enter sends, s signs off after a
// confirmation, ? lists the shortcuts; letters typed in the reply box stay
// text.
func TestTheDeskKeyboardShortcuts(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 90*time.Second)
	browsertest.Viewport(t, tab, browsertest.DesktopWidth, browsertest.DesktopHeight, false)
	signInPage(t, f, tab, emailA, passwordA)
	const user = "keys-user"
	one := f.startSession("keys-other")
	id := f.startSession(user)
	browsertest.WaitJS(t, tab, "two sessions waiting", browsertest.Count("#list-waiting li[data-session-id]")+" === 2")

	key := func(k string, opts ...chromedp.KeyOption) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.KeyEvent(k, opts...)); err != nil {
			t.Fatalf("press %q: %v", k, err)
		}
	}
	opened := func(id string) string { return fmt.Sprintf("location.hash === %s", browsertest.JSString("#/s/"+id)) }
	key("j")
	browsertest.WaitJS(t, tab, "j to open the first session", opened(one))
	key("j")
	browsertest.WaitJS(t, tab, "j to open the next one", opened(id))
	key("k")
	browsertest.WaitJS(t, tab, "k to go back", opened(one))
	key("j")
	browsertest.WaitJS(t, tab, "the session again", opened(id)+" && "+browsertest.Visible("#claim"))
	key("c")
	browsertest.WaitJS(t, tab, "c to claim it", browsertest.Present(fmt.Sprintf("#list-active [data-session-id=%q] .mine", id))+" && !document.querySelector('#composer').disabled")

	browsertest.Type(t, tab, "#composer", "can you check")
	key(kb.Enter)
	f.waitFor("the reply typed with the letters c and s, not claimed or signed off", func() bool {
		return f.findMessage(user, isAgentText(nameA, "can you check")) != nil
	})
	if f.findMessage(user, isEndQuestion) != nil {
		t.Fatal("typing an s in the reply box signed off")
	}
	browsertest.WaitJS(t, tab, "the reply box emptied", `document.querySelector("#composer").value === ""`)
	browsertest.Type(t, tab, "#composer", "one more")
	key(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl))
	f.waitFor("Ctrl+Enter to send", func() bool { return f.findMessage(user, isAgentText(nameA, "one more")) != nil })

	// The list opens on "?" pressed outside any box. A key that lands while
	// the page re-renders its header (presence, language) can be missed, so
	// the key is pressed again, a few times at most.
	for try := 1; ; try++ {
		browsertest.Eval[bool](t, tab, `document.activeElement.blur(); true`)
		key("?")
		deadline := time.Now().Add(5 * time.Second)
		for !browsertest.Eval[bool](t, tab, `document.querySelector("#shortcuts").open`) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if browsertest.Eval[bool](t, tab, `document.querySelector("#shortcuts").open`) {
			break
		}
		if try == 3 {
			t.Fatal("? pressed three times did not list the shortcuts")
		}
	}
	browsertest.Screenshot(t, tab, "desk-shortcuts-desktop")
	browsertest.Axe(t, tab)
	key("?")
	browsertest.WaitJS(t, tab, "? again to close the list", `!document.querySelector("#shortcuts").open`)

	// "s" asks before signing off. Like "?", a press can be missed while
	// the page re-renders, so it is pressed until the page asks.
	signOff := func(answer bool) {
		t.Helper()
		browsertest.Eval[bool](t, tab, fmt.Sprintf(`window.asked = 0; window.confirm = () => { window.asked++; return %t; }; true`, answer))
		for try := 1; ; try++ {
			key("s")
			deadline := time.Now().Add(2 * time.Second)
			for browsertest.Eval[int](t, tab, `window.asked`) == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if browsertest.Eval[int](t, tab, `window.asked`) > 0 {
				return
			}
			if try == 3 {
				t.Fatal("s pressed three times did not ask to sign off")
			}
		}
	}
	signOff(false)
	time.Sleep(300 * time.Millisecond)
	if f.findMessage(user, isEndQuestion) != nil {
		t.Fatal("s signed off though the agent said no")
	}
	signOff(true)
	f.waitFor("s to sign off", func() bool { return f.findMessage(user, isEndQuestion) != nil })
}
