package telegram_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"switchboard/channel/channeltest"
	"switchboard/channel/telegram"
	"switchboard/channel/telegram/telegramsim"
)

// simulator adapts telegramsim to the conformance suite: the suite's users
// are chat ids.
type simulator struct{ s *telegramsim.Sim }

// Subscribe has nothing to do: the driver set the webhook (Register).
func (a simulator) Subscribe(context.Context, string) error { return nil }

// user is the chat of a user id, made on first use.
func (a simulator) user(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	a.s.AddUser(n, "Conformance")
	return n
}

func (a simulator) Text(_ context.Context, user, text string) error {
	_, err := a.s.UserText(a.user(user), text)
	return err
}

func (a simulator) Press(_ context.Context, user, id string) error {
	_, err := a.s.UserPressData(a.user(user), id)
	return err
}

func (a simulator) Media(_ context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.UserFile(a.user(user), "photo", "conformance.png", mimeType, data, "")
	return err
}

func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	chat := a.user(user)
	var out []channeltest.Sent
	err := a.s.Wait(ctx, func() bool {
		c, _ := a.s.Chat(chat)
		out = out[:0]
		for _, m := range c.Messages {
			if !m.FromBot {
				continue
			}
			s := channeltest.Sent{ID: user + ":" + strconv.FormatInt(m.ID, 10), Kind: "text", Text: m.Text}
			if m.Media != "" {
				s.Kind = m.Media
			}
			for _, row := range m.Keyboard {
				for _, b := range row {
					s.Kind = "buttons"
					s.Choices = append(s.Choices, b.CallbackData)
				}
			}
			out = append(out, s)
		}
		return len(out) >= n
	})
	return out, err
}

func (a simulator) Throttle(on bool) {
	n := 0
	if on {
		n = 1000
	}
	a.s.Throttle(n, 1)
}

// CloseWindow: Telegram has no window.
func (a simulator) CloseWindow(string) {}

// TestConformance runs the channel suite against the simulator.
func TestConformance(t *testing.T) {
	sim := startSim(t, telegramsim.Config{InsecureWebhooks: true})
	raw := func(token string) json.RawMessage {
		out, _ := json.Marshal(map[string]string{"bot_token": token, "api_base": sim.URL()})
		return out
	}
	channeltest.Run(t, channeltest.Channel{
		Driver: telegram.Driver{}, Settings: raw(telegramsim.DefaultToken),
		// Another token of the right shape, which the API refuses.
		Tweak:      func(_, value string) json.RawMessage { return raw("7000000009:AA" + value + "-0123456789") },
		TokenField: "bot_token", CredentialField: "bot_token",
		Sim: simulator{sim}, NoReceipts: true,
	})
}
