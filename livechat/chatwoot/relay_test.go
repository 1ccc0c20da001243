package chatwoot

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

func TestOnlyPublicMessagesOfHumanAgentsAreRelayed(t *testing.T) {
	agent := &Sender{ID: 3, Name: "Alex Agent", AvailableName: "Alex", Type: "user"}
	reply := Message{ID: 1010, MessageType: Outgoing, Sender: agent, Content: "Hello", Status: "sent"}
	with := func(f func(m *Message)) Message {
		m := reply
		f(&m)
		return m
	}
	bot := with(func(m *Message) { m.Sender = &Sender{ID: 1, Name: "Captain", Type: "agent_bot"} })
	template := with(func(m *Message) { m.MessageType, m.Sender, m.ContentType = Template, nil, "input_csat" })
	automation := with(func(m *Message) { m.Sender = nil })
	never := map[string]Message{
		"the user's own message":  with(func(m *Message) { m.MessageType, m.Sender = Incoming, &Sender{ID: 9, Type: "contact"} }),
		"a private note":          with(func(m *Message) { m.Private = true }),
		"an activity":             with(func(m *Message) { m.MessageType, m.Sender = Activity, nil }),
		"switchboard's own post":  with(func(m *Message) { m.SourceID = driverkit.RefNote + "s:1" }),
		"an empty message":        with(func(m *Message) { m.Content = "  " }),
		"an agent bot's reply":    bot,
		"a survey":                template,
		"an automation's message": automation,
	}
	for name, m := range never {
		if r, ok := agentReply("s", m, false); ok {
			t.Errorf("%s was relayed: %+v", name, r)
		}
	}
	r, ok := agentReply("s", reply, false)
	if !ok || r.Text != "Hello" || r.DedupID != "1010" || r.AgentName != "Alex" || r.AgentID != "chatwoot:user:3" || r.SessionID != "s" {
		t.Fatalf("a reply became %+v, %v", r, ok)
	}
	for name, m := range map[string]Message{"an agent bot's reply": bot, "a survey": template, "an automation's message": automation} {
		if _, ok := agentReply("s", m, true); !ok {
			t.Errorf("with bots, %s was not relayed", name)
		}
	}
	if _, ok := agentReply("s", never["a private note"], true); ok {
		t.Error("with bots, a private note was relayed")
	}
	file := with(func(m *Message) {
		m.Content = ""
		m.Attachments = []Attachment{{ID: 1, FileType: "image", DataURL: "https://cw.example/rails/blobs/x/label.png"}, {ID: 2, FileType: "file", DataURL: "https://cw.example/blob/7"}}
	})
	r, ok = agentReply("s", file, false)
	want := []livechat.Attachment{{URL: "https://cw.example/rails/blobs/x/label.png", Name: "label.png", ContentType: "image/png"}, {URL: "https://cw.example/blob/7", Name: "7", ContentType: "application/octet-stream"}}
	if !ok || len(r.Attachments) != 2 || r.Attachments[0] != want[0] || r.Attachments[1] != want[1] {
		t.Errorf("an attachment-only reply became %+v, %v", r, ok)
	}
	if a := attachment(Attachment{FileType: "video", DataURL: "https://cw.example/clip"}); a.ContentType != "video/*" {
		t.Errorf("a video without extension: %+v", a)
	}
}

func TestMessagesReadBothShapes(t *testing.T) {
	var rest, hook Message
	if err := json.Unmarshal([]byte(`{"id":1,"message_type":1,"sender_type":"User","sender":{"id":3,"name":"A"},"content":null}`), &rest); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"id":1,"message_type":"outgoing","sender":{"id":3,"name":"A","type":"user"}}`), &hook); err != nil {
		t.Fatal(err)
	}
	if rest.MessageType != Outgoing || hook.MessageType != Outgoing || rest.senderType() != "user" || hook.senderType() != "user" {
		t.Errorf("REST %+v, webhook %+v", rest, hook)
	}
	var newer Message
	if err := json.Unmarshal([]byte(`{"message_type":7,"content":"x","sender":{"type":"user"}}`), &newer); err != nil || newer.MessageType != "7" {
		t.Errorf("a newer message type: %v %q", err, newer.MessageType)
	}
	if _, ok := agentReply("s", newer, true); ok {
		t.Error("a message of an unknown type was relayed")
	}
}

// TestMessageDatesReadInBothForms reads when an agent wrote a message, as
// the REST API (unix seconds) and webhooks (ISO 8601) say it; the engine
// delivers a message written before the session's end even when relayed
// after it.
func TestMessageDatesReadInBothForms(t *testing.T) {
	want := time.Date(2026, 12, 7, 10, 42, 21, 0, time.UTC)
	for _, raw := range []string{`{"id":1,"created_at":1796640141}`, `{"id":1,"created_at":"2026-12-07T10:42:21Z"}`} {
		var m Message
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		m.MessageType, m.Content, m.Sender = Outgoing, "hi", &Sender{ID: 3, Type: "user"}
		r, ok := agentReply("s", m, false)
		if !ok || !r.WrittenAt.Equal(want) {
			t.Errorf("%s: written at %v, want %v", raw, r.WrittenAt, want)
		}
	}
	var m Message
	if err := json.Unmarshal([]byte(`{"id":1,"created_at":"yesterday"}`), &m); err != nil || !time.Time(m.CreatedAt).IsZero() {
		t.Errorf("an unreadable date: %v, %v", err, time.Time(m.CreatedAt))
	}
}
