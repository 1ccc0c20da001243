package livechat

import "strings"

// What both ways of using Chatwoot share (the livechat platform, and the
// chatwoot messaging channel where switchboard is the agent bot): how a
// bot's routing reads in Chatwoot.

// chatwootPriorities maps switchboard's priorities to Chatwoot's
// (toggle_priority takes urgent, high, medium, low or none).
var chatwootPriorities = map[string]string{"low": "low", "normal": "medium", "high": "high", "urgent": "urgent"}

// ChatwootPriority is Chatwoot's priority of a switchboard priority, ""
// for none.
func ChatwootPriority(p string) string { return chatwootPriorities[p] }

// ChatwootLabels turns tags into Chatwoot labels, which are lower case,
// without spaces.
func ChatwootLabels(tags []string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = strings.ToLower(strings.Join(strings.Fields(t), "-"))
	}
	return out
}
