package messenger_test

import (
	"context"
	"encoding/json"
	"maps"
	"testing"

	"switchboard/channel/channeltest"
	"switchboard/channel/messenger"
	"switchboard/channel/messenger/messengersim"
)

// simulator adapts messengersim to the conformance suite.
type simulator struct{ s *messengersim.Sim }

func (a simulator) Subscribe(ctx context.Context, url string) error { return a.s.Subscribe(ctx, url) }
func (a simulator) Text(_ context.Context, user, text string) error {
	_, err := a.s.UserText(user, "Conformance", text)
	return err
}
func (a simulator) Press(_ context.Context, user, id string) error {
	_, err := a.s.UserTap(user, id)
	return err
}
func (a simulator) Media(_ context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.UserFile(user, "Conformance", mimeType, data)
	return err
}
func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	sent, err := a.s.WaitOutbound(ctx, user, n)
	var out []channeltest.Sent
	for _, m := range sent {
		s := channeltest.Sent{ID: m.ID, Kind: m.Kind, Text: m.Text}
		if m.Kind == "quick_replies" {
			s.Kind = "list"
		}
		for _, c := range append(m.Buttons, m.QuickReplies...) {
			s.Choices = append(s.Choices, c.Payload)
		}
		out = append(out, s)
	}
	return out, err
}
func (a simulator) Throttle(on bool) {
	n := 0
	if on {
		n = 1
	}
	a.s.SetRateLimit(n)
}
func (a simulator) CloseWindow(user string) { a.s.CloseWindow(user) }

// startSim starts a simulator and returns it with settings that reach it.
func startSim(t *testing.T, instagram bool) (*messengersim.Sim, map[string]any) {
	t.Helper()
	sim := messengersim.New(messengersim.Config{Instagram: instagram})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	cfg := sim.Config()
	settings := map[string]any{"page_access_token": cfg.PageAccessToken, "app_secret": cfg.AppSecret, "verify_token": cfg.VerifyToken, "api_base": sim.URL() + "/v21.0"}
	if instagram {
		settings["instagram_id"] = cfg.AccountID
	} else {
		settings["page_id"] = cfg.AccountID
	}
	return sim, settings
}

// TestConformance runs the channel suite against the simulator, as
// Messenger and as Instagram.
func TestConformance(t *testing.T) {
	for _, instagram := range []bool{false, true} {
		name := map[bool]string{false: "Messenger", true: "Instagram"}[instagram]
		t.Run(name, func(t *testing.T) {
			sim, settings := startSim(t, instagram)
			raw := func(change map[string]any) json.RawMessage {
				m := maps.Clone(settings)
				maps.Copy(m, change)
				out, _ := json.Marshal(m)
				return out
			}
			channeltest.Run(t, channeltest.Channel{
				Driver: messenger.Driver{Instagram: instagram}, Settings: raw(nil),
				Tweak:      func(field, value string) json.RawMessage { return raw(map[string]any{field: value}) },
				TokenField: "verify_token", CredentialField: "page_access_token",
				Sim: simulator{sim},
			})
		})
	}
}
