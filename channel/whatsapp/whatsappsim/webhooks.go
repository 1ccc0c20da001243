package whatsappsim

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"switchboard/channel/meta/metasim"
	"switchboard/internal/simkit"
)

// event is one thing to tell the webhook: a customer's message (with its
// contact) or a status of a sent message.
type event struct {
	contact *contactJSON
	message map[string]any
	status  map[string]any
}

type contactJSON struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

// The envelope Meta posts, field for field.
type (
	envelope struct {
		Object string      `json:"object"`
		Entry  []entryJSON `json:"entry"`
	}
	entryJSON struct {
		ID      string       `json:"id"`
		Changes []changeJSON `json:"changes"`
	}
	changeJSON struct {
		Value valueJSON `json:"value"`
		Field string    `json:"field"`
	}
	valueJSON struct {
		MessagingProduct string           `json:"messaging_product"`
		Metadata         metadataJSON     `json:"metadata"`
		Contacts         []*contactJSON   `json:"contacts,omitempty"`
		Messages         []map[string]any `json:"messages,omitempty"`
		Statuses         []map[string]any `json:"statuses,omitempty"`
	}
	metadataJSON struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	}
)

// Verification is what became of one GET handshake.
type Verification struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
}

// Subscribe sets the callback URL as Meta's dashboard does: a GET with
// hub.mode=subscribe, hub.verify_token and hub.challenge, which must be
// answered 200 with the challenge as the body. Then every event is posted
// there.
func (s *Sim) Subscribe(ctx context.Context, webhookURL string) error {
	err := s.verify(ctx, webhookURL)
	v := Verification{URL: webhookURL, OK: err == nil}
	if err != nil {
		v.Error = err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.verified = append(s.verified, v)
	if err != nil {
		return err
	}
	s.webhook = webhookURL
	return nil
}

// verify makes the GET handshake.
func (s *Sim) verify(ctx context.Context, webhookURL string) error {
	return metasim.Handshake(ctx, "whatsapp simulator", webhookURL, s.cfg.VerifyToken, s.cfg.WebhookTimeout)
}

// Webhook is the subscribed callback URL ("" before Subscribe).
func (s *Sim) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Verifications returns every GET handshake made, oldest first.
func (s *Sim) Verifications() []Verification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Verification(nil), s.verified...)
}

// newDispatcher retries a failed delivery (an answer other than 2xx, or
// none within WebhookTimeout) with a doubling backoff for RetryFor: Meta's
// "decreasing frequency, up to 7 days" compressed. Each attempt is signed
// afresh over the same bytes.
func newDispatcher(s *Sim) *simkit.Dispatcher {
	return simkit.NewDispatcher(simkit.DispatcherConfig{
		Timeout: s.cfg.WebhookTimeout, Workers: s.cfg.WebhookWorkers, Seed: s.cfg.Seed, Done: s.delivered,
		Retry: metasim.Retries(s.cfg.RetryBase, s.cfg.RetryMax, s.cfg.RetryFor),
	})
}

// emit queues an event for the webhook: posted at once, or gathered for
// BatchWindow when batching. The caller holds s.mu.
func (s *Sim) emit(ev event) {
	if s.webhook == "" || s.stopped {
		return
	}
	if !s.sw.batch {
		s.post([]event{ev})
		return
	}
	s.pending = append(s.pending, ev)
	if !s.flushing {
		s.flushing = true
		time.AfterFunc(s.cfg.BatchWindow, s.flush)
	}
}

// flush posts the gathered events in one call.
func (s *Sim) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	evs := s.pending
	s.pending, s.flushing = nil, false
	if len(evs) > 0 && !s.stopped {
		s.post(evs)
	}
}

// post queues one webhook call carrying evs: one entry, messages with
// their contacts in one change, statuses in another. The caller holds
// s.mu.
func (s *Sim) post(evs []event) {
	meta := metadataJSON{DisplayPhoneNumber: s.cfg.DisplayPhoneNumber, PhoneNumberID: s.cfg.PhoneNumberID}
	msgs := valueJSON{MessagingProduct: "whatsapp", Metadata: meta}
	stats := valueJSON{MessagingProduct: "whatsapp", Metadata: meta}
	seen := map[string]bool{}
	var ids, kinds []string
	for _, ev := range evs {
		if ev.message != nil {
			if !seen[ev.contact.WaID] {
				seen[ev.contact.WaID] = true
				msgs.Contacts = append(msgs.Contacts, ev.contact)
			}
			msgs.Messages = append(msgs.Messages, ev.message)
			ids, kinds = append(ids, ev.message["id"].(string)), append(kinds, "message")
		} else {
			stats.Statuses = append(stats.Statuses, ev.status)
			ids, kinds = append(ids, ev.status["id"].(string)), append(kinds, ev.status["status"].(string))
		}
	}
	entry := entryJSON{ID: s.cfg.WABAID}
	for _, v := range []valueJSON{msgs, stats} {
		if len(v.Messages)+len(v.Statuses) > 0 {
			entry.Changes = append(entry.Changes, changeJSON{Value: v, Field: "messages"})
		}
	}
	raw, _ := json.Marshal(envelope{Object: "whatsapp_business_account", Entry: []entryJSON{entry}})
	raw = metasim.EscapeNonASCII(raw)
	hook, secret, unsigned := s.webhook, s.cfg.AppSecret, s.sw.unsigned
	if s.sw.badSignatures {
		secret = "not-" + secret
	}
	s.dispatch.Enqueue(simkit.Hook{
		EventID: ids[0], EventType: strings.Join(kinds, ","), ObjectID: strings.Join(ids, ","), URL: hook,
		Request: metasim.SignedPost(hook, raw, secret, unsigned),
	})
}

// Sign is Meta's webhook signature (metasim.Sign).
func Sign(appSecret string, body []byte) string { return metasim.Sign(appSecret, body) }

// delivered logs a delivery that failed for good (Meta alerts the
// developer then).
func (s *Sim) delivered(h simkit.Hook, rec simkit.Delivery) {
	if !rec.OK() {
		s.cfg.Log.Warn("whatsapp simulator: webhook delivery failed", "url", rec.URL, "events", rec.EventType, "attempts", rec.Attempts, "status", rec.Status, "err", rec.Err)
	}
}

// Deliveries returns every webhook call made so far, in the order they
// ended (Attempts counts the retries).
func (s *Sim) Deliveries() []simkit.Delivery { return s.dispatch.Deliveries() }

// WaitDeliveries waits until no webhook call is queued, being made,
// retried or delayed (held calls count as queued), or ctx ends.
func (s *Sim) WaitDeliveries(ctx context.Context) error {
	for {
		s.mu.Lock()
		pending := len(s.pending) > 0 || s.timers > 0
		s.mu.Unlock()
		if !pending {
			return s.dispatch.WaitDeliveries(ctx)
		}
		select {
		case <-time.After(waitTimers):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
