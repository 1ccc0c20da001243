package slack_test

import (
	"context"
	"encoding/json"
	"testing"

	"switchboard/channel/channeltest"
	"switchboard/channel/slack"
	"switchboard/channel/slack/slacksim"
)

// simulator adapts slacksim to the conformance suite: a suite's user is a
// person whose DM has the user's id, which is the client's user id.
type simulator struct{ s *slacksim.Sim }

// Subscribe sets the request URLs as an app configured earlier: the
// suite's receiver does not answer url_verification (the layer does; the
// app's tests cover it).
func (a simulator) Subscribe(_ context.Context, u string) error {
	a.s.SetURLs(u, u)
	return nil
}

// user is the person of a suite's user, made on first use.
func (a simulator) user(id string) string {
	return a.s.AddUser(slacksim.User{ID: "U" + id, DM: id, Name: "Conformance " + id}).ID
}

func (a simulator) Text(_ context.Context, user, text string) error {
	_, err := a.s.UserText(a.user(user), text)
	return err
}

// Press presses the button of that value on the bot's last message that
// has one.
func (a simulator) Press(_ context.Context, user, id string) error {
	u := a.user(user)
	c, _ := a.s.Conversation(user)
	for i := len(c.Messages) - 1; i >= 0; i-- {
		for _, b := range c.Messages[i].Buttons {
			if b.Value == id {
				return a.s.UserPress(u, user, c.Messages[i].TS, id)
			}
		}
	}
	return a.s.UserPress(u, user, "", id)
}

func (a simulator) Media(_ context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.UserFile(a.user(user), "conformance.png", mimeType, data, "")
	return err
}

func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	var out []channeltest.Sent
	err := a.s.Wait(ctx, func() bool {
		c, _ := a.s.Conversation(user)
		out = out[:0]
		for _, m := range c.Messages {
			if !m.Bot {
				continue
			}
			s := channeltest.Sent{ID: user + ":" + m.TS, Kind: "text", Text: m.Text}
			if len(m.Images) > 0 {
				s.Kind = "image"
			}
			for _, b := range m.Buttons {
				s.Kind = "buttons"
				s.Choices = append(s.Choices, b.Value)
			}
			out = append(out, s)
		}
		return len(out) >= n
	})
	return out, err
}

// Throttle answers every call ratelimited while on.
func (a simulator) Throttle(on bool) {
	if on {
		a.s.Throttle(1000, 1)
		return
	}
	a.s.Throttle(0, 1)
}

// CloseWindow: Slack has no window.
func (a simulator) CloseWindow(string) {}

// startSim starts a simulator for the length of a test.
func startSim(t *testing.T, cfg slacksim.Config) *slacksim.Sim {
	t.Helper()
	sim := slacksim.New(cfg)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

// settings are a channel's settings on sim, with another bot token when
// token is not "".
func settings(sim *slacksim.Sim, token string) json.RawMessage {
	if token == "" {
		token = slacksim.DefaultBotToken
	}
	raw, _ := json.Marshal(map[string]string{"bot_token": token, "signing_secret": slacksim.DefaultSigningSecret, "api_base": sim.URL() + "/api"})
	return raw
}

// TestConformance runs the channel suite against the simulator.
func TestConformance(t *testing.T) {
	sim := startSim(t, slacksim.Config{})
	channeltest.Run(t, channeltest.Channel{
		Driver: slack.Driver{}, Settings: settings(sim, ""),
		Tweak:      func(_, value string) json.RawMessage { return settings(sim, "xoxb-"+value) },
		TokenField: "signing_secret", CredentialField: "bot_token",
		Sim: simulator{sim}, NoReceipts: true, NoHandshake: true,
	})
}
