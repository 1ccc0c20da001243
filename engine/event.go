package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"time"

	"switchboard"
	"switchboard/csml"
)

// Request is one event of one client.
type Request struct {
	Client switchboard.ClientKey
	// RequestID makes a retried request idempotent: the second time, the stored
	// answer is returned and nothing runs; the same id with another payload
	// is refused (ECONFLICT). Empty means a fresh id.
	RequestID string
	Payload   switchboard.Payload
	// Metadata, when not nil, replaces what is known of the user (_metadata).
	Metadata json.RawMessage
	// KeepMetadata makes Metadata the metadata of a new client only: an
	// existing client's stays as it is. Callers that cannot prove who the
	// user is (the Chat API's public key) set it.
	KeepMetadata bool
	// CallbackURL, when not empty, becomes where the client's asynchronous
	// messages are POSTed (Chat API clients).
	CallbackURL string
	// Async says nobody waits for the reply (a broadcast): the bot's messages
	// are delivered like an agent's, asynchronously.
	Async bool
	// DeliverReplies also delivers the replies of a request somebody waits
	// for, as asynchronous messages are (a Chat API channel whose webhook
	// asks for every message).
	DeliverReplies bool
	// SessionOnly marks an event the platform's own agents have (a contact
	// writing in a Chatwoot conversation that is open): it goes to the
	// client's live livechat session, and with none it is dropped, never
	// given to the bot, which must not talk over an agent; unless the
	// client's last session ended in the last handBackGrace (the platform
	// has not applied the hand-back yet): then the bot has the user back.
	SessionOnly bool
}

// Reply is what a request produced.
type Reply struct {
	RequestID string
	// Received is the stored incoming message.
	Received *switchboard.Message
	// Messages are the bot's replies to this request, empty when the event went
	// to a livechat session.
	Messages []switchboard.Message
	// Session is the client's livechat session after the request, if one is live.
	Session *switchboard.Session
	// ConversationEnd is true when the bot's conversation ended with this turn.
	ConversationEnd bool
	// Duplicate is true when the request id had been processed before.
	Duplicate bool
}

// maxEventBytes bounds the content of one event.
const maxEventBytes = 64 << 10

// toEvent checks a payload and builds the CSML event of it, as the reference
// engine does: content_value is the text, the payload, the url, or for a flow
// trigger the whole content.
func toEvent(p switchboard.Payload) (csml.Event, error) {
	if len(p.Content) > maxEventBytes {
		return csml.Event{}, switchboard.Errorf(switchboard.ETOOLARGE, "payload content is %d bytes: the limit is %d", len(p.Content), maxEventBytes)
	}
	var content map[string]any
	if err := json.Unmarshal(p.Content, &content); err != nil || content == nil {
		return csml.Event{}, switchboard.Errorf(switchboard.EINVALID, "payload content must be a JSON object, as {\"text\": \"hello\"}")
	}
	field := func(name string) (string, error) {
		v, ok := content[name].(string)
		if !ok {
			return "", switchboard.Errorf(switchboard.EINVALID, "payload of content_type %q needs content.%s as a string", p.ContentType, name)
		}
		return v, nil
	}
	ev := csml.Event{ContentType: p.ContentType, Content: p.Content}
	var err error
	switch p.ContentType {
	case "text":
		ev.ContentValue, err = field("text")
	case "payload", "regex":
		ev.ContentValue, err = field("payload")
	case "image", "video", "audio", "file", "url":
		ev.ContentValue, err = field("url")
	case "flow_trigger":
		if _, err = field("flow_id"); err == nil {
			ev.ContentValue = string(p.Content)
		}
	default:
		err = switchboard.Errorf(switchboard.EINVALID, "content_type %q is not supported: use text, payload, regex, flow_trigger, image, video, audio, file or url", p.ContentType)
	}
	return ev, err
}

// reasonNoSession is event.reason of a LIVECHAT_SESSION_END that a user
// sent outside any session (an end button clicked after the session
// ended, or a bot's own button): no session ended.
const reasonNoSession = "no_session"

