package teams_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"switchboard/channel/channeltest"
	"switchboard/channel/teams"
	"switchboard/channel/teams/teamssim"
)

// simulator adapts teamssim to the conformance suite: the suite's users
// are conversation ids.
type simulator struct{ s *teamssim.Sim }

func (a simulator) Subscribe(_ context.Context, url string) error {
	a.s.SetEndpoint(url)
	return nil
}

// user is the personal chat of a suite's user, made on first use.
func (a simulator) user(id string) string { return a.s.AddUser("Conformance", id) }

func (a simulator) Text(_ context.Context, user, text string) error {
	_, err := a.s.UserText(a.user(user), text)
	return err
}

func (a simulator) Press(_ context.Context, user, id string) error {
	_, err := a.s.UserPressValue(a.user(user), id)
	return err
}

func (a simulator) Media(_ context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.UserImage(a.user(user), mimeType, data)
	return err
}

func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	conv := a.user(user)
	var out []channeltest.Sent
	err := a.s.Wait(ctx, func() bool {
		c, _ := a.s.Conversation(conv)
		out = out[:0]
		for _, m := range c.Messages {
			if !m.FromBot {
				continue
			}
			s := channeltest.Sent{ID: m.ID, Kind: "text", Text: m.Text}
			if len(m.Images) > 0 {
				s.Kind = "image"
			}
			for _, card := range m.Cards {
				for _, b := range card.Buttons {
					var v struct {
						Payload string `json:"payload"`
					}
					_ = json.Unmarshal(b.Value, &v)
					s.Kind = "buttons"
					s.Choices = append(s.Choices, v.Payload)
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

// CloseWindow: Teams has no window.
func (a simulator) CloseWindow(string) {}

// TestConformance runs the channel suite against the simulator.
func TestConformance(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	raw := func(password string) json.RawMessage {
		s := sim.Settings()
		s["app_password"] = password
		out, _ := json.Marshal(s)
		return out
	}
	channeltest.Run(t, channeltest.Channel{
		Driver: teams.Driver{Client: teams.NewClient(10 * time.Second)}, Settings: raw(teamssim.DefaultAppPassword),
		Tweak:      func(_, value string) json.RawMessage { return raw(value) },
		TokenField: "app_password", CredentialField: "app_password",
		Sim: simulator{sim}, NoReceipts: true, NoHandshake: true,
	})
}

func startSim(t *testing.T, cfg teamssim.Config) *teamssim.Sim {
	t.Helper()
	sim := teamssim.New(cfg)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}
