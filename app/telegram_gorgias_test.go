package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"switchboard/channel/telegram/telegramsim"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestTelegramWithGorgias: Ada on Telegram, the agent on Gorgias (the
// simulator). Her messages reach the ticket under her Telegram name, the
// agent's reply reaches her chat, the sign-off shows the END button, and
// her tap gives her back to the bot.
func TestTelegramWithGorgias(t *testing.T) {
	gsim, err := gorgiassim.Start("", gorgiassim.Config{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gsim.Close() })
	s := startTelegramWith(t, gorgiasSettings(gsim), telegramsim.Config{})
	token, err := s.srv.app.Livechat.Token(context.Background(), "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gsim.AddIntegration(gorgiassim.HTTPHooks{URL: gorgias.ReceiveURL(s.srv.app.URL(), token), Triggers: map[string]bool{}}); err != nil {
		t.Fatal(err)
	}

	chat := s.sim.UserStart("Ada", "ada_l")
	s.botSays(chat, "put you in touch with a person")
	if _, err := s.sim.UserPress(chat, "Talk to a human"); err != nil {
		t.Fatal(err)
	}
	session := s.session()
	if _, err := s.sim.UserText(chat, "My order did not arrive"); err != nil {
		t.Fatal(err)
	}
	s.wait("Ada's message on the ticket", func() bool {
		tk, ok := gsim.TicketByExternalID(session.ID)
		return ok && slices.Contains(userTexts(tk), "My order did not arrive")
	})
	tk, _ := gsim.TicketByExternalID(session.ID)
	if tk.Customer.Name == nil || *tk.Customer.Name != "Ada" {
		t.Errorf("the Gorgias customer is %+v, want Ada's Telegram name", tk.Customer)
	}

	if _, err := gsim.Reply(tk.ID, "It ships today."); err != nil {
		t.Fatal(err)
	}
	if m := s.botSays(chat, "It ships today."); !strings.HasSuffix(m.Text, ":\nIt ships today.") {
		t.Errorf("the Gorgias reply came as %q, want the agent's name above", m.Text)
	}
	if _, err := gsim.Reply(tk.ID, "Anything else? "+"LIVECHAT_SESSION_END"); err != nil {
		t.Fatal(err)
	}
	end := s.botSays(chat, livechat.DefaultEndMessage)
	if len(end.Keyboard) != 1 || end.Keyboard[0][0].Text != livechat.DefaultEndButtonLabel {
		t.Fatalf("the end message's keyboard: %+v", end.Keyboard)
	}
	if _, err := s.sim.UserPress(chat, livechat.DefaultEndButtonLabel); err != nil {
		t.Fatal(err)
	}
	s.botSays(chat, "Thanks for chatting with us today!")
}
