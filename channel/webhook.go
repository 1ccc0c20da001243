package channel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/httpx"
)

// Routes are the layer's HTTP routes, as mux patterns.
func (l *Layer) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /v1/channels/{channel_id}/webhook":          http.HandlerFunc(l.handshake),
		"POST /v1/channels/{channel_id}/webhook":         http.HandlerFunc(l.webhook),
		"GET /v1/channels/{channel_id}/media/{media_id}": http.HandlerFunc(l.media),
	}
}

// handshake answers the platform's verification of the webhook URL.
func (l *Layer) handshake(w http.ResponseWriter, r *http.Request) {
	_, conn, err := l.openView(r.Context(), r.PathValue("channel_id"))
	if err != nil {
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	answer, err := conn.Handshake(r.URL.Query())
	if err != nil {
		l.cfg.Log.WarnContext(r.Context(), "channel: webhook verification refused", "channel", r.PathValue("channel_id"), "err", err)
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, answer)
}

// webhook checks a delivery on its raw body and records its items.
func (l *Layer) webhook(w http.ResponseWriter, r *http.Request) {
	channelID := r.PathValue("channel_id")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, l.cfg.MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = switchboard.Errorf(switchboard.ETOOLARGE, "the webhook body is larger than %d bytes", l.cfg.MaxBody)
		}
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	typ, conn, err := l.precheck(r, channelID, body)
	if err != nil {
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	items, err := conn.Parse(body)
	if err != nil {
		// Authentic but not understood: answering an error would make the
		// platform send it again for days.
		l.cfg.Log.ErrorContext(r.Context(), "channel: webhook body not understood; answered 200 and dropped", "channel", channelID, "type", typ, "err", err, "bytes", len(body))
		answer(w, conn, map[string]any{"status": "ignored", "reason": err.Error()})
		return
	}
	conn, queued, duplicates, err := l.record(r.Context(), channelID, conn, items, func(c Conn) ([]Item, error) {
		if err := l.accept(r, c, channelID, body); err != nil {
			l.cfg.Log.WarnContext(r.Context(), "channel: webhook refused", "channel", channelID, "err", err)
			return nil, err
		}
		return c.Parse(body)
	})
	if err != nil {
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	if rp, ok := conn.(Replier); ok {
		if reply := rp.WebhookReply(body); reply != nil {
			httpx.WriteJSON(w, http.StatusOK, reply)
			return
		}
	}
	answer(w, conn, map[string]any{"status": "ok", "queued": queued, "duplicates": duplicates})
}

// precheck finds a delivery's channel and checks the delivery's
// authenticity, before the transaction that records it (record), which
// makes sure the Conn is still the channel's: with the Conn opened last
// for the channel when there is one (conns), else, or when that one
// refuses the delivery, with the channel opened now.
func (l *Layer) precheck(r *http.Request, channelID string, body []byte) (switchboard.ChannelType, Conn, error) {
	if typ, conn := l.conns.last(channelID); conn != nil && l.accept(r, conn, channelID, body) == nil {
		return typ, conn, nil
	}
	ch, conn, err := l.openView(r.Context(), channelID)
	if err != nil {
		return "", nil, err
	}
	if err := l.accept(r, conn, channelID, body); err != nil {
		l.cfg.Log.WarnContext(r.Context(), "channel: webhook refused", "channel", channelID, "err", err)
		return "", nil, err
	}
	return ch.Type, conn, nil
}

// accept checks a delivery's authenticity: the URL's token, the signature.
func (l *Layer) accept(r *http.Request, conn Conn, channelID string, body []byte) error {
	if err := verifyToken(conn, r.URL.Query()); err != nil {
		return err
	}
	return l.verify(r, conn, channelID, body)
}

// verify checks a delivery's authenticity, with the URL the platform
// posted to when it signs it (URLVerifier): the public URL, as the
// platform saw it behind any proxy, with the query received.
func (l *Layer) verify(r *http.Request, conn Conn, channelID string, body []byte) error {
	uv, ok := conn.(URLVerifier)
	if !ok {
		return conn.Verify(r.Header, body)
	}
	u := l.WebhookURL(channelID)
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return uv.VerifyURL(u, r.Header, body)
}

// answer answers a verified delivery: in the platform's form when it has
// one (Answerer), else with summary as JSON.
func answer(w http.ResponseWriter, conn Conn, summary map[string]any) {
	a, ok := conn.(Answerer)
	if !ok {
		httpx.WriteJSON(w, http.StatusOK, summary)
		return
	}
	ct, body := a.WebhookAnswer()
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// verifyToken checks the URL's secret token of a channel that has one
// (URLTokener), in constant time.
func verifyToken(conn Conn, q url.Values) error {
	t, ok := conn.(URLTokener)
	if !ok {
		return nil
	}
	if got := q.Get("token"); got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(t.URLToken())) != 1 {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "the webhook URL's token is missing or wrong: give the platform the webhook_url the channel shows, token included")
	}
	return nil
}

// dedupScope is where a channel's handled items are remembered.
func dedupScope(channelID string) string { return "channel.in:" + channelID }

// receiveKey is the outbox key of a client's delivered items.
func receiveKey(k switchboard.ClientKey) string { return "channel.in:" + k.String() }

// record stores each new item in one transaction, a user's item as a job and
// a receipt as it is (a job only for a failure): a delivery is recorded with
// its work or not at all, and a repeated item is dropped. queued counts the
// jobs, duplicates the items dropped.
//
// The transaction opens the channel (a deleted channel records nothing);
// when its Conn is no longer the one that checked the delivery (the
// channel was edited meanwhile), recheck checks and parses it again with
// the channel's Conn, which record returns.
func (l *Layer) record(ctx context.Context, channelID string, checked Conn, items []Item, recheck func(Conn) ([]Item, error)) (conn Conn, queued, duplicates int, err error) {
	now := l.cfg.Clock.Now()
	err = l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		queued, duplicates = 0, 0 // a retried transaction starts over
		ch, cur, err := l.open(ctx, tx, channelID)
		if err != nil {
			return err
		}
		if conn = cur; cur != checked {
			if items, err = recheck(cur); err != nil {
				return err
			}
		}
		for _, it := range items {
			key := switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: it.UserID}
			if it.ID == "" || key.Check() != nil {
				l.cfg.Log.WarnContext(ctx, "channel: item without a usable id or user; dropped", "channel", ch.ID, "kind", it.Kind, "user", it.UserID, "id", it.ID)
				continue
			}
			if it.Kind == ItemStatus {
				// A receipt is recorded here, in the webhook's own
				// transaction: only a failure has work to follow.
				recorded, work, err := l.recordReceipt(ctx, tx, key, it, now)
				if err != nil {
					return err
				}
				if !recorded {
					duplicates++
				}
				if !work {
					continue
				}
			} else {
				fresh, err := tx.MarkSeen(ctx, dedupScope(ch.ID), it.DedupID(), now)
				if err != nil {
					return fmt.Errorf("dedup webhook item: %w", err)
				}
				if !fresh {
					duplicates++
					continue
				}
			}
			if it.Consent != "" {
				if err := putConsent(ctx, tx, key, it, now); err != nil {
					return err
				}
			}
			if it.MediaID != "" {
				it.Payload.Content = withURL(it.Payload.Content, l.mediaURL(ch.ID, it.MediaID))
			}
			raw, _ := json.Marshal(receivePayload{ChannelID: ch.ID, Item: it})
			if err := tx.EnqueueJob(ctx, &switchboard.Job{Kind: JobReceive, Key: receiveKey(key), Payload: raw, RunAt: now, CreatedAt: now}); err != nil {
				return fmt.Errorf("record webhook item: %w", err)
			}
			queued++
		}
		return nil
	})
	if err == nil && queued > 0 && l.cfg.Notifier != nil {
		l.cfg.Notifier.Notify(switchboard.TopicJobs)
	}
	return conn, queued, duplicates, err
}

