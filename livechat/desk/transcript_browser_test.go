package desk_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat/desk"
)

// TestTheTranscriptTellsWhoSaidWhat checks what an agent reads in a
// conversation: the bot's messages and an agent's told apart at a glance, a
// flow trigger shown as a note (not as something the customer wrote), and the
// "Livechat ended" line after the customer's click that ended it.
func TestTheTranscriptTellsWhoSaidWhat(t *testing.T) {
	f := newFixture(t, desk.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), 60*time.Second)
	signInPage(t, f, tab, emailA, passwordA)

	const user = "transcript-user"
	f.send(user, switchboard.Payload{ContentType: "flow_trigger", Content: json.RawMessage(`{"flow_id":"Default"}`)})
	id := f.startSession(user)
	browsertest.Click(t, tab, fmt.Sprintf(`#list-waiting [data-session-id=%q] button`, id))
	browsertest.Click(t, tab, "#claim")
	browsertest.Type(t, tab, "#composer", "Hello from Ada.")
	browsertest.Click(t, tab, "#send")
	browsertest.WaitJS(t, tab, "the bot's and the agent's messages tagged",
		browsertest.TextHas("#transcript .msg.bot .role", "Bot")+" && "+browsertest.TextHas("#transcript .msg.agent .role", "Agent"))
	botBg := browsertest.Eval[string](t, tab, `getComputedStyle(document.querySelector("#transcript .msg.bot")).backgroundColor`)
	agentBg := browsertest.Eval[string](t, tab, `getComputedStyle(document.querySelector("#transcript .msg.agent")).backgroundColor`)
	if botBg == agentBg {
		t.Errorf("bot and agent messages have the same background %s", botBg)
	}
	browsertest.WaitJS(t, tab, "the flow trigger as a note, not a customer message",
		browsertest.TextHas("#transcript .note", "started flow “Default”")+" && !"+browsertest.TextHas("#transcript", "[flow_trigger]"))

	signOffAndEnd(t, f, tab, user)
	browsertest.WaitJS(t, tab, "the end line after the customer's click", `(() => {
  const items = [...document.querySelectorAll("#transcript > li")];
  const click = items.findIndex(li => li.classList.contains("user") && li.textContent.includes("ended the conversation"));
  const end = items.findIndex(li => li.classList.contains("end") && li.textContent.includes("Livechat ended"));
  return click >= 0 && end === click + 1 && end === items.length - 1;
})()`)
}