// sentBySwitchboard are the livechat payloads only switchboard sends to a
// bot, with the data it chooses (event.reason).
var sentBySwitchboard = []string{switchboard.PayloadSessionExpired, switchboard.PayloadSessionError, switchboard.PayloadSessionUnavailable}

// refuseForged refuses a user's event that a bot would take for one that
// only switchboard sends: a session that expired or failed. See names.
func refuseForged(prog *csml.Bot, ev csml.Event) error {
	for _, name := range sentBySwitchboard {
		if names(prog, ev, name) {
			return switchboard.Errorf(switchboard.EINVALID, "%s is sent to bots by switchboard only, when a livechat session expires or cannot start: a client may not send it (here as %s)", name, ev.ContentType)
		}
	}
	return nil
}

// names reports whether a bot would read a user's event as the livechat
// payload name: its value is name (ignoring case and spaces, as flow
// commands match; `event == name` in a flow compares the value), or, for a
// regex event, the pattern matches name and picks the flow that name
// triggers.
func names(prog *csml.Bot, ev csml.Event, name string) bool {
	switch ev.ContentType {
	case "flow_trigger":
		return false
	case "regex":
		byName, ok := prog.FlowByCommand(name)
		if !ok {
			return false
		}
		re, err := regexp.Compile(ev.ContentValue)
		byPattern, _ := prog.FlowByRegex(ev.ContentValue)
		return err == nil && re.MatchString(name) && byPattern == byName
	}
	return strings.EqualFold(strings.TrimSpace(ev.ContentValue), name)
}

// payloadEvent is the event of a payload that switchboard sends to the bot
// itself (LIVECHAT_SESSION_END, _EXPIRED, _ERROR), with extra content keys
// such as reason.
func payloadEvent(payload string, extra map[string]any) (csml.Event, switchboard.Payload) {
	content := map[string]any{"payload": payload}
	for k, v := range extra {
		content[k] = v
	}
	raw, _ := json.Marshal(content)
	return csml.Event{ContentType: "payload", ContentValue: payload, Content: raw},
		switchboard.Payload{ContentType: "payload", Content: raw}
}

// HandleEvent processes one event of one client: to the livechat session when
// one is live, else to the bot. See the package documentation.
func (e *Engine) HandleEvent(ctx context.Context, req Request) (*Reply, error) {
	if err := req.Client.Check(); err != nil {
		return nil, err
	}
	if req.RequestID != "" {
		if err := switchboard.CheckRequestID("request_id", req.RequestID); err != nil {
			return nil, err
		}
	}
	ev, err := toEvent(req.Payload)
	if err != nil {
		return nil, err
	}
	bot, ok := e.bots.Get(req.Client.BotID)
	if !ok {
		return nil, switchboard.Errorf(switchboard.ENOTFOUND, "bot %q is not loaded", req.Client.BotID)
	}
	if err := refuseForged(bot.Program, ev); err != nil {
		return nil, err
	}
	if req.Metadata != nil && !isJSONObject(req.Metadata) {
		return nil, switchboard.Errorf(switchboard.EINVALID, "metadata must be a JSON object")
	}
	// A request without an id gets a fresh one, which no earlier request can
	// have: it is not looked up among the handled ones.
	fresh := req.RequestID == ""
	if fresh {
		req.RequestID = newID()
	}
	start := time.Now()
	reply, err := e.handle(ctx, req, ev, bot, fresh)
	e.observeEvent(reply, err, time.Since(start))
	return reply, err
}

