package gorgias

import (
	"testing"
	"time"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

func TestOnlyPublicRepliesOfHumanAgentsAreRelayed(t *testing.T) {
	yes, no := true, false
	rule := int64(12)
	agent := &Person{ID: 3, Name: "Alex Agent"}
	reply := Message{ID: 70010, FromAgent: true, Public: &yes, Channel: "api", Via: "helpdesk", Sender: agent, BodyText: "Hello"}
	with := func(f func(m *Message)) Message {
		m := reply
		f(&m)
		return m
	}
	never := map[string]Message{
		"the user's own message":                   with(func(m *Message) { m.FromAgent = false }),
		"an internal note":                         with(func(m *Message) { m.Public = &no }),
		"a note by its channel":                    with(func(m *Message) { m.Channel = "internal-note" }),
		"a message that does not say it is public": with(func(m *Message) { m.Public = nil }),
		"a rule's auto-reply":                      with(func(m *Message) { m.RuleID = &rule }),
		"a rule by its via":                        with(func(m *Message) { m.Via = "rule" }),
		"a satisfaction survey":                    with(func(m *Message) { m.Source = &Source{Type: "satisfaction-survey"} }),
		"a survey by its meta":                     with(func(m *Message) { m.Meta = map[string]any{"satisfaction_survey_id": 3} }),
		"switchboard's own note":                   with(func(m *Message) { m.ExternalID = driverkit.RefNote + "s:1" }),
		"an empty message":                         with(func(m *Message) { m.BodyText = "" }),
	}
	for name, m := range never {
		if r, ok := agentReply("s", m); ok {
			t.Errorf("%s was relayed: %+v", name, r)
		}
	}
	r, ok := agentReply("s", reply)
	if !ok || r.Text != "Hello" || r.DedupID != "70010" || r.AgentName != "Alex Agent" || r.AgentID != "gorgias:3" || r.SessionID != "s" {
		t.Fatalf("a reply became %+v, %v", r, ok)
	}
	dated := with(func(m *Message) { m.CreatedDatetime = "2026-12-07T10:42:21.468912" })
	if r, _ := agentReply("s", dated); !r.WrittenAt.Equal(time.Date(2026, 12, 7, 10, 42, 21, 468912000, time.UTC)) {
		t.Errorf("written at %v: the engine delivers a message written before the end by this date", r.WrittenAt)
	}
	file := with(func(m *Message) {
		m.BodyText = ""
		m.Attachments = []Attachment{{URL: "https://f.example/a.png", Name: "a.png", ContentType: "image/png"}}
	})
	if r, ok := agentReply("s", file); !ok || len(r.Attachments) != 1 || r.Attachments[0] != (livechat.Attachment{URL: "https://f.example/a.png", Name: "a.png", ContentType: "image/png"}) {
		t.Errorf("an attachment-only reply became %+v, %v", r, ok)
	}
}

func TestReplyTextKeepsTheSignOff(t *testing.T) {
	cases := []struct {
		m    Message
		want string
	}{
		{Message{StrippedText: "Hi", BodyText: "Hi\n-- \nAlex"}, "Hi"},
		{Message{BodyText: "Hi there"}, "Hi there"},
		{Message{BodyHTML: "<div>Hi</div><div>there</div>"}, "Hi\nthere"},
		// The stripped text lost the macro's last line: the token comes back.
		{Message{StrippedText: "Anything else?", BodyText: "Anything else?\n\nLIVECHAT_SESSION_END"}, "Anything else?\nLIVECHAT_SESSION_END"},
		{Message{StrippedText: "Bye", BodyHTML: "<p>Bye</p><p>LIVECHAT\\_SESSION\\_END</p>"}, "Bye\nLIVECHAT_SESSION_END"},
	}
	for _, c := range cases {
		if got := replyText(c.m); got != c.want {
			t.Errorf("replyText(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
}
