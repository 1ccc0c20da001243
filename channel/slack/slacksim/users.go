package slacksim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"switchboard/internal/simkit"
)

// Post is a person's message: in their DM when Channel is empty, else in
// the channel, in the thread of ThreadTS when set.
type Post struct {
	User, Channel, ThreadTS, Text string
}

// Posted is what a person's message made: its ts and the event's id.
type Posted struct {
	TS, EventID string
}

// UserText is a person writing text to the app in their DM.
func (s *Sim) UserText(user, text string) (Posted, error) {
	return s.UserPost(Post{User: user, Text: text})
}

// UserPost is a person writing a message; the app gets it as a message
// event when the bot is in the conversation.
func (s *Sim) UserPost(p Post) (Posted, error) {
	return s.post(p, nil)
}

// UserFile is a person sharing a file (with text, or none) in their DM: a
// message event of subtype file_share whose file downloads from its
// url_private with the bot token.
func (s *Sim) UserFile(user, name, mimetype string, data []byte, text string) (Posted, error) {
	s.mu.Lock()
	f := &storedFile{ID: fmt.Sprintf("F%08d", s.ids.Next("file")), Name: name, Mimetype: mimetype, Data: data}
	s.files[f.ID] = f
	s.mu.Unlock()
	return s.post(Post{User: user, Text: text}, f)
}

// post records a person's message and tells the app.
func (s *Sim) post(p Post, f *storedFile) (Posted, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[p.User]
	if !ok {
		return Posted{}, fmt.Errorf("slack simulator: no user %s (AddUser first)", p.User)
	}
	c, ok := s.convs[p.Channel]
	if p.Channel == "" {
		c, ok = s.convs[u.DM]
	}
	if !ok {
		return Posted{}, fmt.Errorf("slack simulator: no channel %s", p.Channel)
	}
	if strings.TrimSpace(p.Text) == "" && f == nil {
		return Posted{}, fmt.Errorf("slack simulator: write something")
	}
	m := Message{TS: s.nextTS(), ThreadTS: p.ThreadTS, User: u.ID, Text: p.Text}
	ev := map[string]any{"type": "message", "channel": c.ID, "channel_type": channelType(c), "user": u.ID, "text": p.Text,
		"ts": m.TS, "event_ts": m.TS, "team": TeamID, "client_msg_id": fmt.Sprintf("sim-%s", m.TS)}
	if p.ThreadTS != "" {
		ev["thread_ts"] = p.ThreadTS
	}
	if f != nil {
		m.Files = []string{f.ID}
		ev["subtype"], ev["files"] = "file_share", []any{s.fileJSON(f)}
		ev["upload"] = true
	}
	c.Messages = append(c.Messages, m)
	out := Posted{TS: m.TS}
	if c.Member {
		out.EventID = s.event(ev)
	}
	s.notify()
	return out, nil
}

// written finds a person's message in a conversation. s.mu is held.
func (s *Sim) written(user, channel, ts string) (*Conversation, int, error) {
	c, ok := s.convs[channel]
	if !ok {
		return nil, 0, fmt.Errorf("slack simulator: no channel %s", channel)
	}
	i := slices.IndexFunc(c.Messages, func(m Message) bool { return m.TS == ts && m.User == user })
	if i < 0 {
		return nil, 0, fmt.Errorf("slack simulator: %s wrote no message %s in %s", user, ts, channel)
	}
	return c, i, nil
}

// UserEdit is a person editing their message: a message_changed event,
// which an app must not take for a new message.
func (s *Sim) UserEdit(user, channel, ts, text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, i, err := s.written(user, channel, ts)
	if err != nil {
		return "", err
	}
	prev := c.Messages[i]
	c.Messages[i].Text, c.Messages[i].Edited = text, true
	now := s.nextTS()
	id := s.event(map[string]any{"type": "message", "subtype": "message_changed", "channel": c.ID, "channel_type": channelType(c), "hidden": true, "ts": now, "event_ts": now,
		"message":          map[string]any{"type": "message", "user": user, "text": text, "ts": ts, "edited": map[string]any{"user": user, "ts": now}},
		"previous_message": map[string]any{"type": "message", "user": user, "text": prev.Text, "ts": ts}})
	s.notify()
	return id, nil
}

