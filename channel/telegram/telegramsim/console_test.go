package telegramsim_test

import (
	"testing"
	"time"

	"switchboard/channel/telegram/telegramsim"
	"switchboard/internal/browsertest"
)

// TestConsoleActsAsAUser uses the console as a person trying the channel
// would: start the bot as a user, see the bot's keyboard, press a button
// (it spins until the bot answers the press) and write.
func TestConsoleActsAsAUser(t *testing.T) {
	s := start(t, telegramsim.Config{})
	tab := browsertest.Tab(t, browsertest.Browser(t), time.Minute)
	browsertest.Navigate(t, tab, s.URL()+"/")
	browsertest.WaitJS(t, tab, "the bot's token", browsertest.TextHas("#bot", telegramsim.DefaultToken))

	browsertest.Type(t, tab, "#new-name", "Grace")
	browsertest.Click(t, tab, "#new-user button")
	browsertest.WaitJS(t, tab, "the user's chat", browsertest.Present("#chats [data-chat-id]"))
	browsertest.Click(t, tab, "#chats [data-chat-id]")
	browsertest.WaitJS(t, tab, "the /start message", browsertest.TextHas(".msg.user", "/start"))
	chat := int64(browsertest.Eval[float64](t, tab, `+document.querySelector("#chats [data-chat-id]").dataset.chatId`))

	kb := map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Opening hours", "callback_data": "HOURS"}}}}
	if _, a := call(t, s, token, "sendMessage", map[string]any{"chat_id": chat, "text": "How can I help?", "reply_markup": kb}); !a.OK {
		t.Fatal(a.Description)
	}
	browsertest.WaitJS(t, tab, "the bot's keyboard", browsertest.TextHas(".msg.bot .kb button", "Opening hours"))
	browsertest.Click(t, tab, ".msg.bot .kb button")
	browsertest.WaitJS(t, tab, "the spinner on the pressed button", browsertest.Present(".kb button.spin"))

	var id string
	c, _ := s.Chat(chat)
	for _, m := range c.Messages {
		if len(m.Keyboard) > 0 {
			id = findCallback(t, s, chat, m.ID)
		}
	}
	if _, a := call(t, s, token, "answerCallbackQuery", map[string]any{"callback_query_id": id}); !a.OK {
		t.Fatal(a.Description)
	}
	browsertest.WaitJS(t, tab, "the spinner to stop", browsertest.Absent(".kb button.spin"))

	browsertest.Type(t, tab, "#text", "Thanks!")
	browsertest.Click(t, tab, "#composer button")
	browsertest.WaitJS(t, tab, "the user's message", browsertest.TextHas(".msg.user:last-child", "Thanks!"))
	if _, a := call(t, s, token, "sendChatAction", map[string]any{"chat_id": chat, "action": "typing"}); !a.OK {
		t.Fatal(a.Description)
	}
	browsertest.WaitJS(t, tab, "the typing line", browsertest.TextHas("#typing", "bot is typing"))
	browsertest.Axe(t, tab)
}

// findCallback finds the press of a button on a message, made by the
// console.
func findCallback(t *testing.T, s *telegramsim.Sim, chat, message int64) string {
	t.Helper()
	for _, cb := range s.Callbacks() {
		if cb.ChatID == chat && cb.MessageID == message {
			return cb.ID
		}
	}
	t.Fatal("the console's press made no callback query")
	return ""
}
