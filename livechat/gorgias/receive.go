package gorgias

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/livechat"
	"switchboard/livechat/internal/driverkit"
)

// JobSync is the outbox job a delivery leaves: read the ticket back from the
// API and relay what agents wrote. It is keyed by the session, so it runs in
// order with the session's other livechat jobs, after its ticket opened.
const JobSync = "gorgias.sync"

// ReceiverConfig is what the webhook receiver works with.
type ReceiverConfig struct {
	Store    switchboard.Store
	Engine   *engine.Engine
	Notifier switchboard.Notifier
	// Sealer opens the bots' settings (their webhook tokens, API keys).
	Sealer livechat.Sealer
	Client *Client
	Clock  switchboard.Clock
	Log    *slog.Logger
	// PollEvery is the period of the poll for replies whose delivery never
	// came (default DefaultPollEvery; see poll.go).
	PollEvery time.Duration
}

// Receiver is the endpoint a Gorgias HTTP integration calls on every
// ticket-message-created (and, optionally, ticket-updated), the job that
// relays what the delivery announced, and the poll that catches up on
// deliveries that never came.
type Receiver struct {
	cfg ReceiverConfig
	// handled remembers the Gorgias messages already relayed or skipped, by
	// session, so that a burst of deliveries costs one API read, not one
	// each. The durable guard is the engine's dedup on the message id.
	handled *driverkit.Cache[string, struct{}]
}

// NewReceiver returns the receiver.
func NewReceiver(cfg ReceiverConfig) *Receiver {
	if cfg.Clock == nil {
		cfg.Clock = switchboard.SystemClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	return &Receiver{cfg: cfg, handled: driverkit.NewCache[string, struct{}](200_000)}
}

// syncPayload is a recorded delivery: what to read back, and why.
type syncPayload struct {
	SessionID string `json:"session_id"`
	TicketID  string `json:"ticket_id"`
	MessageID string `json:"message_id,omitempty"`
	EventType string `json:"event_type,omitempty"`
	EventID   string `json:"event_id,omitempty"`
}

// Event types the receiver acts on.
const (
	eventMessageCreated = "ticket-message-created"
	eventTicketUpdated  = "ticket-updated"
	eventStatusUpdated  = "ticket-status-updated"
)

// maxQuery bounds a delivery's query string and form body.
const maxQuery = 64 << 10

// ServeHTTP (mounted for GET and POST) checks a delivery and records it:
// token first (401 and nothing changes), then the session named by
// external_id (of this token's bot, on Gorgias) and its ticket, then dedup on
// event_id and message_id and the job, in one transaction. It answers as soon
// as that committed; the job reads the message back from the API, since the
// query string is only a hint.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, err := readParams(w, r)
	if err != nil {
		httpx.WriteError(w, r, rc.cfg.Log, err)
		return
	}
	status, err := rc.receive(r.Context(), q)
	if err != nil {
		httpx.WriteError(w, r, rc.cfg.Log, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": status})
}

// receive handles one delivery and says what became of it.
func (rc *Receiver) receive(ctx context.Context, q params) (string, error) {
	token := q.last("token")
	if token == "" {
		return "", switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is missing: paste the whole URL that `switchboard livechat url BOT` prints")
	}
	p := syncPayload{
		SessionID: q.first("external_id"), TicketID: q.first("ticket_id"),
		MessageID: q.first("message_id"), EventType: q.first("event_type"), EventID: q.first("event_id"),
	}
	s, err := rc.authorize(ctx, token, p.SessionID)
	if err != nil || s == nil {
		return "ignored", err
	}
	if s.Platform != livechat.PlatformGorgias {
		return "", switchboard.Errorf(switchboard.ENOTFOUND, "conversation %s is not handed over to Gorgias", p.SessionID)
	}
	if p.TicketID == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "ticket_id is missing")
	}
	// A session still opening has no ticket id to compare yet: its job runs
	// after the ticket opened and compares then.
	if s.ExternalID != "" && p.TicketID != s.ExternalID {
		return "", switchboard.Errorf(switchboard.EFORBIDDEN, "ticket %s is not the ticket of conversation %s", p.TicketID, p.SessionID)
	}
	if p.EventType == "" && p.MessageID != "" {
		p.EventType = eventMessageCreated
	}
	switch p.EventType {
	case eventMessageCreated:
		if p.MessageID == "" {
			return "", switchboard.Errorf(switchboard.EINVALID, "message_id is missing")
		}
		// The echo of a customer message switchboard posted: nothing to
		// relay, and no API read spent on it. Any later delivery reads the
		// whole ticket, so a wrong hint loses nothing.
		if q.allFalse("from_agent") {
			return "echo", nil
		}
	case eventTicketUpdated, eventStatusUpdated:
		p.MessageID = ""
	default:
		return "ignored", nil
	}
	return rc.record(ctx, s, p)
}

