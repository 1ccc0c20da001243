package app_test

import (
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat"
)

// TestAttachmentsStory: in real browsers, the customer sends an image from
// the chat page, which both the page and the desk show; a disguised page is
// refused with the reason on the chat page; the agent attaches a PDF from
// the desk, which the customer gets as a link named after the file.
func TestAttachmentsStory(t *testing.T) {
	srv := startServer(t, switchboard.SystemClock{}, nil)
	browser := browsertest.Browser(t)
	user := browsertest.Tab(t, browser, 2*time.Minute)
	agent := browsertest.Tab(t, browser, 2*time.Minute)

	openChat(t, user, srv.chatURL())
	click(t, user, `button[data-payload="LIVECHAT_SESSION_START"]`)
	waitJS(t, user, "the connecting message", textHas(".msg.system", livechat.DefaultConnectingMessage))
	browsertest.Axe(t, user)

	// The customer sends a photo: the page shows it, loaded from the server.
	browsertest.ChooseFile(t, user, "#composer-file", pngOf(t), "parcel.png")
	loaded := func(sel string) string {
		return `[...document.querySelectorAll(` + browsertest.JSString(sel) + `)].some((i) => i.complete && i.naturalWidth > 0 && i.src.includes("/v1/attachments/"))`
	}
	waitJS(t, user, "the photo in the chat page", loaded(".msg.user img"))

	// A page named as an image is refused, and the page says why.
	browsertest.ChooseFile(t, user, "#composer-file", []byte("<html><script>alert(1)</script></html>"), "cat.png")
	waitJS(t, user, "the refusal", browsertest.Visible("#composer-error")+" && "+textHas("#composer-error", "text/html, which is not accepted"))

	// The agent sees the photo in the transcript, claims and sends a PDF.
	signIn(t, agent, srv.app.URL())
	click(t, agent, "#list-waiting [data-session-id] button")
	waitJS(t, agent, "the photo at the desk", loaded("#transcript img.attached"))
	click(t, agent, "#claim")
	waitJS(t, agent, "the attach button enabled", `!document.querySelector("#attach").disabled`)
	browsertest.ChooseFile(t, agent, "#attach-file", pdf, "invoice.pdf")
	waitJS(t, agent, "the PDF in the transcript", textHas("#transcript", "invoice.pdf"))
	waitJS(t, user, "the PDF in the chat page", `[...document.querySelectorAll(".msg.agent a")].some((a) => a.textContent.includes("invoice.pdf") && a.href.includes("/v1/attachments/"))`)
	browsertest.Axe(t, agent)
}
