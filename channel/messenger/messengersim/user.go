package messengersim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// cdnPrefix starts the URLs of the files users sent (Meta's CDN).
const cdnPrefix = "_cdn/"

// arrive records what a user sent, opens their window and posts it. The
// caller holds s.mu.
func (s *Sim) arrive(u *user, m *Message, ev map[string]any) error {
	m.ID, m.From, m.At = mid(), "user", s.now()
	u.lastInbound = m.At
	u.messages = append(u.messages, m)
	s.notify()
	if msg, ok := ev["message"].(map[string]any); ok {
		msg["mid"] = m.ID
	}
	if pb, ok := ev["postback"].(map[string]any); ok {
		pb["mid"] = m.ID
	}
	if s.webhook == "" {
		return ErrNoWebhook
	}
	s.emit(u, ev, false)
	return nil
}

// UserText is user (named name) writing text; it returns the message's
// mid.
func (s *Sim) UserText(userID, name, text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Message{Kind: "text", Text: text}
	err := s.arrive(s.user(userID, name), m, map[string]any{"message": map[string]any{"text": text}})
	return m.ID, err
}

// UserTap is user tapping the quick reply or the postback button that
// carries payload, in the last message the app sent that has it: a quick
// reply comes as a message with its title as text, a button as a
// postback.
func (s *Sim) UserTap(userID, payload string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[userID]
	if u == nil {
		return "", fmt.Errorf("%s: no user %s", s.cfg.name(), userID)
	}
	for i := len(u.messages) - 1; i >= 0; i-- {
		sent := u.messages[i]
		if sent.From != "app" {
			continue
		}
		for _, q := range sent.QuickReplies {
			if q.Payload == payload {
				m := &Message{Kind: "quick_reply", Text: q.Title, Payload: payload}
				err := s.arrive(u, m, map[string]any{"message": map[string]any{"text": q.Title, "quick_reply": map[string]any{"payload": payload}}})
				return m.ID, err
			}
		}
		buttons := append([]Choice(nil), sent.Buttons...)
		for _, e := range sent.Elements {
			buttons = append(buttons, e.Buttons...)
		}
		for _, b := range buttons {
			if b.Payload == payload {
				m := &Message{Kind: "postback", Text: b.Title, Payload: payload}
				err := s.arrive(u, m, map[string]any{"postback": map[string]any{"title": b.Title, "payload": payload}})
				return m.ID, err
			}
		}
	}
	return "", fmt.Errorf("%s: %s was offered no quick reply or button with payload %q", s.cfg.name(), userID, payload)
}

// UserFile is user sending a file (image, video, audio or file by its
// MIME type).
func (s *Sim) UserFile(userID, name, mimeType string, data []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kind := "file"
	for _, k := range []string{"image", "video", "audio"} {
		if strings.HasPrefix(mimeType, k+"/") {
			kind = k
		}
	}
	key := mid()
	s.files[key] = file{mimeType: mimeType, data: data}
	link := s.URL() + "/" + cdnPrefix + key
	m := &Message{Kind: kind, URL: link}
	err := s.arrive(s.user(userID, name), m, map[string]any{"message": map[string]any{"attachments": []any{map[string]any{"type": kind, "payload": map[string]any{"url": link}}}}})
	return m.ID, err
}

// InboxTake is a person taking user's thread in Meta's inbox: the app
// hears of it (take_thread_control), and the user's next events go to it
// in standby.
func (s *Sim) InboxTake(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handover(s.user(userID, ""), s.cfg.inbox(), "taken in the inbox", false)
}

// InboxReply is a person answering user from Meta's inbox: the app gets
// the echo, with the inbox's app id.
func (s *Sim) InboxReply(userID, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.user(userID, "")
	m := &Message{ID: mid(), From: "inbox", At: s.now(), Kind: "text", Text: text}
	u.messages = append(u.messages, m)
	s.notify()
	s.emit(u, map[string]any{"message": map[string]any{"is_echo": true, "app_id": s.cfg.inbox(), "mid": m.ID, "text": text}}, false)
}

// InboxDone is the person in Meta's inbox marking the thread done: it is
// passed back to the app (pass_thread_control).
func (s *Sim) InboxDone(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handover(s.user(userID, ""), s.cfg.AppID, "done in the inbox", false)
}

// serveAttachments answers GET /{mid}?fields=attachments for a user's
// message.
func (s *Sim) serveAttachments(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		for _, m := range u.messages {
			if m.ID != id {
				continue
			}
			var data []any
			if m.URL != "" && m.From == "user" {
				key := strings.TrimPrefix(m.URL, s.URL()+"/"+cdnPrefix)
				a := map[string]any{"id": strconv.Itoa(len(key)), "mime_type": s.files[key].mimeType, "name": m.Kind}
				if m.Kind == "image" {
					a["image_data"] = map[string]any{"url": m.URL}
				} else if m.Kind == "video" {
					a["video_data"] = map[string]any{"url": m.URL}
				} else {
					a["file_url"] = m.URL
				}
				data = append(data, a)
			}
			writeJSON(w, http.StatusOK, map[string]any{"id": m.ID, "attachments": map[string]any{"data": data}})
			return
		}
	}
	errNoObject(id).write(w)
}

// serveFile serves a file a user sent, as Meta's CDN does: no token.
func (s *Sim) serveFile(w http.ResponseWriter, key string) {
	s.mu.Lock()
	f, ok := s.files[key]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", f.mimeType)
	_, _ = w.Write(f.data)
}

// UserReact is user reacting to a message (reaction, with the emoji).
func (s *Sim) UserReact(userID, messageID, emoji string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit(s.user(userID, ""), map[string]any{"reaction": map[string]any{"mid": messageID, "action": "react", "reaction": "other", "emoji": emoji}}, false)
}

// UserEdit is user editing a message they sent (message_edit).
func (s *Sim) UserEdit(userID, messageID, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit(s.user(userID, ""), map[string]any{"message_edit": map[string]any{"mid": messageID, "text": text, "num_edit": 1}}, false)
}

// UserUnsend is user unsending a message (Instagram: is_deleted).
func (s *Sim) UserUnsend(userID, messageID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit(s.user(userID, ""), map[string]any{"message": map[string]any{"mid": messageID, "is_deleted": true}}, false)
}
