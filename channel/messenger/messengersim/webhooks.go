package messengersim

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/channel/meta/metasim"
	"switchboard/internal/simkit"
)

// Subscribe sets the callback URL as Meta's dashboard does, after the GET
// handshake; then every event is posted there.
func (s *Sim) Subscribe(ctx context.Context, webhookURL string) error {
	if err := metasim.Handshake(ctx, s.cfg.name(), webhookURL, s.cfg.VerifyToken, s.cfg.WebhookTimeout); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = webhookURL
	return nil
}

// Webhook is the subscribed callback URL ("" before Subscribe).
func (s *Sim) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// newDispatcher retries failing deliveries (package metasim).
func newDispatcher(s *Sim) *simkit.Dispatcher {
	return simkit.NewDispatcher(simkit.DispatcherConfig{
		Timeout: s.cfg.WebhookTimeout, Seed: s.cfg.Seed, Done: s.delivered,
		Retry: metasim.Retries(s.cfg.RetryBase, s.cfg.RetryMax, s.cfg.RetryFor),
	})
}

// object is the webhook's object.
func (s *Sim) object() string {
	if s.cfg.Instagram {
		return "instagram"
	}
	return "page"
}

// emit posts one messaging event of u: in messaging[] when the app owns
// the thread or it is idle, or always (control: handover events), else in
// standby[]. The caller holds s.mu.
func (s *Sim) emit(u *user, ev map[string]any, control bool) {
	if s.webhook == "" || s.stopped {
		return
	}
	now := s.now()
	m, _ := ev["message"].(map[string]any)
	if _, echo := m["is_echo"]; echo {
		ev["sender"], ev["recipient"] = map[string]string{"id": s.cfg.AccountID}, map[string]string{"id": u.id}
	} else {
		ev["sender"], ev["recipient"] = map[string]string{"id": u.id}, map[string]string{"id": s.cfg.AccountID}
	}
	ev["timestamp"] = now.UnixMilli()
	field := "messaging"
	if !control && u.owner != "" && u.owner != s.cfg.AppID {
		field = "standby"
	}
	entry := map[string]any{"id": s.cfg.AccountID, "time": now.UnixMilli(), field: []any{ev}}
	raw, _ := json.Marshal(map[string]any{"object": s.object(), "entry": []any{entry}})
	raw = metasim.EscapeNonASCII(raw)
	secret := s.cfg.AppSecret
	if s.sw.badSignatures {
		secret = "not-" + secret
	}
	kind := "event"
	for _, k := range []string{"message", "postback", "delivery", "read", "pass_thread_control", "take_thread_control"} {
		if ev[k] != nil {
			kind = k
		}
	}
	s.dispatch.Enqueue(simkit.Hook{EventID: fmt.Sprint(now.UnixNano()), EventType: field + ":" + kind, ObjectID: u.id, URL: s.webhook,
		Request: metasim.SignedPost(s.webhook, raw, secret, false)})
}

// echo posts the echo of a message the app sent, as Meta does with
// message_echoes subscribed. The caller holds s.mu.
func (s *Sim) echo(u *user, m *Message, req map[string]any) {
	msg, _ := req["message"].(map[string]any)
	e := map[string]any{"is_echo": true, "app_id": s.cfg.AppID, "mid": m.ID}
	for k, v := range msg {
		if k != "quick_replies" {
			e[k] = v
		}
	}
	s.emit(u, map[string]any{"message": e}, false)
}

// receiptLater posts the delivery of m after ReceiptDelay (Instagram: its
// read too, naming the message). The caller holds s.mu.
func (s *Sim) receiptLater(u *user, m *Message) {
	s.timers++
	time.AfterFunc(s.cfg.ReceiptDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.timers--
		m.Delivered = true
		s.notify()
		s.emit(u, map[string]any{"delivery": map[string]any{"mids": []string{m.ID}, "watermark": s.now().UnixMilli()}}, false)
		if s.cfg.Instagram {
			s.emit(u, map[string]any{"read": map[string]any{"mid": m.ID}}, false)
		}
	})
}

// delivered logs a delivery that failed for good.
func (s *Sim) delivered(_ simkit.Hook, rec simkit.Delivery) {
	if !rec.OK() {
		s.cfg.Log.Warn(s.cfg.name()+": webhook delivery failed", "url", rec.URL, "events", rec.EventType, "attempts", rec.Attempts, "status", rec.Status, "err", rec.Err)
	}
}

// Deliveries returns every webhook call made so far.
func (s *Sim) Deliveries() []simkit.Delivery { return s.dispatch.Deliveries() }

// SetChaos sets the deliveries' chaos switches.
func (s *Sim) SetChaos(c simkit.Chaos) { s.dispatch.SetChaos(c) }

// WaitDeliveries waits until no webhook call or receipt is pending.
func (s *Sim) WaitDeliveries(ctx context.Context) error {
	for {
		s.mu.Lock()
		pending := s.timers > 0
		s.mu.Unlock()
		if !pending {
			return s.dispatch.WaitDeliveries(ctx)
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
