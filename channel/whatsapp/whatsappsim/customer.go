package whatsappsim

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CustomerText is the customer waID (profile name) writing text to the
// business; it returns the message's wamid. The customer service window
// opens for 24 hours.
func (s *Sim) CustomerText(ctx context.Context, waID, name, text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("whatsapp simulator: a customer's text may not be empty")
	}
	return s.inbound(waID, name, &Inbound{Type: "text", Text: text}, map[string]any{"text": map[string]any{"body": text}})
}

// CustomerPress is the customer tapping the reply button or list row
// replyID of the last interactive message sent to them: a button_reply or
// list_reply answering it (with its context). When that message is a
// template with quick reply buttons, replyID is a button's payload and the
// tap is a "button" message, as Meta posts it.
func (s *Sim) CustomerPress(ctx context.Context, waID, name, replyID string) (string, error) {
	s.mu.Lock()
	var last *Sent
	if c := s.customers[waID]; c != nil {
		for _, e := range slices.Backward(c.log) {
			if e.Out != nil && e.Out.Status != StatusFailed && e.Out.Type != "reaction" && (len(e.Out.ListRows) > 0 || len(e.Out.Buttons) > 0 && e.Out.URL == "") {
				last = e.Out
				break
			}
		}
	}
	s.mu.Unlock()
	if last == nil {
		return "", fmt.Errorf("whatsapp simulator: no reply buttons, list or quick replies were sent to %s", waID)
	}
	opts := append(slices.Clone(last.Buttons), last.ListRows...)
	i := slices.IndexFunc(opts, func(o Option) bool { return o.ID == replyID })
	if i < 0 {
		var ids []string
		for _, o := range opts {
			ids = append(ids, o.ID)
		}
		return "", fmt.Errorf("whatsapp simulator: the last interactive message to %s (%s) has no option %q: it has %s", waID, last.ID, replyID, strings.Join(ids, ", "))
	}
	o := opts[i]
	quote := map[string]any{"from": s.cfg.DisplayPhoneNumber, "id": last.ID}
	if last.Type == "template" {
		in := &Inbound{Type: "button", Text: o.Title, Reply: &o, Context: last.ID}
		return s.inbound(waID, name, in, map[string]any{"context": quote, "button": map[string]any{"payload": o.ID, "text": o.Title}})
	}
	kind := "button_reply"
	if last.Interactive == "list" {
		kind = "list_reply"
	}
	reply := map[string]any{"id": o.ID, "title": o.Title}
	if kind == "list_reply" && o.Description != "" {
		reply["description"] = o.Description
	}
	in := &Inbound{Type: "interactive", Text: o.Title, Reply: &o, Context: last.ID}
	return s.inbound(waID, name, in, map[string]any{"context": quote, "interactive": map[string]any{"type": kind, kind: reply}})
}

// CustomerReaction is the customer reacting to a message with emoji (""
// removes the reaction).
func (s *Sim) CustomerReaction(ctx context.Context, waID, name, messageID, emoji string) (string, error) {
	in := &Inbound{Type: "reaction", Text: emoji, Context: messageID}
	return s.inbound(waID, name, in, map[string]any{"reaction": map[string]any{"message_id": messageID, "emoji": emoji}})
}

// CustomerUnsupported is the customer sending something the Cloud API
// cannot pass on (a poll, a view-once photo): an "unsupported" message
// with error 131051.
func (s *Sim) CustomerUnsupported(ctx context.Context, waID, name string) (string, error) {
	in := &Inbound{Type: "unsupported"}
	return s.inbound(waID, name, in, map[string]any{"errors": []map[string]any{{"code": 131051, "title": "Message type unknown",
		"message": "Message type unknown", "error_data": map[string]any{"details": "Message type is currently not supported."}}}})
}

// CustomerMedia is the customer sending a file: an image, video or audio
// by its type, else a document; the webhook carries a media id the
// business downloads with GET /{media-id}.
func (s *Sim) CustomerMedia(ctx context.Context, waID, name, mimeType string, data []byte, caption string) (string, error) {
	kind := mediaKind(mimeType)
	if _, err := checkUpload(kind, mimeType, len(data)); err != nil {
		return "", fmt.Errorf("whatsapp simulator: the customer's file: %w", err)
	}
	sum := sha256.Sum256(data)
	s.mu.Lock()
	md := s.store(mimeType, data)
	s.mu.Unlock()
	obj := map[string]any{"id": md.id, "mime_type": mimeType, "sha256": base64.StdEncoding.EncodeToString(sum[:])}
	if caption != "" && kind != "audio" {
		obj["caption"] = caption
	}
	if kind == "document" {
		obj["filename"] = "file" + extension(mimeType)
	}
	if kind == "audio" && strings.HasPrefix(mimeType, "audio/ogg") {
		obj["voice"] = true
	}
	in := &Inbound{Type: kind, Text: caption, Media: &Media{ID: md.id, MimeType: mimeType, Caption: caption, Data: data}}
	return s.inbound(waID, name, in, map[string]any{kind: obj})
}

