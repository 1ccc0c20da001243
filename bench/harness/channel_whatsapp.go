package main

import (
	"context"
	"fmt"

	"switchboard/channel/whatsapp/whatsappsim"

	"switchboard/internal/simkit"
)

// WhatsApp customers: the Cloud API simulator, one business number per
// bot; a share of the webhook POSTs sent twice and POSTs made within 30
// ms of each other posted in pairs in reverse order, as Meta's
// at-least-once, unordered delivery may. Every other number batches its
// webhooks (several messages in one POST, so a batch is re-sent whole);
// the others post each message apart, so that a customer's two quick
// messages are swapped.
func init() {
	registerChannel(channelType{Name: "whatsapp", Reordered: true, Start: func(n int, seed uint64) (channelSim, error) {
		s := whatsappsim.New(whatsappsim.Config{PhoneNumberID: fmt.Sprintf("1065403522429%02d", n), DisplayPhoneNumber: fmt.Sprintf("155507838%02d", n),
			AccessToken: fmt.Sprintf("harness-wa-token-%d", n), AppSecret: "harness-wa-secret", VerifyToken: "harness-wa-verify", Seed: seed})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return whatsappSim{s: s, batch: n%2 == 0}, nil
	}})
}

type whatsappSim struct {
	s     *whatsappsim.Sim
	batch bool
}

func (w whatsappSim) Settings() map[string]any {
	c := w.s.Config()
	return map[string]any{"phone_number_id": c.PhoneNumberID, "access_token": c.AccessToken, "app_secret": c.AppSecret,
		"verify_token": c.VerifyToken, "api_base": w.s.URL() + "/v21.0"}
}

func (w whatsappSim) Subscribe(ctx context.Context, webhook string) error {
	return w.s.Subscribe(ctx, webhook)
}

func (w whatsappSim) UserID(n int) string { return fmt.Sprintf("1555%07d", n) }

func (w whatsappSim) Client(user string) string { return user }

func (w whatsappSim) Write(ctx context.Context, user, text string) error {
	_, err := w.s.CustomerText(ctx, user, "Harness "+user, text)
	return err
}

// Press taps the reply button (or list row) by its title: the customer
// sees titles, the webhook carries the id.
func (w whatsappSim) Press(ctx context.Context, user, title string) error {
	sent := w.s.Outbound(user)
	for i := len(sent) - 1; i >= 0; i-- {
		for _, o := range append(sent[i].Buttons, sent[i].ListRows...) {
			if o.Title == title {
				_, err := w.s.CustomerPress(ctx, user, "Harness "+user, o.ID)
				return err
			}
		}
	}
	return fmt.Errorf("no button %q was sent to %s", title, user)
}

func (w whatsappSim) Received(user string) []platformMsg {
	var out []platformMsg
	for _, m := range w.s.Outbound(user) {
		if m.Status == whatsappsim.StatusFailed || m.Type == "reaction" {
			continue
		}
		p := platformMsg{Text: m.Text}
		for _, o := range append(m.Buttons, m.ListRows...) {
			p.Buttons = append(p.Buttons, o.Title)
		}
		out = append(out, p)
	}
	return out
}

func (w whatsappSim) SetOutage(on bool) { w.s.SetOutage(on) }

func (w whatsappSim) Chaos() {
	w.s.SetBatch(w.batch)
	w.s.SetChaos(chaos(true))
}

func (w whatsappSim) Deliveries() []simkit.Delivery { return w.s.Deliveries() }

func (w whatsappSim) Close() { w.s.Close() }
