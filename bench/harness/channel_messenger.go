package main

import (
	"context"
	"fmt"

	"switchboard/channel/messenger/messengersim"

	"switchboard/internal/simkit"
)

// Messenger and Instagram customers: the Messenger Platform simulator,
// one page (or Instagram professional account) per bot; a share of its
// webhook calls posted twice. Meta does not promise order: it retries a
// failed call later, after the events that came next (a long run saw a
// START press retried after the customer's next texts), so the type is
// Reordered, with the simulator's calls swapped in pairs as WhatsApp's.
func init() {
	for _, instagram := range []bool{false, true} {
		name := map[bool]string{false: "messenger", true: "instagram"}[instagram]
		registerChannel(channelType{Name: name, Reordered: true, Start: func(n int, seed uint64) (channelSim, error) {
			s := messengersim.New(messengersim.Config{Instagram: instagram, AccountID: fmt.Sprintf("1045195124659%02d", n),
				PageAccessToken: fmt.Sprintf("harness-%s-token-%d", name, n), AppSecret: "harness-meta-secret", VerifyToken: "harness-meta-verify", Seed: seed})
			if err := s.Start(); err != nil {
				return nil, err
			}
			return messengerSim{s}, nil
		}})
	}
}

type messengerSim struct{ s *messengersim.Sim }

func (m messengerSim) Settings() map[string]any {
	c := m.s.Config()
	out := map[string]any{"page_access_token": c.PageAccessToken, "app_secret": c.AppSecret, "verify_token": c.VerifyToken,
		"api_base": m.s.URL() + "/v21.0"}
	if c.Instagram {
		out["instagram_id"] = c.AccountID
	} else {
		out["page_id"] = c.AccountID
	}
	return out
}

func (m messengerSim) Subscribe(ctx context.Context, webhook string) error {
	return m.s.Subscribe(ctx, webhook)
}

func (m messengerSim) UserID(n int) string { return fmt.Sprintf("70000%05d", n) }

func (m messengerSim) Client(user string) string { return user }

func (m messengerSim) Write(_ context.Context, user, text string) error {
	_, err := m.s.UserText(user, "Harness "+user, text)
	return err
}

// Press taps the quick reply or button by its title: the user sees
// titles, the webhook carries the payload.
func (m messengerSim) Press(_ context.Context, user, title string) error {
	sent := m.s.Outbound(user)
	for i := len(sent) - 1; i >= 0; i-- {
		for _, c := range choices(sent[i]) {
			if c.Title == title {
				_, err := m.s.UserTap(user, c.Payload)
				return err
			}
		}
	}
	return fmt.Errorf("no button %q was sent to %s", title, user)
}

// choices are a message's quick replies and buttons, its cards' too.
func choices(msg messengersim.Message) []messengersim.Choice {
	out := append(append([]messengersim.Choice(nil), msg.QuickReplies...), msg.Buttons...)
	for _, e := range msg.Elements {
		out = append(out, e.Buttons...)
	}
	return out
}

func (m messengerSim) Received(user string) []platformMsg {
	var out []platformMsg
	for _, msg := range m.s.Outbound(user) {
		p := platformMsg{Text: msg.Text}
		for _, c := range choices(msg) {
			p.Buttons = append(p.Buttons, c.Title)
		}
		out = append(out, p)
	}
	return out
}

func (m messengerSim) SetOutage(on bool) { m.s.SetOutage(on) }

func (m messengerSim) Chaos() { m.s.SetChaos(chaos(true)) }

func (m messengerSim) Deliveries() []simkit.Delivery { return m.s.Deliveries() }

func (m messengerSim) Close() { m.s.Close() }
