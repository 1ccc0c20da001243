package livechat_test

import (
	"encoding/json"
	"testing"

	"switchboard"
	"switchboard/livechat"
)

func TestTranscriptShowsWhatAgentsNeed(t *testing.T) {
	msg := func(kind switchboard.SenderKind, ct, content string) switchboard.Message {
		return switchboard.Message{Sender: switchboard.Sender{Kind: kind}, Payload: switchboard.Payload{ContentType: ct, Content: json.RawMessage(content)}}
	}
	got := livechat.Transcript([]switchboard.Message{
		msg(switchboard.SenderBot, "text", `{"text":"Hi!"}`),
		msg(switchboard.SenderBot, "typing", `{"duration":500}`),
		msg(switchboard.SenderBot, "question", `{"title":"Help?","buttons":[{"content":{"title":"Yes"},"content_type":"button"},{"title":"No"}]}`),
		msg(switchboard.SenderUser, "payload", `{"payload":"LIVECHAT_SESSION_START","title":"Talk to a human"}`),
		msg(switchboard.SenderSystem, "text", `{"text":"Connecting you…"}`),
		msg(switchboard.SenderUser, "image", `{"url":"https://x.example/a.png"}`),
	})
	want := "Conversation with the bot before the handoff:\n\nBot: Hi!\nBot: Help? [Yes | No]\nUser: Talk to a human\nUser: https://x.example/a.png"
	if got != want {
		t.Errorf("Transcript =\n%s\nwant\n%s", got, want)
	}
	if livechat.Transcript(nil) != "" {
		t.Error("an empty transcript is not empty")
	}
}
