package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The harness's bots, one per platform, and two more on the desk: one that
// routes its handoffs to a team whose queue announces positions and ends
// unclaimed sessions after a wait limit, one whose business hours are
// closed for the whole run and which refuses handoffs. All have the same
// flow, which echoes every event with one message, so that each user
// message's reply is found by its token, and says which way it came back
// from a livechat session (or that none opened).
var bots = []harnessBot{
	{ID: "harness-desk", Platform: "desk"},
	{ID: "harness-gorgias", Platform: "gorgias"},
	{ID: "harness-chatwoot", Platform: "chatwoot"},
	{ID: "harness-queue", Platform: "desk", Team: queueTeam},
	{ID: "harness-closed", Platform: "desk", Closed: true},
}

// harnessBot is one of the harness's bots.
type harnessBot struct {
	ID, Platform string
	// Team is the desk team its flow routes handoffs to; its settings then
	// have a queue with announcements and a wait limit.
	Team string
	// Closed bots are outside business hours all run long and refuse.
	Closed bool
}

// queueTeam is the desk team of the queue bot; the harness's agent is in
// it.
const queueTeam = "harness-queue"

// Texts of the queue bot's position announcements and of the closed bot's
// answer to a refused handoff.
const (
	queueAnnounce = "queue: you are number {position}"
	queuePrefix   = "queue: you are number "
	unavailable   = "bot: unavailable"
	// startTitle is the title of the bot's button that asks for a person.
	startTitle = "Talk to a person"
)

// botFlow answers each event with one message and holds: a question
// "bot: <text>" with a button that asks for a person (a channel's customer
// presses it; the chat page and the Chat API send its payload), the
// session's end with one of the resume texts of ledger.go.
const botFlow = `start:
  ROUTING
  if (event == "LIVECHAT_SESSION_END") {
    say "` + resumeEnded + `"
  } else if (event == "LIVECHAT_SESSION_EXPIRED") {
    say "` + resumeExpired + `"
  } else if (event == "LIVECHAT_SESSION_UNAVAILABLE") {
    say "` + unavailable + ` {{event.reason}}"
  } else if (event == "LIVECHAT_SESSION_ERROR") {
    say "` + resumeError + ` ({{event.reason}})"
  } else {
    say Question("bot: {{event}}", buttons = [Button("` + startTitle + `", payload = "LIVECHAT_SESSION_START")])
  }
  hold
  goto start
`

// botJSON is a bot with its flow inline, as the admin API imports it; a
// bot with a team remembers it for its handoffs.
func botJSON(b harnessBot) []byte {
	type flow struct {
		Name     string   `json:"name"`
		Commands []string `json:"commands"`
		Content  string   `json:"content"`
	}
	routing := ""
	if b.Team != "" {
		routing = `remember livechat = {"team": "` + b.Team + `"}`
	}
	raw, _ := json.Marshal(map[string]any{
		"id": b.ID, "name": fmt.Sprintf("Harness (%s)", b.ID), "default_flow": "Default",
		"flows": []flow{{Name: "Default", Commands: []string{}, Content: strings.Replace(botFlow, "ROUTING", routing, 1)}},
	})
	return raw
}
