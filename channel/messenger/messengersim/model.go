package messengersim

import (
	"context"
	"time"
)

// user is a person writing to the page (a PSID, or an IGSID).
type user struct {
	id, name string
	// lastInbound opens the 24-hour window (and the 7 days of the
	// HUMAN_AGENT tag).
	lastInbound time.Time
	blocked     bool
	// owner is the app owning the thread: "" when idle.
	owner    string
	messages []*Message
}

// Choice is a quick reply or a postback button.
type Choice struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// Element is a generic template's element.
type Element struct {
	Title    string   `json:"title"`
	Subtitle string   `json:"subtitle,omitempty"`
	ImageURL string   `json:"image_url,omitempty"`
	Buttons  []Choice `json:"buttons,omitempty"`
}

// Message is one message of a conversation, either way.
type Message struct {
	ID string `json:"id"`
	// From is "user", "app" (switchboard) or "inbox" (Meta's inbox).
	From string    `json:"from"`
	At   time.Time `json:"at"`
	// Kind is text, quick_replies, buttons, cards, image, video, audio,
	// file, postback (a user's tap) or quick_reply.
	Kind         string    `json:"kind"`
	Text         string    `json:"text,omitempty"`
	QuickReplies []Choice  `json:"quick_replies,omitempty"`
	Buttons      []Choice  `json:"buttons,omitempty"`
	Elements     []Element `json:"elements,omitempty"`
	URL          string    `json:"url,omitempty"`
	// Payload is what a user's tap carried.
	Payload string `json:"payload,omitempty"`
	// MessagingType and Tag are how the app sent it.
	MessagingType string `json:"messaging_type,omitempty"`
	Tag           string `json:"tag,omitempty"`
	// Delivered is set when the delivery receipt was posted.
	Delivered bool `json:"delivered,omitempty"`
}

// Refused is a request the Send API refused, for tests and the console.
type Refused struct {
	To      string `json:"to"`
	Code    int    `json:"code"`
	Subcode int    `json:"error_subcode,omitempty"`
	Message string `json:"message"`
}

// user returns the user of id, made on first contact with name. The
// caller holds s.mu.
func (s *Sim) user(id, name string) *user {
	u := s.users[id]
	if u == nil {
		u = &user{id: id, name: name}
		s.users[id] = u
		s.order = append(s.order, id)
	}
	if name != "" {
		u.name = name
	}
	return u
}

// Outbound returns what the app sent to user, oldest first.
func (s *Sim) Outbound(userID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outbound(userID)
}

func (s *Sim) outbound(userID string) []Message {
	var out []Message
	if u := s.users[userID]; u != nil {
		for _, m := range u.messages {
			if m.From == "app" {
				out = append(out, *m)
			}
		}
	}
	return out
}

// WaitOutbound waits until the app sent n messages to user, and returns
// them.
func (s *Sim) WaitOutbound(ctx context.Context, userID string, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		out, ch := s.outbound(userID), s.changed
		s.mu.Unlock()
		if len(out) >= n {
			return out, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
}

// RefusedSends returns the sends the API refused, oldest first.
func (s *Sim) RefusedSends() []Refused {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refused(nil), s.refused...)
}

// Owner is the app owning user's thread ("" when idle).
func (s *Sim) Owner(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[userID]; u != nil {
		return u.owner
	}
	return ""
}

// CloseWindow makes user's last message 25 hours old: the standard window
// closed, the HUMAN_AGENT tag's still open.
func (s *Sim) CloseWindow(userID string) { s.age(userID, 25*time.Hour) }

// Age makes user's last message d old.
func (s *Sim) Age(userID string, d time.Duration) { s.age(userID, d) }

func (s *Sim) age(userID string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user(userID, "").lastInbound = s.now().Add(-d)
}

// Block makes user block the page (or unblock it).
func (s *Sim) Block(userID string, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user(userID, "").blocked = blocked
}

// SetOutage answers every Graph API request 503, error code 2, while on
// (webhooks go on).
func (s *Sim) SetOutage(on bool) { s.faults.SetOutage(on) }

// SetRateLimit takes at most n sends a second (0: no limit); beyond it
// the API answers 613.
func (s *Sim) SetRateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sw.rateLimit = n
}

// SetBadSignatures signs the next deliveries with a wrong secret.
func (s *Sim) SetBadSignatures(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sw.badSignatures = on
}

// SetHumanAgent approves the app for the HUMAN_AGENT tag, or not.
func (s *Sim) SetHumanAgent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.HumanAgent = on
}
