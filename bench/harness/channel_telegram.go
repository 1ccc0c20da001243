package main

import (
	"context"
	"fmt"
	"strconv"

	"switchboard/channel/telegram/telegramsim"

	"switchboard/internal/simkit"
)

// Telegram customers: the Bot API simulator, one bot per harness bot
// (creating the channel sets its webhook), taking the balancer's http
// URL; a share of its updates delivered twice. Telegram delivers a bot's
// updates in order, so none are reordered. An update is tried 20 times
// (about 75 s with the backoff) before it is dropped: Telegram gives up
// "after a reasonable amount of attempts", longer than a kill lasts.
func init() {
	registerChannel(channelType{Name: "telegram", Start: func(n int, seed uint64) (channelSim, error) {
		s := telegramsim.New(telegramsim.Config{Token: fmt.Sprintf("70000001%02d:AAharnessTelegramBotToken", n), Username: fmt.Sprintf("harness_%d_bot", n),
			InsecureWebhooks: true, Attempts: 20, Seed: seed})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return telegramSim{s}, nil
	}})
}

type telegramSim struct{ s *telegramsim.Sim }

func (t telegramSim) Settings() map[string]any {
	return map[string]any{"bot_token": t.s.Config().Token, "api_base": t.s.URL()}
}

// Subscribe has nothing to do: creating the channel called setWebhook.
func (t telegramSim) Subscribe(context.Context, string) error { return nil }

func (t telegramSim) UserID(n int) string { return strconv.Itoa(100000 + n) }

func (t telegramSim) Client(user string) string { return user }

// chat is the user's chat, made on first use as a user who pressed
// Start earlier.
func (t telegramSim) chat(user string) int64 {
	id, _ := strconv.ParseInt(user, 10, 64)
	t.s.AddUser(id, "Harness "+user)
	return id
}

func (t telegramSim) Write(_ context.Context, user, text string) error {
	_, err := t.s.UserText(t.chat(user), text)
	return err
}

func (t telegramSim) Press(_ context.Context, user, title string) error {
	_, err := t.s.UserPress(t.chat(user), title)
	return err
}

func (t telegramSim) Received(user string) []platformMsg {
	c, err := t.s.Chat(t.chat(user))
	if err != nil {
		return nil
	}
	var out []platformMsg
	for _, m := range c.Messages {
		if !m.FromBot {
			continue
		}
		p := platformMsg{Text: m.Text + m.Caption}
		for _, row := range m.Keyboard {
			for _, b := range row {
				p.Buttons = append(p.Buttons, b.Text)
			}
		}
		out = append(out, p)
	}
	return out
}

func (t telegramSim) SetOutage(on bool) {
	sw := t.s.Switches()
	sw.Outage = on
	t.s.SetSwitches(sw)
}

func (t telegramSim) Chaos() {
	sw := t.s.Switches()
	sw.Duplicate = duplicateShare
	t.s.SetSwitches(sw)
}

func (t telegramSim) Deliveries() []simkit.Delivery { return t.s.Deliveries() }

func (t telegramSim) Close() { t.s.Close() }