// authorize finds the session named by external_id and checks the token
// against its bot's. A token that is no bot's is 401; a session that is
// unknown or another bot's is 404, the same answer for both. A delivery for a
// ticket switchboard did not open (no external_id: an email ticket of the same
// account) is ignored with a 2xx, so that Gorgias never disables the
// integration because of tickets that are not ours.
func (rc *Receiver) authorize(ctx context.Context, token, sessionID string) (*switchboard.Session, error) {
	var s *switchboard.Session
	known := false
	err := rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		if sessionID != "" {
			found, err := tx.Session(ctx, sessionID)
			if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
				return err
			}
			if found != nil {
				ok, err := rc.tokenOf(ctx, tx, found.Client.BotID, token)
				if err != nil || ok {
					s = found
					return err
				}
			}
		}
		for _, b := range rc.cfg.Engine.Bots().List() {
			ok, err := rc.tokenOf(ctx, tx, b.Version.Bot.ID, token)
			if err != nil {
				return err
			}
			if ok {
				known = true
				return nil
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case s != nil:
		return s, nil
	case !known:
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is wrong: paste the URL that `switchboard livechat url BOT` prints")
	case sessionID == "":
		return nil, nil
	default:
		return nil, switchboard.Errorf(switchboard.ENOTFOUND, "no conversation %s for this bot", sessionID)
	}
}

// tokenOf reports whether token is the bot's webhook token.
func (rc *Receiver) tokenOf(ctx context.Context, tx switchboard.Tx, botID, token string) (bool, error) {
	set, err := livechat.LoadSettings(ctx, tx, rc.cfg.Sealer, botID)
	if err != nil {
		return false, err
	}
	return set.Token != "" && subtle.ConstantTimeCompare([]byte(set.Token), []byte(token)) == 1, nil
}

// record marks the event and the message as seen and enqueues the job, in one
// transaction: a delivery is either recorded with its work or not at all, and
// a repeated one is dropped here.
func (rc *Receiver) record(ctx context.Context, s *switchboard.Session, p syncPayload) (string, error) {
	status := "queued"
	err := rc.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		status = "queued" // a retried transaction starts over
		now := rc.cfg.Clock.Now()
		for _, seen := range [][2]string{{"gorgias:event:", p.EventID}, {"gorgias:message:", p.MessageID}} {
			if seen[1] == "" {
				continue
			}
			fresh, err := tx.MarkSeen(ctx, seen[0]+s.ID, seen[1], now)
			if err != nil {
				return fmt.Errorf("dedup gorgias delivery: %w", err)
			}
			if !fresh {
				status = "duplicate"
				return nil
			}
		}
		raw, _ := json.Marshal(p)
		if err := tx.EnqueueJob(ctx, &switchboard.Job{Kind: JobSync, Key: "session:" + s.ID, Payload: raw, RunAt: now, CreatedAt: now}); err != nil {
			return fmt.Errorf("record gorgias delivery: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if status == "queued" && rc.cfg.Notifier != nil {
		rc.cfg.Notifier.Notify(switchboard.TopicJobs)
	}
	return status, nil
}

// params are a delivery's query (and form body) values. Gorgias may paste a
// message's text into the URL unencoded, so a text holding "&token=…" or
// "&ticket_id=…" adds values: the ids before text are read from their first
// occurrence and the token, which the URL ends with, from its last.
type params url.Values

func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	if len(r.URL.RawQuery) > maxQuery {
		return nil, switchboard.Errorf(switchboard.ETOOLARGE, "the query string is longer than %d bytes", maxQuery)
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // keep what parses, as Gorgias may mangle the text
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(w, r.Body, maxQuery)
		if err := r.ParseForm(); err != nil {
			return nil, switchboard.Errorf(switchboard.EINVALID, "the form body does not parse: %v", err)
		}
		for k, vs := range r.PostForm {
			q[k] = append(q[k], vs...)
		}
	}
	return params(q), nil
}

// value cleans a rendered template value: Python renders a missing value as
// None.
func value(v string) string {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "none", "null", "undefined":
		return ""
	}
	return v
}

func (q params) first(k string) string {
	if vs := q[k]; len(vs) > 0 {
		return value(vs[0])
	}
	return ""
}

func (q params) last(k string) string {
	if vs := q[k]; len(vs) > 0 {
		return value(vs[len(vs)-1])
	}
	return ""
}

// allFalse reports whether k is present and every value of it says false.
func (q params) allFalse(k string) bool {
	vs := q[k]
	for _, v := range vs {
		switch strings.ToLower(value(v)) {
		case "false", "0":
		default:
			return false
		}
	}
	return len(vs) > 0
}
