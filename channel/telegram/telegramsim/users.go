package telegramsim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"switchboard/internal/simkit"
)

// UserStart makes a user who opened the bot and pressed Start (the
// "/start" message): the chat's id, which is the user's.
func (s *Sim) UserStart(firstName, username string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c := &Chat{ID: s.nextID, FirstName: firstName, Username: username}
	s.chats[c.ID] = c
	s.order = append(s.order, c.ID)
	s.userMessage(c, Message{Text: "/start"})
	return c.ID
}

// AddUser makes a user with the given id who pressed Start earlier (no
// update now), if there is none: for tests that name their users.
func (s *Sim) AddUser(id int64, firstName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chats[id] == nil {
		s.chats[id] = &Chat{ID: id, FirstName: firstName}
		s.order = append(s.order, id)
		s.notify()
	}
}

// userMessage adds a user's message and makes its update. The caller
// holds s.mu.
func (s *Sim) userMessage(c *Chat, m Message) (int64, int64) {
	c.lastID++
	m.ID, m.Date = c.lastID, s.cfg.Now()
	c.Messages = append(c.Messages, m)
	obj := s.jsonMessage(c, m)
	switch m.Media {
	case "photo":
		f := s.files[m.File]
		obj["photo"] = []map[string]any{
			{"file_id": m.File + "-s", "file_unique_id": "s" + m.File, "width": 90, "height": 90},
			{"file_id": m.File, "file_unique_id": "u" + m.File, "width": 800, "height": 800, "file_size": len(f.Data)},
		}
	case "document", "voice", "audio", "video":
		f := s.files[m.File]
		obj[m.Media] = map[string]any{"file_id": f.ID, "file_unique_id": "u" + f.ID, "file_name": f.Name, "mime_type": f.MimeType, "file_size": len(f.Data)}
	}
	s.notify()
	return m.ID, s.newUpdate("message", obj)
}

// chat finds a chat. The caller holds s.mu.
func (s *Sim) chat(id int64) (*Chat, error) {
	c := s.chats[id]
	if c == nil {
		return nil, fmt.Errorf("telegram simulator: no chat %d (UserStart makes one)", id)
	}
	return c, nil
}

// UserText sends a user's text; it returns the update's id.
func (s *Sim) UserText(chatID int64, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return 0, err
	}
	_, up := s.userMessage(c, Message{Text: text})
	return up, nil
}

// UserLocation shares a place as a user.
func (s *Sim) UserLocation(chatID int64, latitude, longitude float64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return 0, err
	}
	_, up := s.userMessage(c, Message{Location: &[2]float64{latitude, longitude}})
	return up, nil
}

// UserEdit edits a user's message: an edited_message update with the same
// message_id.
func (s *Sim) UserEdit(chatID, messageID int64, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return 0, err
	}
	for i, m := range c.Messages {
		if m.ID == messageID && !m.FromBot {
			c.Messages[i].Text, c.Messages[i].Edited = text, s.cfg.Now()
			s.notify()
			return s.newUpdate("edited_message", s.jsonMessage(c, c.Messages[i])), nil
		}
	}
	return 0, fmt.Errorf("telegram simulator: no message %d of the user in chat %d", messageID, chatID)
}

// UserFile sends a file as a user: a photo (media "photo") or a document,
// voice, audio or video; getFile and the download serve it.
func (s *Sim) UserFile(chatID int64, media, name, mimeType string, data []byte, caption string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return 0, err
	}
	id := "AgAC" + randomHex(12)
	path := map[string]string{"photo": "photos"}[media]
	if path == "" {
		path = media + "s"
	}
	path += "/file_" + strconv.Itoa(len(s.files)) + "_" + name
	s.files[id] = &storedFile{ID: id, Path: path, MimeType: mimeType, Name: name, Data: data}
	s.paths[path] = id
	_, up := s.userMessage(c, Message{Media: media, File: id, Caption: caption})
	return up, nil
}

