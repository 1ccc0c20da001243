package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard/channel/teams/teamssim"

	"switchboard/internal/simkit"
)

// Teams customers: a simulated Teams per bot (its own token issuer, signing
// keys and Bot Connector, which the channel's openid_metadata_url and
// token_url point at), each customer a user in a personal chat with the
// bot, pressing its hero cards' buttons. The Bot Connector posts an
// activity once and never again: what nobody answers shows "Failed to
// send" and the user retries it (untilSent); a run whose kill leaves no
// instance up has no Teams customers (GivesUp), as they would retry until
// it is back.
func init() {
	registerChannel(channelType{Name: "teams", GivesUp: true, Start: func(n int, seed uint64) (channelSim, error) {
		s := teamssim.New(teamssim.Config{AppID: fmt.Sprintf("b0700000-0000-4000-8000-0000000001%02d", n), AppPassword: fmt.Sprintf("harness-teams-password-%d", n)})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return teamsSim{s}, nil
	}})
}

type teamsSim struct{ s *teamssim.Sim }

func (t teamsSim) Settings() map[string]any {
	out := map[string]any{}
	for k, v := range t.s.Settings() {
		out[k] = v
	}
	return out
}

// Subscribe sets the bot's messaging endpoint (Azure Bot > Configuration).
func (t teamsSim) Subscribe(_ context.Context, webhook string) error {
	t.s.SetEndpoint(webhook)
	return nil
}

// UserID is the personal chat's conversation id, as Teams names them.
func (t teamsSim) UserID(n int) string { return fmt.Sprintf("a:1harness%07d", n) }

// Client is the conversation: switchboard's client of a personal chat.
func (t teamsSim) Client(user string) string { return t.chat(user) }

// chat is the user's personal chat with the bot, made on first use (the
// app installed for them).
func (t teamsSim) chat(user string) string { return t.s.AddUser("Harness "+user, user) }

func (t teamsSim) Write(ctx context.Context, user, text string) error {
	id, err := t.s.UserText(t.chat(user), text)
	if err != nil {
		return err
	}
	return t.untilSent(ctx, id)
}

func (t teamsSim) Press(ctx context.Context, user, title string) error {
	id, err := t.s.UserPress(t.chat(user), title)
	if err != nil {
		return err
	}
	return t.untilSent(ctx, id)
}

// untilSent waits for the bot's answer to the user's activity. The Bot
// Connector posts an activity once; when the bot does not answer it 2xx
// (an instance killed mid-request), Teams marks the message "Failed to
// send" and the user presses Retry, which posts it again with its id
// (the bot drops it when the first post was recorded after all).
func (t teamsSim) untilSent(ctx context.Context, id string) error {
	for {
		status, err := t.s.Answer(ctx, id)
		if err != nil {
			return err
		}
		if status >= 200 && status < 300 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second): // the user notices, and retries
		}
		if err := t.s.Replay(id); err != nil {
			return err
		}
	}
}

// Received reads each bot message as the chat shows it: its text, then
// its cards' titles and texts, and the cards' buttons.
func (t teamsSim) Received(user string) []platformMsg {
	c, ok := t.s.Conversation(t.chat(user))
	if !ok {
		return nil
	}
	var out []platformMsg
	for _, m := range c.Messages {
		if !m.FromBot {
			continue
		}
		parts := []string{m.Text}
		var buttons []string
		for _, card := range m.Cards {
			parts = append(parts, card.Title, card.Text)
			for _, b := range card.Buttons {
				buttons = append(buttons, b.Title)
			}
		}
		if text := strings.TrimSpace(strings.Join(parts, "\n")); text != "" || len(buttons) > 0 {
			out = append(out, platformMsg{Text: text, Buttons: buttons})
		}
	}
	return out
}

func (t teamsSim) SetOutage(on bool) { t.s.SetOutage(on) }

func (t teamsSim) Chaos() { t.s.SetChaos(chaos(false)) }

func (t teamsSim) Deliveries() []simkit.Delivery { return t.s.Deliveries() }

func (t teamsSim) Close() { t.s.Close() }
