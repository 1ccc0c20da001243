package twilio_test

import (
	"context"
	"encoding/json"
	"testing"

	"switchboard/channel/channeltest"
	"switchboard/channel/twilio"
	"switchboard/channel/twilio/twiliosim"
)

// simulator adapts twiliosim to the conformance suite; the suite's users
// are numbers without the "+".
type simulator struct{ s *twiliosim.Sim }

func (a simulator) Subscribe(_ context.Context, url string) error {
	a.s.SetWebhook(url)
	a.s.SetStatusCallback(url)
	return nil
}

func (a simulator) Text(ctx context.Context, user, text string) error {
	_, err := a.s.CustomerText(ctx, "+"+user, text)
	return err
}

func (a simulator) Press(ctx context.Context, user, id string) error {
	_, err := a.s.CustomerText(ctx, "+"+user, id)
	return err
}

func (a simulator) Media(ctx context.Context, user, mimeType string, data []byte) error {
	_, err := a.s.CustomerMedia(ctx, "+"+user, mimeType, data, "")
	return err
}

func (a simulator) Outbound(ctx context.Context, user string, n int) ([]channeltest.Sent, error) {
	sent, err := a.s.WaitOutbound(ctx, "+"+user, n)
	var out []channeltest.Sent
	for _, m := range sent {
		out = append(out, channeltest.Sent{ID: m.SID, Kind: "text", Text: m.Body})
	}
	return out, err
}

func (a simulator) Throttle(on bool) {
	n := -1
	if on {
		n = 1
	}
	a.s.Throttle(n)
}

func (a simulator) CloseWindow(string) {}

// TestConformance runs the channel suite against the simulator.
func TestConformance(t *testing.T) {
	sim := twiliosim.New(twiliosim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	raw := func(field, value string) json.RawMessage {
		m := map[string]string{"account_sid": twiliosim.DefaultAccountSID, "auth_token": twiliosim.DefaultAuthToken, "from": twiliosim.DefaultNumber, "api_base": sim.URL()}
		if field != "" {
			m[field] = value
		}
		out, _ := json.Marshal(m)
		return out
	}
	channeltest.Run(t, channeltest.Channel{
		Driver: twilio.Driver{}, Settings: raw("", ""), Tweak: raw,
		TokenField: "auth_token", CredentialField: "auth_token",
		Sim: simulator{sim}, NoHandshake: true, Numbered: true,
	})
}
