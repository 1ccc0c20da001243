package main

import (
	"encoding/json"
	"fmt"
)

// The harness's bots, one per platform: the same flow, which echoes every
// event with one message, so that each user message's reply is found by its
// token, and says which way it came back from a livechat session.
var bots = []struct{ ID, Platform string }{
	{"harness-desk", "desk"},
	{"harness-gorgias", "gorgias"},
	{"harness-chatwoot", "chatwoot"},
}

// botFlow answers each event with one message and holds: a text with
// "bot: <text>", the session's end with one of the resume texts of
// ledger.go.
const botFlow = `start:
  if (event == "LIVECHAT_SESSION_END") {
    say "` + resumeEnded + `"
  } else if (event == "LIVECHAT_SESSION_EXPIRED") {
    say "` + resumeExpired + `"
  } else if (event == "LIVECHAT_SESSION_ERROR") {
    say "` + resumeError + ` ({{event.reason}})"
  } else {
    say "bot: {{event}}"
  }
  hold
  goto start
`

// botJSON is a bot with its flow inline, as the admin API imports it.
func botJSON(id string) []byte {
	type flow struct {
		Name     string   `json:"name"`
		Commands []string `json:"commands"`
		Content  string   `json:"content"`
	}
	raw, _ := json.Marshal(map[string]any{
		"id": id, "name": fmt.Sprintf("Harness (%s)", id), "default_flow": "Default",
		"flows": []flow{{Name: "Default", Commands: []string{}, Content: botFlow}},
	})
	return raw
}
