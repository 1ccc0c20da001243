package webapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard"
	"switchboard/internal/browsertest"
)

// TestBrowserQueuePosition: a waiting visitor's status line says their
// place in the queue and the estimated wait, and moves up when the one
// ahead is claimed; once claimed, it names the agent.
func TestBrowserQueuePosition(t *testing.T) {
	browser := browsertest.Browser(t)
	f := newFixture(t, nil)
	// The general queue's recent wait: one session claimed after 3 minutes.
	ctx := context.Background()
	created := time.Now().Add(-time.Hour)
	claimed, ended := created.Add(3*time.Minute), created.Add(10*time.Minute)
	past := switchboard.Session{
		ID: "past", Client: switchboard.ClientKey{BotID: botID, ChannelID: channelID, UserID: "earlier-visitor"}, Platform: "desk",
		State: switchboard.SessionEnded, EndReason: switchboard.EndUser, Timeout: 30 * time.Minute,
		CreatedAt: created, LastActivityAt: created, ClaimedAt: &claimed, EndedAt: &ended, AgentID: "a", AgentName: "Zoé",
	}
	if err := f.store.Update(ctx, func(tx switchboard.Tx) error { return tx.CreateSession(ctx, &past) }); err != nil {
		t.Fatal(err)
	}
	f.runOutbox(t)

	const status = `document.getElementById("livechat-status")`
	start := func() *page {
		p := openTab(t, browser, f)
		p.open("/chat/" + channelID)
		p.wait(`document.querySelector('button[data-payload="LIVECHAT_SESSION_START"]') !== null`)
		p.do(chromedp.Click(chromedp.CSS(`button[data-payload="LIVECHAT_SESSION_START"]`)))
		return p
	}
	first := start()
	first.wait(status + `.textContent === "Connecting you to an agent… You are next in the queue, about 3 minutes."`)
	second := start()
	second.wait(status + `.textContent === "Connecting you to an agent… You are number 2 in the queue, about 6 minutes." && ` + status + `.dataset.position === "2"`)
	browsertest.Axe(t, second.ctx)

	s := f.activeSession(t, first.userID())
	if err := f.engine.Claim(ctx, s.ID, "agent-zoe", "Zoé"); err != nil {
		t.Fatal(err)
	}
	first.wait(status + `.textContent === "You are talking to Zoé" && ` + status + `.dataset.position === ""`)
	second.wait(status + `.textContent.startsWith("Connecting you to an agent… You are next in the queue, about ") && ` + status + `.dataset.position === "1"`)
}
