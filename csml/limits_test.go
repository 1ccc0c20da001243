package csml

import (
	"context"
	"strings"
	"testing"

	"switchboard/csml/interp"
)

// TestATurnSendsBoundedMessages: with the default limits, a loop of say
// ends the run after 500 messages, or 2 MiB of them, with one error
// message (the reference would send 100,000, or as many as the loop runs).
func TestATurnSendsBoundedMessages(t *testing.T) {
	for _, tc := range []struct {
		say, want string
		max       int
	}{
		{`"x"`, "[Message limit] a single run may send at most 500 messages", interp.DefaultMessageLimit},
		{`"y".append(big)`, "[Message limit] messages sent in a single run exceed 2097152 bytes", interp.DefaultMessageByteLimit / 15000},
	} {
		bot := mustCompile(t, FlowSource{Name: "flow", Content: "start:\n  do big = \"\"\n  while (big.length() < 15000) {\n    do big = big.append(\"0123456789\")\n  }\n  while (true) {\n    say " + tc.say + "\n  }\n"})
		res := bot.Run(context.Background(), Context{}, Event{}, Host{})
		n := len(res.Messages)
		if n < 2 || n > tc.max+1 || !res.End {
			t.Fatalf("say %s: %d messages, end %v", tc.say, n, res.End)
		}
		if last := string(res.Messages[n-1].Content); res.Messages[n-1].ContentType != "error" || !strings.Contains(last, tc.want) {
			t.Errorf("say %s: last message %s, want %q", tc.say, last, tc.want)
		}
	}
}