// UserPress is a person pressing a button of the bot's message (by its
// value, or its text when no value matches): a block_actions payload,
// posted once to the interactivity URL.
func (s *Sim) UserPress(user, channel, ts, button string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[user]
	c, cok := s.convs[channel]
	if !ok || !cok {
		return fmt.Errorf("slack simulator: no user %s or channel %s", user, channel)
	}
	i := slices.IndexFunc(c.Messages, func(m Message) bool { return m.TS == ts && m.Bot })
	if i < 0 {
		return fmt.Errorf("slack simulator: the bot posted no message %s in %s", ts, channel)
	}
	m := &c.Messages[i]
	j := slices.IndexFunc(m.Buttons, func(b Button) bool { return b.Value == button })
	if j < 0 {
		j = slices.IndexFunc(m.Buttons, func(b Button) bool { return b.Text == button })
	}
	if j < 0 {
		return fmt.Errorf("slack simulator: the message %s has no button %q", ts, button)
	}
	if s.actionsURL == "" {
		return fmt.Errorf("slack simulator: no interactivity request URL is set: the button shows an error")
	}
	b := m.Buttons[j]
	m.Pressed = append(m.Pressed, b.Value)
	now := s.nextTS()
	container := map[string]any{"type": "message", "message_ts": m.TS, "channel_id": c.ID, "is_ephemeral": false}
	msg := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "text": m.Text, "ts": m.TS, "blocks": m.Blocks}
	if m.ThreadTS != "" {
		container["thread_ts"], msg["thread_ts"] = m.ThreadTS, m.ThreadTS
	}
	chName := c.Name
	if c.IM {
		chName = "directmessage"
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": TeamID}, "api_app_id": AppID,
		"token": "simulatedverificationtoken", "container": container, "trigger_id": fmt.Sprintf("%s.%s.sim", now, u.ID),
		"team": map[string]any{"id": TeamID, "domain": "simulated"}, "channel": map[string]any{"id": c.ID, "name": chName},
		"response_url": s.URL() + "/actions/" + c.ID + "/" + m.TS, "message": msg,
		"actions": []map[string]any{{"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value, "action_ts": now,
			"text": map[string]any{"type": "plain_text", "text": b.Text, "emoji": true}}},
	})
	body := []byte(url.Values{"payload": {string(payload)}}.Encode())
	target := s.actionsURL
	s.inflight++
	s.hooks.Enqueue(simkit.Hook{EventID: "action:" + now, EventType: "block_actions", ObjectID: c.ID, URL: target, Tag: hookTag{},
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			return s.request(ctx, target, "application/x-www-form-urlencoded", body, 0, "")
		}})
	s.notify()
	return nil
}

// serveResponseURL answers a press's response_url (/actions/<channel>/<ts>):
// JSON with text and blocks replaces the message (replace_original) or
// posts a new one beside it, as the bot.
func (s *Sim) serveResponseURL(w http.ResponseWriter, r *http.Request, path string) {
	channel, ts, _ := strings.Cut(path, "/")
	var in struct {
		Text            string           `json:"text"`
		Blocks          []map[string]any `json:"blocks"`
		ReplaceOriginal bool             `json:"replace_original"`
	}
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, maxArgs)).Decode(&in) != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	m := Message{User: BotUserID, Bot: true, Text: in.Text, Blocks: in.Blocks}
	if f := checkBlocks(in.Blocks, &m); f != nil {
		http.Error(w, f.err, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[channel]
	i := -1
	if ok {
		i = slices.IndexFunc(c.Messages, func(m Message) bool { return m.TS == ts && m.Bot })
	}
	if i < 0 {
		http.Error(w, "expired_url", http.StatusNotFound)
		return
	}
	if in.ReplaceOriginal {
		old := &c.Messages[i]
		old.Text, old.Blocks, old.Buttons, old.Images = m.Text, m.Blocks, m.Buttons, m.Images
	} else {
		m.TS, m.ThreadTS = s.nextTS(), c.Messages[i].ThreadTS
		c.Messages = append(c.Messages, m)
	}
	s.notify()
	_, _ = w.Write([]byte("ok"))
}

// UserDelete is a person deleting their message: a message_deleted event.
func (s *Sim) UserDelete(user, channel, ts string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, i, err := s.written(user, channel, ts)
	if err != nil {
		return "", err
	}
	prev := c.Messages[i]
	c.Messages = slices.Delete(c.Messages, i, i+1)
	now := s.nextTS()
	id := s.event(map[string]any{"type": "message", "subtype": "message_deleted", "channel": c.ID, "channel_type": channelType(c), "hidden": true, "ts": now, "event_ts": now,
		"deleted_ts": ts, "previous_message": map[string]any{"type": "message", "user": user, "text": prev.Text, "ts": ts}})
	s.notify()
	return id, nil
}

// AppRateLimited sends what Slack sends an app past 30,000 events an hour
// in a workspace: an app_rate_limited delivery (not an event_callback).
func (s *Sim) AppRateLimited() {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("Ev%010d", s.ids.Next("event"))
	body, _ := json.Marshal(map[string]any{"token": "simulatedverificationtoken", "type": "app_rate_limited", "team_id": TeamID,
		"minute_rate_limited": s.cfg.Now().Unix() / 60 * 60, "api_app_id": AppID})
	s.events[id] = body
	if s.eventsURL != "" {
		s.enqueue(hookTag{eventID: id, attempt: 1}, "")
	}
	s.notify()
}