// withURL sets content.url.
func withURL(content json.RawMessage, u string) json.RawMessage {
	var c map[string]any
	if json.Unmarshal(content, &c) != nil || c == nil {
		c = map[string]any{}
	}
	c["url"] = u
	raw, _ := json.Marshal(c)
	return raw
}

// mediaURL is the signed address of a media file a user sent.
func (l *Layer) mediaURL(channelID, mediaID string) string {
	return strings.TrimRight(l.cfg.PublicURL, "/") + "/v1/channels/" + channelID + "/media/" + url.PathEscape(mediaID) + "?sig=" + l.mediaSig(channelID, mediaID)
}

func (l *Layer) mediaSig(channelID, mediaID string) string {
	mac := hmac.New(sha256.New, l.cfg.MediaKey)
	mac.Write([]byte(channelID + "/" + mediaID))
	return hex.EncodeToString(mac.Sum(nil))
}

// maxMedia bounds a media file served (WhatsApp's documents: 100 MB).
const maxMedia = 100 << 20

// media serves a file a user sent, fetched from the platform with the
// channel's credentials: only with the signature the layer gave its URL.
func (l *Layer) media(w http.ResponseWriter, r *http.Request) {
	channelID, mediaID := r.PathValue("channel_id"), r.PathValue("media_id")
	if err := switchboard.CheckChannelID("media_id", mediaID); err != nil {
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	if !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(l.mediaSig(channelID, mediaID))) {
		httpx.WriteError(w, r, l.cfg.Log, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the media URL's signature is missing or wrong: use the URL of the message as given"))
		return
	}
	_, conn, err := l.openView(r.Context(), channelID)
	if err != nil {
		httpx.WriteError(w, r, l.cfg.Log, err)
		return
	}
	ct, body, err := conn.Media(r.Context(), mediaID)
	if err != nil {
		l.cfg.Log.WarnContext(r.Context(), "channel: media not fetched", "channel", channelID, "media", mediaID, "err", err)
		httpx.WriteError(w, r, l.cfg.Log, switchboard.Errorf(switchboard.EUNAVAILABLE, "the media file could not be fetched from the platform (it keeps them about 7 days): %v", err))
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment")
	_, _ = io.Copy(w, io.LimitReader(body, maxMedia))
}