// CustomerLocation is the customer sharing a location.
func (s *Sim) CustomerLocation(ctx context.Context, waID, name string, lat, lng float64) (string, error) {
	if lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		return "", fmt.Errorf("whatsapp simulator: latitude %v, longitude %v is not a place on Earth", lat, lng)
	}
	in := &Inbound{Type: "location", Latitude: lat, Longitude: lng}
	return s.inbound(waID, name, in, map[string]any{"location": map[string]any{"latitude": lat, "longitude": lng}})
}

// inbound records a customer's message, opens their window and posts it;
// payload is the message's type-specific part.
func (s *Sim) inbound(waID, name string, in *Inbound, payload map[string]any) (string, error) {
	id, ok := normalizePhone(waID)
	if !ok || id != waID {
		return "", fmt.Errorf("whatsapp simulator: %q is not a wa_id (6 to 15 digits, no +)", waID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c := s.customer(waID, name)
	if c.name == "" {
		c.name = waID
	}
	in.ID, in.From, in.Time = wamid(), waID, now
	c.lastInbound = now
	c.log = append(c.log, Entry{In: in})
	s.notify()
	msg := map[string]any{"from": waID, "id": in.ID, "timestamp": unix(now), "type": in.Type}
	for k, v := range payload {
		msg[k] = v
	}
	contact := &contactJSON{WaID: waID}
	contact.Profile.Name = c.name
	if s.webhook == "" {
		return in.ID, ErrNoWebhook
	}
	s.emit(event{contact: contact, message: msg})
	return in.ID, nil
}

// Outbound returns the messages accepted for waID, oldest first (refused
// ones are in Refused).
func (s *Sim) Outbound(waID string) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	if c := s.customers[waID]; c != nil {
		for _, e := range c.log {
			if e.Out != nil {
				out = append(out, copySent(e.Out))
			}
		}
	}
	return out
}

// WaitOutbound waits until at least n messages were accepted for waID and
// returns them all, or fails when ctx ends (saying how many came).
func (s *Sim) WaitOutbound(ctx context.Context, waID string, n int) ([]Sent, error) {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if out := s.Outbound(waID); len(out) >= n {
			return out, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			out := s.Outbound(waID)
			return out, fmt.Errorf("whatsapp simulator: %d of %d messages to %s came: %w", len(out), n, waID, ctx.Err())
		}
	}
}

// WaitStatus waits until the message id reached status (or a later one)
// and returns it.
func (s *Sim) WaitStatus(ctx context.Context, id, status string) (Sent, error) {
	for {
		s.mu.Lock()
		changed := s.changed
		m, ok := s.sentByID(id)
		s.mu.Unlock()
		if ok && statusRank[m.Status] >= statusRank[status] {
			return m, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return m, fmt.Errorf("whatsapp simulator: message %s is %q, not %q: %w", id, m.Status, status, ctx.Err())
		}
	}
}

// sentByID finds a sent message. The caller holds s.mu.
func (s *Sim) sentByID(id string) (Sent, bool) {
	for _, c := range s.customers {
		for _, e := range c.log {
			if e.Out != nil && e.Out.ID == id {
				return copySent(e.Out), true
			}
		}
	}
	return Sent{}, false
}

// Refused returns the send requests the API refused, oldest first, each
// with its Error.
func (s *Sim) Refused() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.refused)
}

// Conversations returns every customer's conversation, first contact
// first.
func (s *Sim) Conversations() []Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Conversation{}
	now := s.now()
	for _, waID := range s.order {
		c := s.customers[waID]
		cv := Conversation{WaID: c.waID, Name: c.name, WindowOpen: s.windowOpen(c), Typing: now.Before(c.typingUntil), Entries: []Entry{}}
		for _, e := range c.log {
			if e.In != nil {
				in := *e.In
				cv.Entries = append(cv.Entries, Entry{In: &in})
			} else {
				out := copySent(e.Out)
				cv.Entries = append(cv.Entries, Entry{Out: &out})
			}
		}
		out = append(out, cv)
	}
	return out
}

// copySent copies a message so that callers do not share its fields.
func copySent(m *Sent) Sent {
	c := *m
	if m.Error != nil {
		e := *m.Error
		c.Error = &e
	}
	return c
}

// typingFor is how long the typing indicator shows at most.
const typingFor = 25 * time.Second
