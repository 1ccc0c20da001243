package gorgias

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// JobSync is the outbox job a delivery leaves: read the ticket back from the
// API and relay what agents wrote. It is keyed by the session, so it runs in
// order with the session's other livechat jobs, after its ticket opened.
const JobSync = "gorgias.sync"

// ReceiverConfig is what the webhook receiver works with: the parts every
// receiver has (Store, Engine, Notifier, Sealer, Clock, Log; Platform is
// set by NewReceiver), and the driver's own.
type ReceiverConfig struct {
	driverkit.Receiver
	Client *Client
	// PollEvery is the period of the poll for replies whose delivery never
	// came (default DefaultPollEvery; see poll.go).
	PollEvery time.Duration
	// Metrics is told what monitoring counts; nil counts nothing.
	Metrics Metrics
}

// Metrics is what the receiver tells monitoring (package metrics).
type Metrics interface {
	// GorgiasPollUnreadable counts a message the poll could not read.
	GorgiasPollUnreadable()
}

type noMetrics struct{}

func (noMetrics) GorgiasPollUnreadable() {}

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
	cfg.Platform = "gorgias"
	cfg.Receiver = driverkit.NewReceiver(cfg.Receiver)
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
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

// Event types the receiver acts on. A delivery of any other ticket event
// (ticket-closed, ticket-reopened, ticket-updated, ticket-status-updated,
// ticket-assigned…: the Event object's types,
// https://developers.gorgias.com/reference/the-event-object, which the
// "ticket updated" trigger renders as {{event.type}}) may be the agent
// closing the ticket: its job reads the ticket's status.
const (
	eventMessageCreated = "ticket-message-created"
	eventTicketCreated  = "ticket-created"
)

// stateEvent reports whether an event type is a change of a ticket that may
// have closed it.
func stateEvent(t string) bool {
	return strings.HasPrefix(t, "ticket-") && t != eventMessageCreated && t != eventTicketCreated
}

// maxForm bounds a delivery's form body. The query has no bound of its own
// beyond the server's header limit (1 MB): a long message pasted into the
// URL (the CSML Studio shape has the text) must never be refused.
const maxForm = 1 << 20

// StatusHeader carries what became of a delivery (queued, duplicate, echo,
// ignored): the body is for agents, since Gorgias stores a GET integration's
// answer on the customer.
const StatusHeader = "X-Switchboard-Status"

// ServeHTTP (mounted for GET and POST) checks a delivery and records it:
// token first (401 and nothing changes), then the session named by
// external_id (of this token's bot, on Gorgias, with this ticket), then dedup
// on event_id and message_id and the job, in one transaction. It answers as
// soon as that committed; the job reads the message back from the API, since
// the query string is only a hint. Every well-authenticated call answers 2xx,
// also one about a ticket that is not one of this bot's sessions: Gorgias
// disables an integration after 100 failed calls in a row
// (https://docs.gorgias.com/faq/broken-or-disconnected-http-integration).
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, err := readParams(w, r)
	if err != nil {
		httpx.WriteError(w, r, rc.cfg.Log, err)
		return
	}
	status, s, err := rc.receive(r.Context(), q)
	if err != nil {
		httpx.WriteError(w, r, rc.cfg.Log, err)
		return
	}
	w.Header().Set(StatusHeader, status)
	httpx.WriteJSON(w, http.StatusOK, forAgents(s))
}

// forAgents is the answer's body. Gorgias keeps what a GET integration
// answers as the customer's integration data, shown to agents in the
// ticket's sidebar (https://docs.gorgias.com/en-US/http-integrations-81822):
// the state of the conversation when the call is about one, else nothing.
func forAgents(s *switchboard.Session) map[string]any {
	if s == nil {
		return map[string]any{}
	}
	state := "with an agent"
	switch {
	case s.State == switchboard.SessionPending:
		state = "waiting for an agent"
	case !s.Live():
		state = "ended: the user is back with the bot"
	}
	return map[string]any{"switchboard": map[string]any{"conversation": s.ID, "bot": s.Client.BotID, "state": state}}
}

