package messenger_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/messenger"
	"switchboard/channel/messenger/messengersim"
)

// TestEveryComponentIsAcceptedByMeta renders every CSML component the
// engine produces, sends it to the simulator (which validates as Meta
// does), on Messenger and on Instagram, and checks what the user gets.
func TestEveryComponentIsAcceptedByMeta(t *testing.T) {
	buttons := func(n int) string {
		var bs []string
		for i := range n {
			bs = append(bs, `{"title":"Option `+string(rune('A'+i))+`","payload":"P`+string(rune('A'+i))+`"}`)
		}
		return `[` + strings.Join(bs, ",") + `]`
	}
	img := "https://example.com/shoe.png"
	card := `{"title":"Shoe","subtitle":"Red","image_url":"` + img + `","buttons":[{"title":"Buy","payload":"BUY"}]}`
	cases := []struct {
		name, ct, content string
		// messenger and instagram are each message the user gets: its kind
		// and a piece of its text.
		messenger, instagram []string
	}{
		{"Text", "text", `{"text":"Hello"}`, []string{"text:Hello"}, []string{"text:Hello"}},
		{"LongText", "text", `{"text":"` + strings.Repeat("été ", 600) + `"}`, []string{"text:été", "text:été"}, []string{"text:été", "text:été", "text:été", "text:été"}},
		{"TwoButtons", "question", `{"title":"Pick","buttons":` + buttons(2) + `}`, []string{"buttons:Pick"}, []string{"quick_replies:Pick"}},
		{"FiveButtons", "question", `{"title":"Pick","buttons":` + buttons(5) + `}`, []string{"quick_replies:Pick"}, []string{"quick_replies:Pick"}},
		{"FifteenButtons", "question", `{"title":"Pick","buttons":` + buttons(15) + `}`, []string{"text:15. Option O"}, []string{"text:15. Option O"}},
		{"LongTitles", "question", `{"title":"Pick","buttons":[{"title":"A title of 22 letters","payload":"a"}]}`, []string{"text:1. A title of 22 letters"}, []string{"text:1. A title of 22 letters"}},
		{"Button", "button", `{"title":"Go","payload":"GO"}`, []string{"buttons:Choose one:"}, []string{"quick_replies:Choose one:"}},
		{"Card", "card", card, []string{"cards:"}, []string{"cards:"}},
		{"Carousel", "carousel", `{"cards":[` + card + `,` + card + `]}`, []string{"cards:"}, []string{"cards:"}},
		{"CardWithLongTitle", "card", `{"title":"` + strings.Repeat("x", 90) + `","image_url":"` + img + `","buttons":[{"title":"Buy","payload":"BUY"}]}`, []string{"image:" + img, "buttons:xxx"}, []string{"image:" + img, "quick_replies:xxx"}},
		{"Image", "image", `{"url":"` + img + `"}`, []string{"image:" + img}, []string{"image:" + img}},
		{"File", "file", `{"url":"https://example.com/a.pdf","title":"The invoice"}`, []string{"text:The invoice", "file:https://example.com/a.pdf"}, []string{"text:The invoice", "file:https://example.com/a.pdf"}},
		{"URL", "url", `{"url":"https://example.com","text":"Our site"}`, []string{"text:Our site\nhttps://example.com"}, []string{"text:Our site\nhttps://example.com"}},
		{"Typing", "typing", `{"duration":1000}`, nil, nil},
	}
	for _, instagram := range []bool{false, true} {
		t.Run(map[bool]string{false: "Messenger", true: "Instagram"}[instagram], func(t *testing.T) {
			sim, settings := startSim(t, instagram)
			raw, _ := json.Marshal(settings)
			d := messenger.Driver{Instagram: instagram}
			stored, err := d.Setup(raw, channeltest.PlainSealer{}, "p")
			if err != nil {
				t.Fatal(err)
			}
			conn, err := d.Open(stored, channeltest.PlainSealer{}, "p")
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					user := fmt.Sprintf("61000000000000%02d", i)
					if _, err := sim.UserText(user, "Ada", "hi"); err != nil && err != messengersim.ErrNoWebhook {
						t.Fatal(err)
					}
					m := switchboard.Message{ID: int64(100 + i), Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: c.ct, Content: json.RawMessage(c.content)}}
					natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m})
					if err != nil {
						t.Fatal(err)
					}
					for _, n := range natives {
						if _, err := conn.Send(t.Context(), user, n); err != nil {
							t.Fatalf("Meta refused %s %v: %v", n.Kind, n.Body, err)
						}
					}
					want := c.messenger
					if instagram {
						want = c.instagram
					}
					got := sim.Outbound(user)
					if len(got) != len(want) {
						t.Fatalf("the user got %d messages, want %d: %+v", len(got), len(want), got)
					}
					for j, w := range want {
						kind, text, _ := strings.Cut(w, ":")
						if got[j].Kind != kind || !strings.Contains(got[j].Text+got[j].URL, text) {
							t.Errorf("message %d is %s %q, want %s with %q", j, got[j].Kind, got[j].Text+got[j].URL, kind, text)
						}
					}
				})
			}
		})
	}
}

// TestAgentAfterTheWindowIsTagged: a late agent's message goes with the
// HUMAN_AGENT tag, which the simulator takes only from an approved app.
func TestAgentAfterTheWindowIsTagged(t *testing.T) {
	sim, settings := startSim(t, false)
	settings["human_agent_tag"] = true
	raw, _ := json.Marshal(settings)
	d := messenger.Driver{}
	stored, _ := d.Setup(raw, channeltest.PlainSealer{}, "p")
	conn, _ := d.Open(stored, channeltest.PlainSealer{}, "p")
	if w, _ := conn.(channel.AgentWindow).AgentWindow(); w.Hours() != 7*24 {
		t.Errorf("the agent window is %s, want 7 days", w)
	}
	const user = "6100000000000099"
	_, _ = sim.UserText(user, "Ada", "hi")
	sim.CloseWindow(user)
	m := switchboard.Message{Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderAgent, Name: "Alex"}, Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"Sorry for the wait"}`)}}
	natives, _ := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Late: true})
	if _, err := conn.Send(t.Context(), user, natives[0]); !channel.IsWindowClosed(err) {
		t.Errorf("a tagged message from an app Meta did not approve: %v, want window closed", err)
	}
	sim.SetHumanAgent(true)
	if _, err := conn.Send(t.Context(), user, natives[0]); err != nil {
		t.Fatal(err)
	}
	if got := sim.Outbound(user); len(got) != 1 || got[0].Tag != "HUMAN_AGENT" || got[0].Text != "*Alex*\nSorry for the wait" {
		t.Errorf("the user got %+v", got)
	}
	sim.Age(user, 8*24*time.Hour)
	if _, err := conn.Send(t.Context(), user, natives[0]); !channel.IsWindowClosed(err) {
		t.Errorf("a tagged message after 7 days: %v, want window closed", err)
	}
}

// textMessage is a stored text for the user.
func textMessage(text string) switchboard.Message {
	raw, _ := json.Marshal(map[string]string{"text": text})
	return switchboard.Message{Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: "text", Content: raw}}
}