// handle is HandleEvent once the event is checked: the fast path of a plain
// bot turn, else the general one. fresh says that HandleEvent made the
// request id, so the request cannot have been handled before.
func (e *Engine) handle(ctx context.Context, req Request, ev csml.Event, bot *Bot, fresh bool) (*Reply, error) {
	e.refreshPresence(ctx, req.Client.BotID, ev.ContentType == "payload" && ev.ContentValue == switchboard.PayloadSessionStart)
	defer e.lock(req.Client)()
	if !req.SessionOnly {
		reply, err := e.fastBotTurn(ctx, req, ev, bot, fresh)
		if err != nil || reply != nil {
			return reply, err
		}
	}
	reply := &Reply{RequestID: req.RequestID}
	err := e.updateLocked(ctx, req.Client, bot, func(t *turn) error {
		*reply = Reply{RequestID: req.RequestID}
		// Every processed request stored its incoming message under its id, and
		// the client is locked: finding one means this request ran before.
		if !fresh {
			if done, err := t.replay(req.Payload, reply); err != nil || done {
				return err
			}
		}
		t.async, t.keepMetadata, t.deliverReplies = req.Async, req.KeepMetadata, req.DeliverReplies
		if err := t.loadClient(req.Metadata, req.CallbackURL); err != nil {
			return err
		}
		return t.dispatch(req, ev, reply)
	})
	if err != nil {
		return nil, err
	}
	return reply, nil
}

// fastBotTurn handles the common case, a plain bot turn, so that the single
// writer of the store only writes: the reads and the CSML run happen in a
// read-only snapshot, then one transaction stores the turn if the snapshot
// still holds. It returns a nil reply when the event needs the general path:
// a duplicate, a livechat session or payload, or a snapshot that went stale
// because another process handled the client meanwhile. The caller holds the
// client's lock, so within this process the snapshot cannot go stale. A
// fresh request id (see handle) is not looked up.
func (e *Engine) fastBotTurn(ctx context.Context, req Request, ev csml.Event, bot *Bot, fresh bool) (*Reply, error) {
	if ev.ContentType == "payload" && strings.HasPrefix(ev.ContentValue, "LIVECHAT_") || names(bot.Program, ev, switchboard.PayloadSessionEnd) {
		return nil, nil
	}
	var run *botRun
	var saveClient bool
	var client *switchboard.Client
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		t := &turn{e: e, ctx: ctx, tx: tx, fx: &effects{}, bot: bot, key: req.Client, now: e.clock.Now(), keepMetadata: req.KeepMetadata}
		if !fresh {
			if msgs, err := tx.MessagesOfRequest(ctx, req.Client, req.RequestID); err != nil || len(msgs) > 0 {
				return err // a duplicate: the general path replays it
			}
		}
		st, err := tx.ClientState(ctx, req.Client)
		if err != nil || st.LiveSession != nil {
			return err
		}
		if st.OpenCSAT != nil && st.OpenCSAT.State == switchboard.CSATRated {
			return nil // the survey waits for a comment: it may take this event
		}
		t.read, t.conv, t.convRead = st, st.Conversation, true
		saveClient = t.applyClient(st.Client, req.Metadata, req.CallbackURL)
		client = t.client
		run, err = t.planBotTurn(inbound{requestID: req.RequestID, payload: req.Payload}, ev)
		return err
	})
	if err != nil || run == nil {
		return nil, err
	}
	reply := &Reply{RequestID: req.RequestID}
	err = e.updateLocked(ctx, req.Client, bot, func(t *turn) error {
		t.client, t.async, t.deliverReplies = client, req.Async, req.DeliverReplies
		if saveClient {
			if err := t.saveClient(); err != nil {
				return err
			}
		}
		// The conversation's version guards the snapshot: any change to the
		// client since (a turn, a session) saved the conversation, and then
		// saving it here is a conflict.
		return t.applyBotTurn(run, reply)
	})
	if switchboard.ErrorCode(err) == switchboard.ECONFLICT {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return reply, nil
}

