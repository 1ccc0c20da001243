package chatwootsim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAgentActionsMakeTheDashboardsMessages(t *testing.T) {
	s, c := start(t, Config{})
	rc := newReceiver(t)
	_, _, conv := setup(t, c, rc.URL)
	ctl := &client{t: t, base: s.URL}
	base := fmt.Sprintf("/_sim/conversations/%d/actions", conv)
	for _, a := range []Action{
		{Kind: ActReply, Text: "reply"},
		{Kind: ActNote, Text: "note"},
		{Kind: ActCanned},
		{Kind: ActAttachment, File: &File{URL: "https://f.example/x.png", FileType: "image"}},
		{Kind: ActBot},
		{Kind: ActCSAT},
		{Kind: ActAutomation},
		{Kind: ActTypingOn, Private: true},
		{Kind: ActResolve},
	} {
		if st, out := ctl.do("POST", base, a); st != 200 {
			t.Fatalf("%s: %d %v", a.Kind, st, out)
		}
	}
	if st, _ := ctl.do("POST", base, Action{Kind: "dance"}); st != 400 {
		t.Errorf("an unknown action: %d", st)
	}
	cv, _ := s.ConversationBySource("session-1")
	ms := cv.Messages
	if cv.Status != "resolved" || len(ms) != 8 {
		t.Fatalf("%d messages, status %s", len(ms), cv.Status)
	}
	check := []func(Message) bool{
		func(m Message) bool {
			return m.Text() == "reply" && m.SenderType == "User" && m.MessageType == TypeOutgoing && !m.Private
		},
		func(m Message) bool { return m.Private && m.SenderType == "User" },
		func(m Message) bool {
			return strings.HasSuffix(m.Text(), "LIVECHAT_SESSION_END") && m.SenderType == "User"
		},
		func(m Message) bool {
			return m.Content == nil && len(m.Attachments) == 1 && m.Attachments[0].FileType == "image"
		},
		func(m Message) bool { return m.SenderType == "AgentBot" && m.MessageType == TypeOutgoing },
		func(m Message) bool {
			return m.MessageType == TypeTemplate && m.ContentType == "input_csat" && m.SenderType == ""
		},
		func(m Message) bool {
			return m.MessageType == TypeOutgoing && m.SenderType == "" && m.ContentAttributes["automation_rule_id"] != nil
		},
		func(m Message) bool {
			return m.MessageType == TypeActivity && strings.Contains(m.Text(), "resolved by Alex Agent")
		},
	}
	for i, ok := range check {
		if !ok(ms[i]) {
			t.Errorf("message %d: %+v", i, ms[i])
		}
	}
	waitIdle(t, s)
	if ev := rc.events(); !strings.Contains(strings.Join(ev, ","), "conversation_typing_on") {
		t.Errorf("events %v", ev)
	}
	for _, p := range []string{"/", "/_sim/info", "/_sim/conversations", "/_sim/inboxes", "/_sim/deliveries", "/_sim/chaos"} {
		resp, err := http.Get(s.URL + p)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, resp)
		}
		resp.Body.Close()
	}
	st, out := ctl.do("POST", "/_sim/chaos", map[string]any{"duplicate": 0.5, "reorder": 3, "outage": true, "bad_signatures": true})
	if st != 200 || obj(out, "outage") != true || obj(out, "reorder") != 3.0 || obj(out, "bad_signatures") != true {
		t.Errorf("chaos: %d %v", st, out)
	}
	if st, _ := c.do("GET", "/api/v1/profile", nil); st != 503 {
		t.Errorf("the outage switch: %d", st)
	}
}
