package whatsapp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/whatsapp"
	"switchboard/channel/whatsapp/whatsappsim"
)

// TestEveryComponentIsAcceptedByWhatsApp renders every CSML component the
// engine produces, sends it to the simulator (which validates as Meta
// does) and checks what the customer gets.
func TestEveryComponentIsAcceptedByWhatsApp(t *testing.T) {
	sim := whatsappsim.New(whatsappsim.Config{PhoneNumberID: "106540352242922", AccessToken: "tok", AppSecret: "secret", VerifyToken: "verify"})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	settings, _ := json.Marshal(map[string]string{"phone_number_id": "106540352242922", "access_token": "tok", "app_secret": "secret", "verify_token": "verify", "api_base": sim.URL() + "/v21.0"})
	d := whatsapp.Driver{}
	stored, err := d.Setup(settings, channeltest.PlainSealer{}, "p")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := d.Open(stored, channeltest.PlainSealer{}, "p")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const user = "15550009999"
	inbound, err := sim.CustomerText(ctx, user, "Ada", "hi") // opens the window
	if err != nil && err != whatsappsim.ErrNoWebhook {
		t.Fatal(err)
	}
	img := "https://example.com/shoe.png"
	cases := []struct {
		name, ct, content string
		// want is each message the customer gets: type (interactive kind),
		// and a piece of its text.
		want []string
	}{
		{"Text", "text", `{"text":"Hello *there*"}`, []string{"text:Hello *there*"}},
		{"LongText", "text", `{"text":"` + strings.Repeat("word ", 1000) + `"}`, []string{"text:word", "text:word"}},
		{"Question", "question", `{"title":"Pick","buttons":[{"content_type":"button","content":{"title":"A","payload":"a"}},{"title":"B","payload":"b"}]}`, []string{"button:Pick"}},
		{"QuestionLongTitles", "question", `{"title":"Pick","buttons":[{"title":"A title of 22 letters","payload":"a"},{"title":"B","payload":"b"}]}`, []string{"list:Pick"}},
		{"Button", "button", `{"title":"Go","payload":"GO"}`, []string{"button:Choose one:"}},
		{"Card", "card", `{"title":"Shoe","subtitle":"Red","image_url":"` + img + `","buttons":[{"title":"Buy","payload":"BUY"}]}`, []string{"button:Shoe\nRed"}},
		{"CardWithoutButtons", "card", `{"title":"Shoe","image_url":"` + img + `"}`, []string{"image:Shoe"}},
		{"Carousel", "carousel", `{"cards":[{"content_type":"card","content":{"title":"One","image_url":"` + img + `","buttons":[{"title":"Pick 1","payload":"P1"}]}},{"title":"Two","buttons":[{"title":"Pick 2","payload":"P2"}]}]}`, []string{"button:One", "button:Two"}},
		{"Image", "image", `{"url":"` + img + `"}`, []string{"image:"}},
		{"Video", "video", `{"url":"https://example.com/a.mp4"}`, []string{"video:"}},
		{"Audio", "audio", `{"url":"https://example.com/a.mp3"}`, []string{"audio:"}},
		{"File", "file", `{"url":"https://example.com/a.pdf","name":"a.pdf"}`, []string{"document:"}},
		{"Url", "url", `{"url":"https://example.com","text":"Our site"}`, []string{"text:Our site\nhttps://example.com"}},
		{"Wait", "wait", `{"duration":100}`, nil},
	}
	sent := 0
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := switchboard.Message{ID: int64(100 + i), Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: c.ct, Content: json.RawMessage(c.content)}}
			natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range natives {
				if _, err := conn.Send(ctx, user, n); err != nil {
					t.Fatalf("WhatsApp refused the %s: %v", n.Kind, err)
				}
			}
			out := sim.Outbound(user)[sent:]
			sent += len(out)
			if len(out) != len(c.want) {
				t.Fatalf("the customer got %d messages, want %d: %+v", len(out), len(c.want), out)
			}
			for j, w := range c.want {
				kind, text, _ := strings.Cut(w, ":")
				got := out[j].Type
				if got == "interactive" {
					got = out[j].Interactive
				}
				if got != kind || !strings.HasPrefix(out[j].Text, text) {
					t.Errorf("message %d is %s %q, want %s starting %q", j, got, out[j].Text, kind, text)
				}
			}
		})
	}
	t.Run("Typing", func(t *testing.T) {
		if inbound == "" {
			t.Skip("no inbound message id")
		}
		m := switchboard.Message{Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: "typing", Content: json.RawMessage(`{"duration":500}`)}}
		natives, _ := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, ReplyTo: inbound})
		if len(natives) != 1 || natives[0].Kind != "typing" {
			t.Fatalf("typing renders as %+v", natives)
		}
		if id, err := conn.Send(ctx, user, natives[0]); err != nil || id != "" {
			t.Errorf("typing: %q %v, want accepted without an id", id, err)
		}
	})
}