// dispatch routes an event: livechat end, relay to an agent, livechat start,
// or the bot.
func (t *turn) dispatch(req Request, ev csml.Event, reply *Reply) error {
	session, err := t.liveSession()
	if err != nil {
		return err
	}
	if session == nil && req.SessionOnly {
		back, err := t.handedBackRecently()
		if err != nil || !back {
			return err
		}
	}
	isPayload := func(p string) bool { return ev.ContentType == "payload" && ev.ContentValue == p }
	switch {
	case session != nil && isPayload(switchboard.PayloadSessionEnd):
		if err := t.endSession(session, switchboard.EndUser, "The user ended the conversation.", ""); err != nil {
			return err
		}
		// The bot gets switchboard's data, never what the client added.
		if ev, _, err = t.endEvent(session, switchboard.PayloadSessionEnd, string(switchboard.EndUser)); err != nil {
			return err
		}
		if err := t.botTurn(inbound{requestID: req.RequestID, payload: req.Payload}, ev, reply); err != nil {
			return err
		}
		return t.askSurvey(session, req.RequestID, reply)
	case session != nil && ev.ContentType == "flow_trigger":
		return switchboard.Errorf(switchboard.ECONFLICT, "client %s is in a livechat session (%s): a flow_trigger is refused until the session ends", t.key, session.State)
	case session != nil:
		return t.relay(session, req, reply)
	}
	survey, err := t.survey(ev)
	if err != nil {
		return err
	}
	if survey != nil {
		return t.answerSurvey(survey, req, ev, reply)
	}
	switch {
	case isPayload(switchboard.PayloadSessionStart):
		return t.startSession(req, reply)
	case names(t.bot.Program, ev, switchboard.PayloadSessionEnd):
		// No session to end: the bot hears of the click, and that nothing
		// ended.
		ev, _ = payloadEvent(switchboard.PayloadSessionEnd, map[string]any{"reason": reasonNoSession})
		return t.botTurn(inbound{requestID: req.RequestID, payload: req.Payload}, ev, reply)
	default:
		return t.botTurn(inbound{requestID: req.RequestID, payload: req.Payload}, ev, reply)
	}
}

// replay answers a request id seen before with what was stored for it, and
// reports whether it did. The same id with another payload is another event:
// it is refused rather than answered with the first one's reply.
func (t *turn) replay(p switchboard.Payload, reply *Reply) (bool, error) {
	msgs, err := t.tx.MessagesOfRequest(t.ctx, t.key, reply.RequestID)
	if err != nil || len(msgs) == 0 {
		return false, err
	}
	reply.Duplicate = true
	for i := range msgs {
		if msgs[i].Direction == switchboard.DirectionReceive {
			if reply.Received == nil {
				reply.Received = &msgs[i]
			}
		} else {
			reply.Messages = append(reply.Messages, msgs[i])
		}
	}
	if reply.Received != nil && !samePayload(reply.Received.Payload, p) {
		return false, switchboard.Errorf(switchboard.ECONFLICT,
			"request_id %q was already used for another event (%s) of this user: a request_id names one event, so send a new one for every new event and the same one only to retry the same event",
			reply.RequestID, reply.Received.Payload.ContentType)
	}
	reply.Session, err = t.tx.FindLiveSession(t.ctx, t.key)
	return true, err
}

// samePayload compares two payloads as JSON values, so that a retry whose
// keys come in another order or with other spacing is the same event.
func samePayload(a, b switchboard.Payload) bool {
	if a.ContentType != b.ContentType {
		return false
	}
	var va, vb any
	if json.Unmarshal(a.Content, &va) != nil || json.Unmarshal(b.Content, &vb) != nil {
		return bytes.Equal(a.Content, b.Content)
	}
	return reflect.DeepEqual(va, vb)
}

func isJSONObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

// SetMetadata replaces what is known of a user (_metadata) without sending an
// event, as the chat page's side panel does.
func (e *Engine) SetMetadata(ctx context.Context, key switchboard.ClientKey, metadata json.RawMessage) error {
	if err := key.Check(); err != nil {
		return err
	}
	if !isJSONObject(metadata) {
		return switchboard.Errorf(switchboard.EINVALID, "metadata must be a JSON object")
	}
	if len(metadata) > maxEventBytes {
		return switchboard.Errorf(switchboard.ETOOLARGE, "metadata is %d bytes: the limit is %d", len(metadata), maxEventBytes)
	}
	return e.update(ctx, key, nil, func(t *turn) error {
		return t.loadClient(metadata, "")
	})
}
