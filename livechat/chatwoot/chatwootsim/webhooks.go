package chatwootsim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"switchboard/internal/simkit"
)

// call is what the simulator keeps about a webhook call: which account
// and message (for marking it failed) and which event.
type call struct {
	account, conversation, message int64
	event                          string
}

// Delivery is what became of one webhook call, for tests and the console.
type Delivery = simkit.Delivery

// Chaos are the switches that make webhook deliveries misbehave the ways a
// real network may: repeated, out of order, late.
type Chaos = simkit.Chaos

// newDispatcher makes the inboxes' calls once each, as Chatwoot does (its
// webhook job has no retry); with DeliveryRetries, a failed call is made
// again with the same delivery id and a fresh signature, the way Chatwoot
// may add. A message whose call failed is marked failed.
func newDispatcher(s *Server) *simkit.Dispatcher {
	cfg := simkit.DispatcherConfig{Workers: s.cfg.DeliveryWorkers, Timeout: s.cfg.DeliveryTimeout, Seed: s.cfg.Seed, Done: s.delivered}
	if s.cfg.DeliveryRetries > 0 {
		cfg.Retry = func(attempt, _ int, _ error) (time.Duration, bool) {
			return time.Duration(attempt) * 100 * time.Millisecond, attempt <= s.cfg.DeliveryRetries
		}
	}
	return simkit.NewDispatcher(cfg)
}

// emitMessage posts a message event to the conversation's inbox webhook.
// The caller holds s.mu.
func (s *Server) emitMessage(event string, cv *Conversation, m *Message) {
	body := s.messageWebhook(m, cv)
	s.emit(event, cv, body, call{message: m.ID}, strconv.FormatInt(m.ID, 10))
}

// emitConversation posts a conversation event, with the attributes that
// changed. The caller holds s.mu.
func (s *Server) emitConversation(event string, cv *Conversation, changed []map[string]any) {
	body := s.conversationPush(cv)
	if changed != nil {
		body["changed_attributes"] = changed
	}
	s.emit(event, cv, body, call{}, strconv.FormatInt(cv.DisplayID, 10))
}

// typing posts conversation_typing_on or _off with the agent who types
// (is_private: typing a private note). The caller holds s.mu.
func (s *Server) typing(cv *Conversation, u User, on, private bool) {
	event := map[bool]string{true: "conversation_typing_on", false: "conversation_typing_off"}[on]
	body := map[string]any{"user": userWebhook(u), "conversation": s.conversationPush(cv), "is_private": private}
	s.emit(event, cv, body, call{}, strconv.FormatInt(cv.DisplayID, 10))
}

// emit queues an event for the webhook of the conversation's inbox, if it
// is an API inbox with one. The body is the event's data plus "event",
// fixed now; each attempt is signed when made. The caller holds s.mu.
func (s *Server) emit(event string, cv *Conversation, body map[string]any, c call, object string) {
	body["event"] = event
	raw, _ := json.Marshal(body)
	c.account, c.conversation, c.event = cv.AccountID, cv.ID, event
	s.emitBot(event, cv, raw, c, object)
	in := s.inbox(cv.AccountID, cv.InboxID)
	if in == nil || !in.api() || in.WebhookURL == "" {
		return
	}
	secret, hook, delivery, now := in.Secret, in.WebhookURL, uuid(), s.now
	if s.badSignatures && secret != "" {
		secret = "not-" + secret
	}
	s.Dispatch.Enqueue(simkit.Hook{
		EventID: delivery, EventType: event, ObjectID: object, URL: hook, Tag: c,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", "Chatwoot-simulator")
			req.Header.Set("X-Chatwoot-Delivery", delivery)
			if secret != "" {
				ts := now().Unix()
				req.Header.Set("X-Chatwoot-Timestamp", strconv.FormatInt(ts, 10))
				req.Header.Set("X-Chatwoot-Signature", sign(secret, ts, raw))
			}
			return req, nil
		},
	})
}

// sign is Chatwoot's webhook signature. It is written apart from the
// driver's check on purpose, so that a mistake in one shows in the other.
func sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// delivered marks the message of a failed message event failed, with the
// error, as Chatwoot's webhook error handler does; that change is itself a
// message_updated event. A call never made (the simulator stopping) marks
// nothing.
func (s *Server) delivered(h simkit.Hook, rec Delivery) {
	c := h.Tag.(call)
	if rec.OK() || rec.Attempts == 0 || c.message == 0 {
		return
	}
	why := rec.Err
	if why == "" {
		why = strconv.Itoa(rec.Status) + " " + http.StatusText(rec.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cv := range s.conversations {
		if cv.ID != c.conversation {
			continue
		}
		for _, m := range s.messages[cv.ID] {
			if m.ID == c.message && m.Status != "failed" {
				s.setMessageStatus(cv, m, "failed", "Webhook delivery failed: "+why)
			}
		}
	}
}
