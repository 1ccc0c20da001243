package slacksim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/channel/slack"
	"switchboard/internal/simkit"
)

// hookTag is what the simulator keeps of a delivery: the event's id (""
// for an interaction, never retried) and the attempt it is, from 1.
type hookTag struct {
	eventID string
	attempt int
}

// staleBy is how old a stale-timestamp switch makes the signatures.
const staleBy = 6 * time.Minute

// Subscribe sets the app's request URLs for events and interactivity (one
// URL for both, as switchboard's channel takes), after Slack's check of
// the events URL: a signed url_verification whose challenge must come
// back, as plain text, JSON or a form.
func (s *Sim) Subscribe(ctx context.Context, u string) error {
	challenge := fmt.Sprintf("sim-challenge-%d", s.cfg.Now().UnixNano())
	body, _ := json.Marshal(map[string]string{"token": "simulatedverificationtoken", "challenge": challenge, "type": "url_verification"})
	ctx, cancel := context.WithTimeout(ctx, s.cfg.AckTimeout)
	defer cancel()
	req, err := s.request(ctx, u, "application/json", body, 0, "")
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("slack simulator: url_verification of %s: %w", u, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var asJSON struct {
		Challenge string `json:"challenge"`
	}
	_ = json.Unmarshal(raw, &asJSON)
	form, _ := url.ParseQuery(string(raw))
	got := strings.TrimSpace(string(raw))
	if resp.StatusCode != http.StatusOK || (got != challenge && asJSON.Challenge != challenge && form.Get("challenge") != challenge) {
		return fmt.Errorf("slack simulator: your URL didn't respond with the value of the challenge parameter (HTTP %d: %.200s)", resp.StatusCode, raw)
	}
	s.SetURLs(u, u)
	return nil
}

// SetURLs sets the request URLs without the check (an app configured
// earlier); interactivity "" keeps the button presses undelivered.
func (s *Sim) SetURLs(events, interactivity string) {
	s.mu.Lock()
	s.eventsURL, s.actionsURL = events, interactivity
	s.notify()
	s.mu.Unlock()
}

// request is a delivery signed as Slack signs it (or forged, or stale,
// when switched so), with the retry headers of a retry.
func (s *Sim) request(ctx context.Context, target, contentType string, body []byte, retry int, reason string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	forge, stale := s.forge, s.stale
	s.mu.Unlock()
	at := s.cfg.Now()
	if stale {
		at = at.Add(-staleBy)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	secret := s.cfg.SigningSecret
	if forge {
		secret = "not-the-signing-secret"
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Signature(secret, ts, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", reason)
	}
	return req, nil
}

// event wraps an event in its envelope, with a fresh event_id, and
// delivers it. s.mu is held.
func (s *Sim) event(ev map[string]any) string {
	now := s.cfg.Now()
	id := fmt.Sprintf("Ev%010d", s.ids.Next("event"))
	body, _ := json.Marshal(map[string]any{
		"token": "simulatedverificationtoken", "team_id": TeamID, "api_app_id": AppID, "event": ev, "type": "event_callback",
		"event_id": id, "event_time": now.Unix(), "event_context": "4-" + id,
		"authorizations":        []map[string]any{{"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false,
	})
	s.events[id] = body
	if s.eventsURL != "" {
		s.enqueue(hookTag{eventID: id, attempt: 1}, "")
	}
	return id
}

// enqueue queues one attempt of an event's delivery; reason is why the
// last one failed. s.mu is held.
func (s *Sim) enqueue(tag hookTag, reason string) {
	body, target := s.events[tag.eventID], s.eventsURL
	var ev struct {
		Event struct {
			Type    string `json:"type"`
			Channel string `json:"channel"`
		} `json:"event"`
	}
	_ = json.Unmarshal(body, &ev)
	s.inflight++
	s.hooks.Enqueue(simkit.Hook{EventID: tag.eventID, EventType: ev.Event.Type, ObjectID: ev.Event.Channel, URL: target, Tag: tag,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			return s.request(ctx, target, "application/json", body, tag.attempt-1, reason)
		}})
}

// echo tells the app of the bot's own post, as Slack does (the app must
// drop it: bot_id). s.mu is held.
func (s *Sim) echo(c *Conversation, m Message) {
	ev := map[string]any{"type": "message", "channel": c.ID, "channel_type": channelType(c), "user": BotUserID, "bot_id": BotID,
		"app_id": AppID, "text": m.Text, "ts": m.TS, "event_ts": m.TS, "team": TeamID}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	if len(m.Blocks) > 0 {
		ev["blocks"] = m.Blocks
	}
	s.event(ev)
}

func channelType(c *Conversation) string {
	if c.IM {
		return "im"
	}
	return "channel"
}

// retryReason is X-Slack-Retry-Reason for what became of an attempt.
func retryReason(d simkit.Delivery) string {
	switch {
	case d.Err == "":
		return "http_error"
	case strings.Contains(d.Err, context.DeadlineExceeded.Error()) || strings.Contains(d.Err, "Timeout"):
		return "http_timeout"
	}
	return "connection_failed"
}

// delivered schedules the next attempt of an event the app did not take:
// Slack's three retries, the same event_id each time. Interactions, and
// the chaos switches' second sends, are never retried.
func (s *Sim) delivered(h simkit.Hook, d simkit.Delivery) {
	tag, _ := h.Tag.(hookTag)
	if d.Duplicate {
		return // counted and retried as the delivery it repeats
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	if d.OK() || tag.eventID == "" || tag.attempt > len(s.cfg.RetryDelays) {
		s.inflight--
		return
	}
	// Still in flight until the retry is queued.
	next, reason := hookTag{eventID: tag.eventID, attempt: tag.attempt + 1}, retryReason(d)
	time.AfterFunc(s.cfg.RetryDelays[tag.attempt-1], func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inflight--
		if s.eventsURL == h.URL {
			s.enqueue(next, reason)
		}
		s.notify()
	})
}

// Replay delivers an event that was delivered once more, as Slack's retry
// after a timeout does even when the first attempt was taken: the same
// event_id, X-Slack-Retry-Num 1, freshly signed.
func (s *Sim) Replay(eventID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.events[eventID]; !ok || s.eventsURL == "" {
		return fmt.Errorf("slack simulator: event %s was not made, or no request URL is set", eventID)
	}
	s.enqueue(hookTag{eventID: eventID, attempt: 2}, "http_timeout")
	return nil
}

// Deliveries are the webhook calls made so far, each attempt on its own.
func (s *Sim) Deliveries() []simkit.Delivery { return s.hooks.Deliveries() }

// WaitDeliveries waits until no delivery is queued, being made or waiting
// for its retry (and each is in Deliveries), or ctx ends.
func (s *Sim) WaitDeliveries(ctx context.Context) error {
	for {
		s.mu.Lock()
		inflight, changed := s.inflight, s.changed
		s.mu.Unlock()
		if inflight == 0 {
			return s.hooks.WaitDeliveries(ctx)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Wait waits until cond holds, checked at each change, or ctx ends.
func (s *Sim) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return errors.Join(ctx.Err(), errors.New("slack simulator: the condition never held"))
		}
	}
}
