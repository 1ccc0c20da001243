package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"switchboard/channel/slack/slacksim"

	"switchboard/internal/simkit"
)

// Slack customers: a simulated workspace per bot, each customer a person
// writing to the app and pressing its Block Kit buttons: every other one in
// their DM, the others each in a thread of #general (their first message
// starts it; the thread is switchboard's client). The Events API retries
// an event not answered within 3 seconds at once, then after a minute and
// five (the simulator's defaults, Slack's), so a customer's message
// outlives a kill, but arrives after those written after it: Slack's
// deliveries are Reordered. A share of the events is posted twice. A
// button press is posted once and never retried: Slack shows the person an
// error, and they press again (Press).
func init() {
	registerChannel(channelType{Name: "slack", Reordered: true, Start: func(n int, seed uint64) (channelSim, error) {
		s := slacksim.New(slacksim.Config{BotToken: fmt.Sprintf("xoxb-harness-%d-SlackBotToken", n), SigningSecret: fmt.Sprintf("harness-slack-secret-%d", n), Seed: seed})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return &slackSim{s: s, customers: n, threads: map[string]string{}}, nil
	}})
}

type slackSim struct {
	s *slacksim.Sim

	mu sync.Mutex
	// customers counts the customers, from the bot's number: every other
	// one writes in a thread.
	customers int
	// threads are the thread customers' thread roots ("" until their
	// first message), by user.
	threads map[string]string
	// pressing serialises the presses, so that each finds its own call
	// among the channel's (#general's are several customers').
	pressing sync.Mutex
}

func (s *slackSim) Settings() map[string]any {
	c := s.s.Config()
	return map[string]any{"bot_token": c.BotToken, "signing_secret": c.SigningSecret, "api_base": s.s.URL() + "/api"}
}

// Subscribe sets the app's Event Subscriptions and Interactivity request
// URLs, after Slack's url_verification of it.
func (s *slackSim) Subscribe(ctx context.Context, webhook string) error {
	return s.s.Subscribe(ctx, webhook)
}

// UserID is the person's Slack id; every other customer of the
// workspace, starting with the second bot's first, writes in a thread.
func (s *slackSim) UserID(n int) string {
	id := fmt.Sprintf("UH%07d", n)
	s.s.AddUser(slacksim.User{ID: id, Name: "harness" + id})
	s.mu.Lock()
	if _, ok := s.threads[id]; !ok && s.customers%2 == 1 {
		s.threads[id] = ""
	}
	s.customers++
	s.mu.Unlock()
	return id
}

// where is the user's conversation: their DM, or #general and their
// thread's root (inThread, root "" before their first message).
func (s *slackSim) where(user string) (channel, root string, inThread bool) {
	s.mu.Lock()
	root, inThread = s.threads[user]
	s.mu.Unlock()
	if inThread {
		return slacksim.General, root, true
	}
	return s.s.AddUser(slacksim.User{ID: user}).DM, "", false
}

// Client is switchboard's client: the DM, or the thread ("" before it
// was started).
func (s *slackSim) Client(user string) string {
	channel, root, inThread := s.where(user)
	switch {
	case !inThread:
		return channel
	case root == "":
		return ""
	}
	return channel + ":" + root
}

func (s *slackSim) Write(_ context.Context, user, text string) error {
	channel, root, inThread := s.where(user)
	if !inThread {
		_, err := s.s.UserText(user, text)
		return err
	}
	p, err := s.s.UserPost(slacksim.Post{User: user, Channel: channel, ThreadTS: root, Text: text})
	if err == nil && root == "" {
		s.mu.Lock()
		s.threads[user] = p.TS
		s.mu.Unlock()
	}
	return err
}

// mine are the bot's messages in the user's conversation, in order.
func (s *slackSim) mine(user string) (string, []slacksim.Message) {
	channel, root, inThread := s.where(user)
	c, _ := s.s.Conversation(channel)
	var out []slacksim.Message
	for _, m := range c.Messages {
		if m.Bot && (!inThread || root != "" && m.ThreadTS == root) {
			out = append(out, m)
		}
	}
	return channel, out
}

// Press presses the button titled title on the bot's last message that
// shows it, and waits for Slack's call to the interactivity URL: when the
// app did not answer it 2xx, Slack shows the person an error ("didn't
// respond"), and the error makes the customer press again.
func (s *slackSim) Press(ctx context.Context, user, title string) error {
	channel, ms := s.mine(user)
	ts := ""
	for _, m := range slices.Backward(ms) {
		if slices.ContainsFunc(m.Buttons, func(b slacksim.Button) bool { return b.Text == title }) {
			ts = m.TS
			break
		}
	}
	if ts == "" {
		return fmt.Errorf("no button %q was sent to %s", title, user)
	}
	s.pressing.Lock()
	defer s.pressing.Unlock()
	before := len(s.presses(channel))
	if err := s.s.UserPress(user, channel, ts, title); err != nil {
		return err
	}
	for {
		if ps := s.presses(channel); len(ps) > before {
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

// presses are the calls made for the presses in a channel (not the
// chaos's second sends).
func (s *slackSim) presses(channel string) []simkit.Delivery {
	var out []simkit.Delivery
	for _, d := range s.s.Deliveries() {
		if d.EventType == "block_actions" && d.ObjectID == channel && !d.Duplicate {
			out = append(out, d)
		}
	}
	return out
}

func (s *slackSim) Received(user string) []platformMsg {
	_, ms := s.mine(user)
	var out []platformMsg
	for _, m := range ms {
		p := platformMsg{Text: m.Text}
		for _, b := range m.Buttons {
			p.Buttons = append(p.Buttons, b.Text)
		}
		out = append(out, p)
	}
	return out
}

func (s *slackSim) SetOutage(on bool) { s.s.SetOutage(on) }

// Chaos posts a share of the deliveries twice; Slack's reordering is its
// retries', which the kill brings.
func (s *slackSim) Chaos() { s.s.SetChaos(chaos(false)) }

func (s *slackSim) Deliveries() []simkit.Delivery { return s.s.Deliveries() }

func (s *slackSim) Close() { s.s.Close() }
