package chatwoot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"time"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// JobSync is the outbox job a delivery (or the poll) leaves: read the
// conversation back from the API, relay what agents wrote, and end the
// session if the agent resolved the conversation. It is keyed by the
// session, so it runs in order with the session's other livechat jobs,
// after its conversation opened.
const JobSync = "chatwoot.sync"

// TimerPoll is the durable timer that has the conversation of every live
// Chatwoot session read every PollEvery.
const TimerPoll = "chatwoot.poll"

// DefaultPollEvery is how often live sessions' conversations are read for
// messages whose webhook never came.
const DefaultPollEvery = 30 * time.Second

// ReceiverConfig is what the webhook receiver works with: the parts every
// receiver has (Store, Engine, Notifier, Sealer, Clock, Log; Platform is
// set by NewReceiver), and the driver's own.
type ReceiverConfig struct {
	driverkit.Receiver
	Client *Client
	// PollEvery is the period of the poll (default DefaultPollEvery).
	PollEvery time.Duration
}

// Receiver is the endpoint the bots' Chatwoot inboxes call, the job that
// relays what a delivery announced, and the poll that catches up on the
// deliveries that never came.
type Receiver struct {
	cfg ReceiverConfig
	// handled remembers the Chatwoot messages already relayed or skipped,
	// by session and message, so that a burst of deliveries costs one API
	// read, not one each; synced remembers when each session's
	// conversation was last read and the newest message seen, so that a
	// poll of a quiet conversation costs one cheap read. The durable guard
	// is the engine's dedup on the message id.
	handled *driverkit.Cache[string, struct{}]
	synced  *driverkit.Cache[string, syncMark]
}

// syncMark is when a session's conversation was read, and the newest
// message id then.
type syncMark struct {
	at   time.Time
	last int64
}

// NewReceiver returns the receiver.
func NewReceiver(cfg ReceiverConfig) *Receiver {
	cfg.Platform = "chatwoot"
	cfg.Receiver = driverkit.NewReceiver(cfg.Receiver)
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	return &Receiver{cfg: cfg, handled: driverkit.NewCache[string, struct{}](200_000), synced: driverkit.NewCache[string, syncMark](100_000)}
}

// Events the receiver acts on, and the poll's own.
const (
	eventMessageCreated = "message_created"
	eventMessageUpdated = "message_updated"
	eventStatusChanged  = "conversation_status_changed"
	eventConvUpdated    = "conversation_updated"
	eventTypingOn       = "conversation_typing_on"
	eventTypingOff      = "conversation_typing_off"
	eventResolved       = "resolved"
	// eventAssigned is a delivery saying an agent was assigned.
	eventAssigned = "assigned"
	eventPoll     = "poll"
	// eventRead is an unsigned call's job: read the conversation back.
	eventRead = "read"
)

// syncPayload is a recorded delivery, or a poll: which conversation to read
// back, and why.
type syncPayload struct {
	SessionID      string `json:"session_id"`
	ConversationID int64  `json:"conversation_id,omitempty"`
	MessageID      int64  `json:"message_id,omitempty"`
	// Event is message_created or message_updated (a message to relay),
	// resolved (the agent resolved the conversation), read (an unsigned
	// call: look at the conversation) or poll.
	Event string `json:"event"`
}

// webhook is a delivery's body: a message event carries the message's
// fields with its conversation; a conversation event carries the
// conversation's fields; a typing event its user and conversation.
type webhook struct {
	Event        string        `json:"event"`
	ID           int64         `json:"id"`
	MessageType  MessageType   `json:"message_type"`
	Private      bool          `json:"private"`
	Status       string        `json:"status"`
	InboxID      int64         `json:"inbox_id"`
	ContactInbox *ContactInbox `json:"contact_inbox"`
	Conversation *Conversation `json:"conversation"`
	User         *Sender       `json:"user"`
	IsPrivate    bool          `json:"is_private"`
	// Meta is a conversation event's: its assignee.
	Meta ConversationMeta `json:"meta"`
}

// conversation is the conversation a delivery is about.
func (w webhook) conversation() Conversation {
	if w.Conversation != nil {
		return *w.Conversation
	}
	return Conversation{ID: w.ID, InboxID: w.InboxID, Status: w.Status, ContactInbox: w.ContactInbox, Meta: w.Meta}
}

// maxWebhook bounds a delivery's body.
const maxWebhook = 1 << 20