// UserPress presses the inline button with the text on the bot's latest
// message that shows it; it returns the callback query's id, which stays
// unanswered until the bot answers it.
func (s *Sim) UserPress(chatID int64, buttonText string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return "", err
	}
	if id, ok := s.pressWhere(c, func(b Button) bool { return b.Text == buttonText }); ok {
		return id, nil
	}
	return "", fmt.Errorf("telegram simulator: no button %q in chat %d", buttonText, chatID)
}

// UserPressData presses the button whose callback_data is data, on the
// bot's latest message that shows it.
func (s *Sim) UserPressData(chatID int64, data string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return "", err
	}
	if id, ok := s.pressWhere(c, func(b Button) bool { return b.CallbackData == data }); ok {
		return id, nil
	}
	return "", fmt.Errorf("telegram simulator: no button with callback_data %q in chat %d", data, chatID)
}

// pressWhere presses the first button that matches on the bot's latest
// message that has one. The caller holds s.mu.
func (s *Sim) pressWhere(c *Chat, match func(Button) bool) (string, bool) {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		m := c.Messages[i]
		for _, row := range m.Keyboard {
			for _, b := range row {
				if b.CallbackData != "" && match(b) {
					return s.press(c, m, b.CallbackData), true
				}
			}
		}
	}
	return "", false
}

// press makes the callback query of a button. The caller holds s.mu.
func (s *Sim) press(c *Chat, m Message, data string) string {
	cb := &Callback{ID: strconv.FormatInt(c.ID, 10) + randomHex(6), ChatID: c.ID, MessageID: m.ID, Data: data, At: s.cfg.Now()}
	s.callbacks[cb.ID] = cb
	s.newUpdate("callback_query", map[string]any{
		"id": cb.ID, "from": c.jsonUser(), "message": s.jsonMessage(c, m), "chat_instance": strconv.FormatInt(c.ID*7919, 10), "data": data,
	})
	s.notify()
	return cb.ID
}

// Block blocks or unblocks the bot for a user: a my_chat_member update
// says so (the bot's status kicked, or member again).
func (s *Sim) Block(chatID int64, blocked bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return err
	}
	if c.Blocked == blocked {
		return nil
	}
	c.Blocked = blocked
	old, now := "member", "kicked"
	if !blocked {
		old, now = now, old
	}
	bot, _ := s.getMe(nil)
	s.newUpdate("my_chat_member", map[string]any{
		"chat": c.jsonChat(), "from": c.jsonUser(), "date": s.cfg.Now().Unix(),
		"old_chat_member": map[string]any{"user": bot, "status": old}, "new_chat_member": map[string]any{"user": bot, "status": now},
	})
	s.notify()
	return nil
}

// Chat is a copy of a chat.
func (s *Sim) Chat(chatID int64) (Chat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chat(chatID)
	if err != nil {
		return Chat{}, err
	}
	out := *c
	out.Messages = slices.Clone(c.Messages)
	return out, nil
}

// Callback is a copy of a press.
func (s *Sim) Callback(id string) (Callback, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[id]
	if cb == nil {
		return Callback{}, false
	}
	return *cb, true
}

// Callbacks are copies of every press, answered or not.
func (s *Sim) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Callback, 0, len(s.callbacks))
	for _, cb := range s.callbacks {
		out = append(out, *cb)
	}
	return out
}

// WebhookInfo is getWebhookInfo's result.
func (s *Sim) WebhookInfo() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookInfo()
}

// Wait waits until cond, checked at every change, holds.
func (s *Sim) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitDeliveries waits until every update handed to the webhook was
// delivered or given up.
func (s *Sim) WaitDeliveries(ctx context.Context) error {
	if err := s.serial.WaitDeliveries(ctx); err != nil {
		return err
	}
	return s.parallel.WaitDeliveries(ctx)
}

// Deliveries returns every webhook call made so far: the in-order ones
// (max_connections 1), then the parallel ones.
func (s *Sim) Deliveries() []simkit.Delivery {
	return append(s.serial.Deliveries(), s.parallel.Deliveries()...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
