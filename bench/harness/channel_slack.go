package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"switchboard/channel/slack/slacksim"

	"switchboard/internal/simkit"
)

// Slack customers: a simulated workspace per bot, each customer a person
// writing to the app in their DM and pressing its Block Kit buttons. The
// Events API retries an event not answered within 3 seconds at once, then
// after a minute and five (the simulator's defaults, Slack's), so a
// customer's message outlives a kill; a share of the events is posted
// twice. A button press is posted once and never retried: Slack shows the
// person an error, and they press again (Press).
func init() {
	registerChannel(channelType{Name: "slack", Start: func(n int, seed uint64) (channelSim, error) {
		s := slacksim.New(slacksim.Config{BotToken: fmt.Sprintf("xoxb-harness-%d-SlackBotToken", n), SigningSecret: fmt.Sprintf("harness-slack-secret-%d", n), Seed: seed})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return slackSim{s}, nil
	}})
}

type slackSim struct{ s *slacksim.Sim }

func (s slackSim) Settings() map[string]any {
	c := s.s.Config()
	return map[string]any{"bot_token": c.BotToken, "signing_secret": c.SigningSecret, "api_base": s.s.URL() + "/api"}
}

// Subscribe sets the app's Event Subscriptions and Interactivity request
// URLs, after Slack's url_verification of it.
func (s slackSim) Subscribe(ctx context.Context, webhook string) error {
	return s.s.Subscribe(ctx, webhook)
}

func (s slackSim) UserID(n int) string { return fmt.Sprintf("UH%07d", n) }

// Client is the person's DM with the app, made on first use.
func (s slackSim) Client(user string) string {
	return s.s.AddUser(slacksim.User{ID: user, Name: "harness" + user}).DM
}

func (s slackSim) Write(_ context.Context, user, text string) error {
	s.Client(user)
	_, err := s.s.UserText(user, text)
	return err
}

// Press presses the button titled title on the bot's last message in the
// DM that shows it, and waits for Slack's call to the interactivity URL:
// when the app did not answer it 2xx, Slack shows the person an error
// ("didn't respond"), and the error makes the customer press again.
func (s slackSim) Press(ctx context.Context, user, title string) error {
	dm := s.Client(user)
	c, _ := s.s.Conversation(dm)
	ts := ""
	for _, m := range slices.Backward(c.Messages) {
		if m.Bot && slices.ContainsFunc(m.Buttons, func(b slacksim.Button) bool { return b.Text == title }) {
			ts = m.TS
			break
		}
	}
	if ts == "" {
		return fmt.Errorf("no button %q was sent to %s", title, user)
	}
	before := len(s.presses(dm))
	if err := s.s.UserPress(user, dm, ts, title); err != nil {
		return err
	}
	for {
		if ps := s.presses(dm); len(ps) > before {
			if d := ps[before]; !d.OK() {
				return fmt.Errorf("slack shows an error for the press: %d %s", d.Status, d.Err)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// presses are the calls made for the presses in a conversation (not the
// chaos's second sends).
func (s slackSim) presses(conv string) []simkit.Delivery {
	var out []simkit.Delivery
	for _, d := range s.s.Deliveries() {
		if d.EventType == "block_actions" && d.ObjectID == conv && !d.Duplicate {
			out = append(out, d)
		}
	}
	return out
}

func (s slackSim) Received(user string) []platformMsg {
	c, ok := s.s.Conversation(s.Client(user))
	if !ok {
		return nil
	}
	var out []platformMsg
	for _, m := range c.Messages {
		if !m.Bot {
			continue
		}
		p := platformMsg{Text: m.Text}
		for _, b := range m.Buttons {
			p.Buttons = append(p.Buttons, b.Text)
		}
		out = append(out, p)
	}
	return out
}

func (s slackSim) SetOutage(on bool) {
	sw := s.s.Switches()
	sw.Outage = on
	s.s.SetSwitches(sw)
}

func (s slackSim) Chaos() { s.s.SetChaos(chaos(false)) }

func (s slackSim) Deliveries() []simkit.Delivery { return s.s.Deliveries() }

func (s slackSim) Close() { s.s.Close() }
