package httpapi

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/netpolicy"
	"switchboard/livechat"
)

// The headers of a callback. The signature is
// sha256=hex(HMAC-SHA256(secret, TIMESTAMP + "." + BODY)) with the channel's
// API secret; the delivery id is the message id, the same on every attempt,
// for receivers to drop a repeat.
const (
	HeaderDelivery  = "X-Switchboard-Delivery"
	HeaderTimestamp = "X-Switchboard-Timestamp"
	HeaderSignature = "X-Switchboard-Signature"
)

// callbackBody is what a callback carries: the shape of a chat response
// (CSML Studio's) with one message, and its delivery id.
type callbackBody struct {
	DeliveryID    string    `json:"delivery_id"`
	RequestID     string    `json:"request_id,omitempty"`
	InteractionID string    `json:"interaction_id"`
	ReceivedAt    time.Time `json:"received_at"`
	IsAuthorized  bool      `json:"is_authorized"`
	Client        clientOut `json:"client"`
	Messages      []message `json:"messages"`
}

// Deliver is the outbox handler of engine.JobCallback: it POSTs one message
// to its client's latest callback URL, or else to the channel's webhook.
// Jobs of a client run one at a time in order, so messages arrive in order;
// a failure is retried with backoff and holds the later messages back. A
// message with nowhere to go stays in the history only.
func (a *API) Deliver(ctx context.Context, j switchboard.Job) error {
	var p engine.CallbackPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return livechat.Permanent(fmt.Errorf("decode callback job: %w", err))
	}
	var (
		m      *switchboard.Message
		ch     *switchboard.Channel
		target string
		body   callbackBody
	)
	err := a.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if m, err = tx.Message(ctx, p.MessageID); err != nil {
			return err
		}
		if ch, err = tx.Channel(ctx, m.Client.ChannelID); err != nil {
			return err
		}
		if target, err = deliveryTarget(ctx, tx, m.Client); err != nil || target == "" {
			return err
		}
		body, err = callbackOf(ctx, tx, m)
		return err
	})
	switch {
	case switchboard.ErrorCode(err) == switchboard.ENOTFOUND:
		return nil // the message or its channel is gone
	case err != nil:
		return err
	case target == "" || ch.Type != switchboard.ChannelAPI:
		return nil
	case a.clock.Now().Sub(j.CreatedAt) > maxCallbackAge:
		return livechat.Permanent(fmt.Errorf("message %d could not be delivered for %s: given up (it stays in the history)", m.ID, maxCallbackAge))
	}
	secret, err := ChannelSecret(a.sealer, ch)
	if err != nil {
		return livechat.Permanent(err)
	}
	raw, _ := json.Marshal(body) // plain fields and stored JSON
	return a.post(ctx, target, body.DeliveryID, secret, raw)
}

// post sends one signed callback and classifies the outcome: 2xx is done;
// 408, 425, 429, 5xx and network errors are tried again (after Retry-After
// when given); any other answer is given up, as the receiver refused it. A
// redirect is not followed and an address the policy refuses is not called:
// both give the message up (it stays in the history).
func (a *API) post(ctx context.Context, target, id string, secret, body []byte) error {
	u, err := url.Parse(target)
	if err != nil {
		return livechat.Permanent(fmt.Errorf("callback URL: %w", err))
	}
	where := u.Scheme + "://" + u.Host // never the path or query: they may hold tokens
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return livechat.Permanent(fmt.Errorf("callback to %s: %w", where, err))
	}
	ts := strconv.FormatInt(a.clock.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "switchboard")
	req.Header.Set(HeaderDelivery, id)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, "sha256="+hex.EncodeToString(Sign(secret, ts+"."+string(body))))
	res, err := a.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		if errors.Is(err, netpolicy.ErrRefused) {
			return livechat.Permanent(fmt.Errorf("callback to %s: %w (list it in callback_allow if it is yours)", where, err))
		}
		return fmt.Errorf("callback to %s: %w", where, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	switch code := res.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		err := fmt.Errorf("callback to %s: status %d", where, code)
		if s, perr := strconv.Atoi(res.Header.Get("Retry-After")); perr == nil && s > 0 {
			return livechat.RetryAfter(err, min(time.Duration(s)*time.Second, time.Hour))
		}
		return err
	case code == http.StatusRequestTimeout || code == http.StatusTooEarly || code >= 500:
		return fmt.Errorf("callback to %s: status %d", where, code)
	case code >= 300 && code < 400:
		return livechat.Permanent(fmt.Errorf("callback to %s: redirected with status %d, which switchboard does not follow: give the final URL as callback_url", where, code))
	default:
		return livechat.Permanent(fmt.Errorf("callback to %s: refused with status %d", where, code))
	}
}
