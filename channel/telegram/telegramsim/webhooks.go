package telegramsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"switchboard/internal/simkit"
)

// secretShape is what secret_token may be.
var secretShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// webhookPorts are the only ports Telegram delivers to.
var webhookPorts = []string{"443", "80", "88", "8443"}

// setWebhook checks and sets the webhook, then delivers what was pending;
// an empty url removes it.
func (s *Sim) setWebhook(p params) (any, *apiError) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(params{})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, badRequest("bad webhook: Failed to resolve host: Name or service not known")
	}
	if !s.cfg.InsecureWebhooks {
		port := u.Port()
		if port == "" {
			port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
		}
		switch {
		case u.Scheme != "https":
			return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
		case !slices.Contains(webhookPorts, port):
			return nil, badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
		}
	}
	secret := p.str("secret_token")
	if secret != "" && !secretShape.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConn := 40
	if v := p.str("max_connections"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
		}
		maxConn = n
	}
	var allowed []string
	if err := p.object("allowed_updates", &allowed); err != nil {
		return nil, badRequest("can't parse allowed_updates JSON array")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.str("drop_pending_updates") == "true" {
		s.pending = nil
	}
	s.hook = webhook{URL: raw, Secret: secret, MaxConnections: maxConn, AllowedUpdates: allowed}
	for _, up := range s.pending {
		s.deliver(up)
	}
	s.notify()
	return true, nil
}

// deleteWebhook removes the webhook: updates wait for getUpdates.
func (s *Sim) deleteWebhook(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = webhook{}
	if p.str("drop_pending_updates") == "true" {
		s.pending = nil
	}
	s.notify()
	return true, nil
}

// getWebhookInfo is the webhook's health.
func (s *Sim) getWebhookInfo(params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookInfo(), nil
}

// webhookInfo is getWebhookInfo's result. The caller holds s.mu.
func (s *Sim) webhookInfo() map[string]any {
	s.prune()
	info := map[string]any{"url": s.hook.URL, "has_custom_certificate": false, "pending_update_count": len(s.pending)}
	if s.hook.URL != "" {
		info["max_connections"] = s.hook.MaxConnections
	}
	if len(s.hook.AllowedUpdates) > 0 {
		info["allowed_updates"] = s.hook.AllowedUpdates
	}
	if s.hook.LastError != "" {
		info["last_error_date"], info["last_error_message"] = s.hook.LastErrorDate.Unix(), s.hook.LastError
	}
	return info
}

// getUpdates gives the pending updates from offset: 409 while a webhook is
// set, as the two are exclusive.
func (s *Sim) getUpdates(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook.URL != "" {
		return nil, &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.prune()
	offset, _ := strconv.ParseInt(p.str("offset"), 10, 64)
	s.pending = slices.DeleteFunc(s.pending, func(u update) bool { return u.ID < offset })
	out := []json.RawMessage{}
	for _, u := range s.pending {
		out = append(out, u.Body)
	}
	return out, nil
}

// keepFor is how long Telegram keeps an update it could not deliver.
const keepFor = 24 * time.Hour

// prune forgets the updates older than keepFor. The caller holds s.mu.
func (s *Sim) prune() {
	now := s.cfg.Now()
	s.pending = slices.DeleteFunc(s.pending, func(u update) bool { return now.Sub(u.Created) > keepFor })
}

// newUpdate makes an Update of kind with its object and delivers it. The
// caller holds s.mu.
func (s *Sim) newUpdate(kind string, obj map[string]any) int64 {
	if len(s.hook.AllowedUpdates) > 0 && !slices.Contains(s.hook.AllowedUpdates, kind) {
		return 0 // Telegram does not even make it
	}
	s.nextUpd++
	body, _ := json.Marshal(map[string]any{"update_id": s.nextUpd, kind: obj})
	up := update{ID: s.nextUpd, Body: body, Kind: kind, Created: s.cfg.Now()}
	s.pending = append(s.pending, up)
	if s.hook.URL != "" {
		s.deliver(up)
	}
	return up.ID
}

// deliver hands an update to the dispatcher. The caller holds s.mu.
func (s *Sim) deliver(up update) {
	hook := s.hook
	d := s.parallel
	if hook.MaxConnections == 1 {
		d = s.serial
	}
	d.Enqueue(simkit.Hook{
		EventID: strconv.FormatInt(up.ID, 10), EventType: up.Kind, URL: hook.URL, Tag: up.ID,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(up.Body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			s.mu.Lock()
			wrong := s.wrongKey
			s.mu.Unlock()
			switch {
			case wrong:
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "not-the-secret-"+strconv.FormatInt(up.ID, 10))
			case hook.Secret != "":
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.Secret)
			}
			return req, nil
		},
	})
}

// newDispatcher delivers updates as Telegram does, over up to workers
// connections: each retried while the receiver fails, then dropped.
func (s *Sim) newDispatcher(workers int) *simkit.Dispatcher {
	return simkit.NewDispatcher(simkit.DispatcherConfig{
		Workers: workers, Timeout: s.cfg.WebhookTimeout, Seed: s.cfg.Seed,
		Retry: func(attempt, _ int, _ error) (time.Duration, bool) {
			return min(s.cfg.RetryBase<<(attempt-1), s.cfg.RetryMax), attempt < s.cfg.Attempts
		},
		Active: func(h simkit.Hook) bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.hook.URL == h.URL
		},
		Done: s.delivered,
	})
}

// delivered records how a delivery ended: a success is no longer pending
// and the method in its answer, if any, runs; a failure is the webhook's
// last error, and the update is dropped after the last attempt.
func (s *Sim) delivered(h simkit.Hook, d simkit.Delivery) {
	id, _ := h.Tag.(int64)
	s.mu.Lock()
	switch {
	case d.OK():
		for _, u := range s.pending {
			if u.ID == id {
				s.done[id] = u
			}
		}
		s.pending = slices.DeleteFunc(s.pending, func(u update) bool { return u.ID == id })
	case d.Err == "the webhook is deactivated":
		// kept for getUpdates or the next webhook
	default:
		s.hook.LastErrorDate = s.cfg.Now()
		if d.Err != "" {
			s.hook.LastError = "Connection refused"
		} else {
			s.hook.LastError = fmt.Sprintf("Wrong response from the webhook: %d %s", d.Status, http.StatusText(d.Status))
		}
		s.pending = slices.DeleteFunc(s.pending, func(u update) bool { return u.ID == id })
	}
	s.notify()
	s.mu.Unlock()
	if d.OK() {
		s.webhookReply(d.Body)
	}
}

// webhookReply runs the method a webhook answered with; its result goes
// nowhere.
func (s *Sim) webhookReply(body []byte) {
	var p params
	if json.Unmarshal(body, &p) != nil {
		return
	}
	if method := p.str("method"); method != "" {
		_, _ = s.run(method, p, true)
	}
}

// Replay delivers an update that was delivered already once more, as
// Telegram does when it did not get the answer to a delivery.
func (s *Sim) Replay(updateID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	up, ok := s.done[updateID]
	if !ok || s.hook.URL == "" {
		return fmt.Errorf("telegram simulator: update %d was not delivered, or no webhook is set", updateID)
	}
	s.deliver(up)
	return nil
}
