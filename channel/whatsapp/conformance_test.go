package whatsapp_test

import (
	"context"
	"encoding/json"
	"testing"

	"switchboard/channel/channeltest"
	"switchboard/channel/whatsapp"
	"switchboard/channel/whatsapp/whatsappsim"
)

// simulator adapts whatsappsim to the conformance suite.
type simulator struct{ s *whatsappsim.Sim }

func (a simulator) Subscribe(ctx context.Context, url string) error { return a.s.Subscribe(ctx, url) }

func (a simulator) Text(ctx context.Context, user, text string) error {
	_, err := a.s.CustomerText(ctx, user, "Conformance", text)
	return err
}

func (a simulator) Press(ctx context.Context, user, id string) error {
	_, err := a.s.CustomerPress(ctx, user, "Conformance", id)
	return err
}

func (a simulator) Media(ctx context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.CustomerMedia(ctx, user, "Conformance", mimeType, data, "")
	return err
}

func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	sent, err := a.s.WaitOutbound(ctx, user, n)
	var out []channeltest.Sent
	for _, m := range sent {
		s := channeltest.Sent{ID: m.ID, Kind: m.Type, Text: m.Text}
		if m.Type == "interactive" {
			s.Kind = map[string]string{"button": "buttons"}[m.Interactive]
			if s.Kind == "" {
				s.Kind = m.Interactive
			}
		}
		for _, o := range append(m.Buttons, m.ListRows...) {
			s.Choices = append(s.Choices, o.ID)
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
	a.s.SetThroughputLimit(n)
}

func (a simulator) CloseWindow(user string) { a.s.CloseWindow(user) }

// TestConformance runs the channel suite against the simulator.
func TestConformance(t *testing.T) {
	sim := whatsappsim.New(whatsappsim.Config{PhoneNumberID: "106540352242922", AccessToken: "tok", AppSecret: "secret", VerifyToken: "verify"})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	settings := map[string]string{"phone_number_id": "106540352242922", "access_token": "tok", "app_secret": "secret", "verify_token": "verify", "api_base": sim.URL() + "/v21.0"}
	raw := func(change map[string]string) json.RawMessage {
		m := map[string]string{}
		for k, v := range settings {
			m[k] = v
		}
		for k, v := range change {
			m[k] = v
		}
		out, _ := json.Marshal(m)
		return out
	}
	channeltest.Run(t, channeltest.Channel{
		Driver: whatsapp.Driver{}, Settings: raw(nil),
		Tweak:      func(field, value string) json.RawMessage { return raw(map[string]string{field: value}) },
		TokenField: "verify_token", CredentialField: "access_token",
		Sim: simulator{sim},
	})
}