// receive handles one delivery and says what became of it, and of which
// session of the token's bot it was (nil: none).
func (rc *Receiver) receive(ctx context.Context, q params) (string, *switchboard.Session, error) {
	p := syncPayload{
		SessionID: q.first("external_id"), TicketID: q.first("ticket_id"),
		MessageID: q.first("message_id"), EventType: q.first("event_type"), EventID: q.first("event_id"),
	}
	s, err := rc.authorize(ctx, q.tokens(), p.SessionID)
	if err != nil {
		return "", nil, err
	}
	ignore := func(why string) (string, *switchboard.Session, error) {
		rc.cfg.Log.Debug("gorgias: delivery ignored", "why", why, "external_id", p.SessionID, "ticket", p.TicketID, "event", p.EventType)
		return "ignored", nil, nil
	}
	switch {
	case s == nil:
		return ignore("not a conversation of this bot")
	case s.Platform != livechat.PlatformGorgias:
		return ignore("the conversation is not handed over to Gorgias")
	case p.TicketID == "":
		return ignore("no ticket_id")
	// A session still opening has no ticket id to compare yet: its job
	// runs after the ticket opened and compares then.
	case s.ExternalID != "" && p.TicketID != s.ExternalID:
		rc.cfg.Log.Warn("gorgias: delivery names a ticket that is not the conversation's; ignored", "session", s.ID, "ticket", p.TicketID, "session_ticket", s.ExternalID)
		return "ignored", nil, nil
	}
	if p.EventType == "" && p.MessageID != "" {
		p.EventType = eventMessageCreated
	}
	switch {
	case p.EventType == eventMessageCreated:
		if p.MessageID == "" {
			return ignore("no message_id")
		}
		// The echo of a customer message switchboard posted: nothing to
		// relay, and no API read spent on it. Any later delivery reads the
		// whole ticket, so a wrong hint loses nothing.
		if q.allFalse("from_agent") {
			return "echo", s, nil
		}
	case stateEvent(p.EventType):
		p.MessageID = ""
	default:
		return "ignored", s, nil
	}
	status, err := rc.record(ctx, s, p)
	return status, s, err
}

// authorize checks the token and finds the session named by external_id if
// it is the token's bot's. A token that is no bot's is 401, the only
// refusal; any other call is answered, and a session that is unknown or
// another bot's is nil.
func (rc *Receiver) authorize(ctx context.Context, tokens []string, sessionID string) (*switchboard.Session, error) {
	var s *switchboard.Session
	known := false
	err := rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		// The session's bot first, from the store: an instance that has not
		// loaded the bot yet still takes the call.
		if sessionID != "" {
			found, err := tx.Session(ctx, sessionID)
			if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
				return err
			}
			if found != nil {
				ok, err := rc.tokenOf(ctx, tx, found.Client.BotID, tokens)
				if err != nil || ok {
					s, known = found, ok
					return err
				}
			}
		}
		for _, b := range rc.cfg.Engine.Bots().List() {
			ok, err := rc.tokenOf(ctx, tx, b.Version.Bot.ID, tokens)
			if err != nil || ok {
				known = ok
				return err
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case len(tokens) == 0:
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is missing: paste the whole URL that `switchboard livechat url BOT` prints")
	case !known:
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is wrong: paste the URL that `switchboard livechat url BOT` prints")
	}
	return s, nil
}

// tokenOf reports whether one of the tokens is the bot's webhook token.
func (rc *Receiver) tokenOf(ctx context.Context, tx switchboard.Tx, botID string, tokens []string) (bool, error) {
	set, err := livechat.LoadSettings(ctx, tx, rc.cfg.Sealer, botID)
	if err != nil || set.Token == "" {
		return false, err
	}
	for _, t := range tokens {
		if subtle.ConstantTimeCompare([]byte(set.Token), []byte(t)) == 1 {
			return true, nil
		}
	}
	return false, nil
}

// record marks the event and the message as seen and enqueues the job, in
// one transaction (see driverkit.Receiver.Record).
func (rc *Receiver) record(ctx context.Context, s *switchboard.Session, p syncPayload) (string, error) {
	marks := []driverkit.Mark{{Kind: "event", Scope: s.ID, ID: p.EventID}, {Kind: "message", Scope: s.ID, ID: p.MessageID}}
	return rc.cfg.Record(ctx, marks, driverkit.Job{Kind: JobSync, Key: driverkit.SessionKey(s.ID), Payload: p})
}

// params are a delivery's query (and form body) values. Gorgias may paste a
// template's values into the URL unencoded
// (https://developers.gorgias.com/docs/receive-and-respond-to-tickets-from-a-third-party-app
// documents no encoding), so a text holding "&token=…" or "&ticket_id=…"
// adds values, and a "#" cuts off the rest of the URL. The URL switchboard
// prints puts the token first and the values anyone can write last, so the
// ids are read from their first occurrence and the token from its first; the
// CSML Studio shape, which ends with the token, is read from its last.
type params url.Values

func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	q, _ := url.ParseQuery(r.URL.RawQuery) // keep what parses, as Gorgias may mangle the text
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
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

// tokens are the candidate tokens: the first and the last.
func (q params) tokens() []string {
	var out []string
	for _, t := range []string{q.first("token"), q.last("token")} {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
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