// ServeHTTP checks a delivery and records it: the token first (401 and
// nothing changes), then the signature as the bot's settings say (401),
// then the session the conversation's source_id names, then dedup on
// X-Chatwoot-Delivery and the message id and the job, in one transaction.
// It answers as soon as that committed: Chatwoot gives a call a few
// seconds and never calls again. Deliveries about conversations or inboxes
// that are not switchboard's are answered 200 and ignored, so that no
// agent's message is marked failed because of them. A call that is not
// signed (or whose signature could not be checked) only queues a read-back
// of the conversation.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := driverkit.ReadBody(w, r, maxWebhook)
	status := ""
	if err == nil {
		status, err = rc.receive(r.Context(), r.URL.Query().Get("token"), r.Header, body)
	}
	if err != nil {
		httpx.WriteError(w, r, rc.cfg.Log, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": status})
}

// receive handles one delivery and says what became of it.
func (rc *Receiver) receive(ctx context.Context, token string, h http.Header, body []byte) (string, error) {
	if token == "" {
		return "", switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is missing: save the bot's livechat settings again to set the inbox's webhook URL")
	}
	botID, set, err := rc.botOf(ctx, token)
	if err != nil {
		return "", err
	}
	cw := set.Chatwoot
	if cw == nil {
		cw = &livechat.ChatwootSettings{}
	}
	signed, err := verify(cw.Signature, cw.WebhookSecret, h, body, rc.cfg.Clock.Now())
	if err != nil {
		return "", err
	}
	var ev webhook
	if err := json.Unmarshal(body, &ev); err != nil {
		return "", switchboard.Errorf(switchboard.EINVALID, "the body is not a Chatwoot webhook's JSON: %v", err)
	}
	conv := ev.conversation()
	if cw.InboxID != 0 && conv.InboxID != 0 && conv.InboxID != int64(cw.InboxID) {
		return "ignored", nil // another inbox (an account webhook)
	}
	s, err := rc.session(ctx, botID, conv)
	if err != nil || s == nil {
		return "ignored", err
	}
	if s.ExternalID != "" && conv.ID != 0 && idOf(conv.ID) != s.ExternalID {
		return "", switchboard.Errorf(switchboard.EFORBIDDEN, "conversation %d is not the conversation of session %s", conv.ID, s.ID)
	}
	p := syncPayload{SessionID: s.ID, ConversationID: conv.ID, Event: ev.Event}
	switch ev.Event {
	case eventMessageCreated, eventMessageUpdated:
		switch {
		case ev.Private:
			return "ignored", nil // a note
		case ev.MessageType == Incoming:
			return "echo", nil // the user's message, posted by switchboard
		case ev.MessageType != Outgoing && ev.MessageType != Template:
			return "ignored", nil
		case rc.wasHandled(s.ID, ev.ID):
			return "duplicate", nil
		}
		p.MessageID = ev.ID
	case eventStatusChanged, eventConvUpdated:
		switch {
		case conv.Status == "resolved" && s.Live():
			p.Event = eventResolved
		case conv.Meta.Assignee != nil && s.Waiting():
			p.Event = eventAssigned // an agent took it: read back, then claimed
		default:
			return "ignored", nil
		}
	case eventTypingOn, eventTypingOff:
		if !signed || ev.IsPrivate || ev.User != nil && ev.User.Type != "" && ev.User.Type != "user" {
			return "ignored", nil
		}
		return "typing", rc.cfg.Engine.AgentTyping(ctx, s.ID, ev.Event == eventTypingOn)
	default:
		return "ignored", nil
	}
	if !signed {
		// Only the URL's token vouches for the call: the body may be
		// forged. It may make switchboard read the conversation back and
		// nothing more: no dedup mark of its delivery or message id (a
		// forged id would have the real message taken for a duplicate),
		// no typing, no id the job trusts.
		return rc.record(ctx, syncPayload{SessionID: s.ID, Event: eventRead}, "")
	}
	return rc.record(ctx, p, h.Get("X-Chatwoot-Delivery"))
}

// botOf finds the bot whose webhook token this is (401 when none) and
// returns its settings.
func (rc *Receiver) botOf(ctx context.Context, token string) (string, livechat.Settings, error) {
	var botID string
	var set livechat.Settings
	err := rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		for _, b := range rc.cfg.Engine.Bots().List() {
			s, err := livechat.LoadSettings(ctx, tx, rc.cfg.Sealer, b.Version.Bot.ID)
			if err != nil {
				return err
			}
			if s.Token != "" && subtle.ConstantTimeCompare([]byte(s.Token), []byte(token)) == 1 {
				botID, set = b.Version.Bot.ID, s
				return nil
			}
		}
		return nil
	})
	if err == nil && botID == "" {
		err = switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is no bot's: save the bot's livechat settings again to set the inbox's webhook URL")
	}
	return botID, set, err
}

// session finds the session of a conversation by its contact inbox's
// source_id (the session id), else by its id. A conversation switchboard
// did not open is nil; a session of another bot, or not on Chatwoot, is
// ENOTFOUND.
func (rc *Receiver) session(ctx context.Context, botID string, conv Conversation) (*switchboard.Session, error) {
	var s *switchboard.Session
	err := rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if conv.ContactInbox != nil && conv.ContactInbox.SourceID != "" {
			s, err = tx.Session(ctx, conv.ContactInbox.SourceID)
			if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
				s, err = nil, nil
			}
			return err
		}
		if conv.ID != 0 {
			s, err = tx.FindSessionByExternalID(ctx, livechat.PlatformChatwoot, idOf(conv.ID))
		}
		return err
	})
	switch {
	case err != nil || s == nil:
		return nil, err
	case s.Client.BotID != botID || s.Platform != livechat.PlatformChatwoot:
		return nil, switchboard.Errorf(switchboard.ENOTFOUND, "no Chatwoot conversation %s for this bot", s.ID)
	}
	return s, nil
}

// record marks the delivery and the message as seen and enqueues the job,
// in one transaction (see driverkit.Receiver.Record).
func (rc *Receiver) record(ctx context.Context, p syncPayload, delivery string) (string, error) {
	marks := []driverkit.Mark{{Kind: "delivery", Scope: p.SessionID, ID: delivery}}
	if p.Event == eventMessageCreated {
		marks = append(marks, driverkit.Mark{Kind: "message", Scope: p.SessionID, ID: idOf(p.MessageID)})
	}
	return rc.cfg.Record(ctx, marks, syncJob(p))
}

// syncJob is the sync job of a delivery or a poll, in order with the
// session's other jobs.
func syncJob(p syncPayload) driverkit.Job {
	return driverkit.Job{Kind: JobSync, Key: driverkit.SessionKey(p.SessionID), Payload: p}
}

func (rc *Receiver) wasHandled(sessionID string, messageID int64) bool {
	return rc.handled.Has(sessionID + "/" + idOf(messageID))
}
