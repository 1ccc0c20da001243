package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/csml"
)

// turn is the work of one transaction on one client.
type turn struct {
	e      *Engine
	ctx    context.Context
	tx     switchboard.Tx
	fx     *effects
	bot    *Bot
	key    switchboard.ClientKey
	now    time.Time
	client *switchboard.Client
	conv   *switchboard.Conversation
	// convRead says conv is the open conversation as read, none included:
	// openConversation has nothing to read.
	convRead bool
	// read is the client's state, when the turn read it at once
	// (fastBotTurn): its memories need no read of their own.
	read *switchboard.ClientState
	// convDirty is set when messages advanced the conversation's counter
	// and the conversation was not saved since.
	convDirty bool
	// async marks a turn nobody waits for (a broadcast).
	async bool
	// keepMetadata keeps an existing client's metadata (Request.KeepMetadata).
	keepMetadata bool
	// deliverReplies delivers replies too (Request.DeliverReplies).
	deliverReplies bool
	// channel is the client's channel type, read when first needed.
	channel switchboard.ChannelType
}

// flush saves what the turn changed but did not save yet.
func (t *turn) flush() error {
	if t.conv == nil || !t.convDirty {
		return nil
	}
	t.conv.UpdatedAt = t.now
	if err := t.tx.PutConversation(t.ctx, t.conv); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	t.convDirty = false
	return nil
}

// loadClient reads (or creates) the client, replacing its metadata and
// callback URL when given.
func (t *turn) loadClient(metadata json.RawMessage, callbackURL string) error {
	changed, err := t.resolveClient(metadata, callbackURL)
	if err != nil || !changed {
		return err
	}
	return t.saveClient()
}

// resolveClient reads the client and applies new metadata and callback URL
// in memory; it reports whether the client must be saved.
func (t *turn) resolveClient(metadata json.RawMessage, callbackURL string) (bool, error) {
	c, err := t.tx.FindClient(t.ctx, t.key)
	if err != nil {
		return false, fmt.Errorf("load client: %w", err)
	}
	return t.applyClient(c, metadata, callbackURL), nil
}

// applyClient applies new metadata and callback URL to the client as read
// (nil: a new one) in memory; it reports whether the client must be saved.
func (t *turn) applyClient(c *switchboard.Client, metadata json.RawMessage, callbackURL string) bool {
	if c != nil && t.keepMetadata {
		metadata = nil
	}
	if c != nil && (metadata == nil || bytes.Equal(metadata, c.Metadata)) && (callbackURL == "" || callbackURL == c.CallbackURL) {
		t.client = c
		return false
	}
	if c == nil {
		c = &switchboard.Client{Key: t.key, Metadata: json.RawMessage(`{}`), CreatedAt: t.now}
	} else {
		copied := *c
		c = &copied
	}
	if metadata != nil {
		c.Metadata = metadata
	}
	if callbackURL != "" {
		c.CallbackURL = callbackURL
	}
	c.UpdatedAt = t.now
	t.client = c
	return true
}

// saveClient writes the client resolveClient prepared.
func (t *turn) saveClient() error {
	if err := t.tx.PutClient(t.ctx, t.client); err != nil {
		return fmt.Errorf("save client: %w", err)
	}
	return nil
}

// addMessage stores messages of this client and wakes its live connections.
func (t *turn) addMessage(ms ...*switchboard.Message) error {
	for _, m := range ms {
		m.Client = t.key
		m.CreatedAt = t.now
		if t.conv != nil && m.ConversationID == "" {
			m.ConversationID = t.conv.ID
			m.InteractionOrder = t.conv.InteractionOrder
			t.conv.InteractionOrder++
			t.convDirty = true
		}
	}
	if err := t.tx.AddMessages(t.ctx, ms...); err != nil {
		return fmt.Errorf("store message: %w", err)
	}
	t.fx.notify(switchboard.TopicClient(t.key))
	for _, m := range ms {
		if m.Direction == switchboard.DirectionSend && (m.RequestID == "" || t.async || t.deliverReplies) {
			if err := t.deliverLater(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// JobCallback is the outbox job that POSTs an asynchronous message to the
// callback URL of a Chat API client; jobs of one client run in order.
const JobCallback = "api.callback"

// CallbackPayload is the payload of a JobCallback or JobChannelSend job.
type CallbackPayload struct {
	MessageID int64 `json:"message_id"`
}

// JobChannelSend is the outbox job that sends a message to a client of a
// messaging channel (WhatsApp, ...; package channel): every message of a
// bot, an agent or switchboard for such a client, keyed by client so that
// they are sent in order.
const JobChannelSend = "channel.send"

// ChannelSendKey is the outbox key of the messages sent to a client of a
// messaging channel.
func ChannelSendKey(k switchboard.ClientKey) string { return "channel.out:" + k.String() }

// deliverLater enqueues a message for the client's channel when it pushes
// messages: the callback URL of a Chat API client (messages that answer no
// request, or all of them with DeliverReplies), or the platform of a
// messaging channel (every message: its requests come from webhooks, which
// nobody answers). Chat pages read messages from the history instead, woken
// by the notification.
func (t *turn) deliverLater(m *switchboard.Message) error {
	channel, err := t.channelType()
	if err != nil {
		return err
	}
	job := &switchboard.Job{Kind: JobCallback, Key: "callback:" + t.key.String(), RunAt: t.now, CreatedAt: t.now}
	switch channel {
	case switchboard.ChannelWebapp:
		return nil
	case switchboard.ChannelAPI:
	default:
		job.Kind, job.Key = JobChannelSend, ChannelSendKey(t.key)
	}
	job.Payload, _ = json.Marshal(CallbackPayload{MessageID: m.ID})
	if err := t.tx.EnqueueJob(t.ctx, job); err != nil {
		return fmt.Errorf("enqueue %s: %w", job.Kind, err)
	}
	t.fx.notify(switchboard.TopicJobs)
	return nil
}

// channelType is the type of the client's channel, read once per turn
// (webapp when the channel is not stored: the chat page's default).
func (t *turn) channelType() (switchboard.ChannelType, error) {
	if t.channel == "" {
		t.channel = switchboard.ChannelWebapp
		ch, err := t.tx.Channel(t.ctx, t.key.ChannelID)
		switch {
		case err == nil:
			t.channel = ch.Type
		case switchboard.ErrorCode(err) != switchboard.ENOTFOUND:
			return "", fmt.Errorf("load channel: %w", err)
		}
	}
	return t.channel, nil
}

// newConversation starts a conversation; it is stored when the turn saves it.
func (t *turn) newConversation() {
	t.conv = &switchboard.Conversation{
		ID: newID(), Client: t.key, Status: switchboard.ConversationOpen, CreatedAt: t.now,
	}
	t.convDirty = true
}

// newID returns a time-ordered UUID (version 7): ids made one after the other
// sort together, so their index entries land on the same pages.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// openConversation loads the client's open conversation once.
func (t *turn) openConversation() error {
	if t.conv != nil || t.convRead {
		return nil
	}
	c, err := t.tx.FindOpenConversation(t.ctx, t.key)
	if err != nil {
		return fmt.Errorf("load conversation: %w", err)
	}
	t.conv = c
	return nil
}

// inbound is the incoming side of a bot turn.
type inbound struct {
	// requestID is empty for turns that answer no request (expiry, errors
	// found by a worker): their messages are delivered asynchronously.
	requestID string
	// system marks an event that switchboard sent (the LIVECHAT_SESSION_*
	// payloads) rather than the user.
	system  bool
	payload switchboard.Payload
}

// botTurn stores the incoming message, runs the bot on the event and stores
// its replies and state, all in the turn's transaction.
func (t *turn) botTurn(in inbound, ev csml.Event, reply *Reply) error {
	run, err := t.planBotTurn(in, ev)
	if err != nil {
		return err
	}
	return t.applyBotTurn(run, reply)
}

// botRun is a bot turn that has run and is ready to be stored.
type botRun struct {
	in inbound
	// stale is an open conversation to close first: its flow left the bot.
	stale *switchboard.Conversation
	// conv is the conversation the turn continues or starts.
	conv *switchboard.Conversation
	// parts are the runs of the turn in order: more than one when a
	// goto ... in bot switched bots (see multibot.go).
	parts []botPart
	// running is the bot that runs the conversation after the turn (""
	// for the client's own).
	running string
	// before and after are the memories of each bot that ran, by the key
	// they are kept under, as read and as the turn leaves them.
	before, after map[switchboard.ClientKey]map[string]json.RawMessage
	// hold is the last run's hold as stored, encoded before the write
	// transaction.
	hold json.RawMessage
}

// botPart is one run of a turn and the messages switchboard adds after it.
type botPart struct {
	res   csml.Result
	added []csml.Message
}

// last is the run that ends the turn: where the conversation stands.
func (r *botRun) last() csml.Result { return r.parts[len(r.parts)-1].res }

// planBotTurn reads what the bot needs (conversation, memories) and runs it,
// and the bots it switches to. It writes nothing, so it can run in a
// read-only snapshot.
func (t *turn) planBotTurn(in inbound, ev csml.Event) (*botRun, error) {
	if err := t.openConversation(); err != nil {
		return nil, err
	}
	run := &botRun{in: in, before: map[switchboard.ClientKey]map[string]json.RawMessage{}, after: map[switchboard.ClientKey]map[string]json.RawMessage{}}
	bot, stale := t.bot, false
	if t.conv != nil && t.conv.RunningBot != "" {
		b, ok := t.e.bots.Get(t.conv.RunningBot)
		bot, stale = b, !ok // a bot unloaded since: start over in the client's
		run.running = t.conv.RunningBot
	}
	var flow, step string
	var hold *csml.Hold
	if !stale {
		flow, step, hold, stale = t.startPoint(bot.Program, ev)
	}
	if stale {
		run.stale = t.conv
		t.conv = nil
		bot, run.running = t.bot, ""
		flow, step, hold, _ = t.startPoint(bot.Program, ev)
	}
	if t.conv == nil {
		t.newConversation()
	}
	run.conv = t.conv
	for switches := 0; ; switches++ {
		part, err := t.runBot(run, bot, flow, step, hold, ev)
		if err != nil {
			return nil, err
		}
		to := part.res.SwitchBot
		var next *Bot
		if to != nil {
			if next, err = t.switchTarget(bot, to, switches, part); err != nil {
				return nil, err
			}
		}
		run.parts = append(run.parts, *part)
		if next == nil {
			break
		}
		bot, run.running = next, next.Version.Bot.ID
		if run.running == t.key.BotID {
			run.running = ""
		}
		flow, step = switchStart(next, to, &run.parts[len(run.parts)-1])
		hold, ev = nil, flowTrigger(flow, step)
	}
	if res := run.last(); res.Hold != nil {
		hold, err := json.Marshal(res.Hold)
		if err != nil {
			return nil, fmt.Errorf("encode hold: %w", err)
		}
		run.hold = hold
	}
	return run, nil
}

// runBot runs one bot on its memories (those this turn left, else the
// stored ones).
func (t *turn) runBot(run *botRun, bot *Bot, flow, step string, hold *csml.Hold, ev csml.Event) (*botPart, error) {
	key := t.key
	key.BotID = bot.Version.Bot.ID
	mems, ok := run.after[key]
	if !ok {
		stored, err := t.storedMemories(key)
		if err != nil {
			return nil, fmt.Errorf("load memories: %w", err)
		}
		mems = make(map[string]json.RawMessage, len(stored))
		for _, m := range stored {
			mems[m.Key] = m.Value
		}
		run.before[key] = mems
	}
	metadata, err := t.botMetadata(key.BotID)
	if err != nil {
		return nil, err
	}
	res := bot.Program.Run(t.ctx, csml.Context{
		Flow: flow, Step: step, Memories: mems, Metadata: metadata, Hold: hold, StepLimit: t.e.stepLimit,
		Client: csml.Client{BotID: key.BotID, ChannelID: key.ChannelID, UserID: key.UserID},
	}, ev, t.csmlHost())
	run.after[key] = res.Current
	return &botPart{res: res}, nil
}

// storedMemories reads the memories kept under key, unless the turn read
// them with its client's state.
func (t *turn) storedMemories(key switchboard.ClientKey) ([]switchboard.Memory, error) {
	if t.read != nil && key == t.key {
		return t.read.Memories, nil
	}
	return t.tx.Memories(t.ctx, key)
}

// applyBotTurn stores a bot turn: the incoming message, the replies, the
// memories that changed and the conversation.
func (t *turn) applyBotTurn(run *botRun, reply *Reply) error {
	if run.stale != nil {
		run.stale.Status, run.stale.UpdatedAt = switchboard.ConversationClosed, t.now
		if err := t.tx.PutConversation(t.ctx, run.stale); err != nil {
			return fmt.Errorf("close stale conversation: %w", err)
		}
	}
	t.conv = run.conv
	in, res := run.in, run.last()
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: in.payload, RequestID: in.requestID}
	if in.system {
		recv.Sender = switchboard.Sender{Kind: switchboard.SenderSystem}
	}
	msgs := []*switchboard.Message{recv}
	for _, part := range run.parts {
		for _, m := range append(part.res.Messages, part.added...) {
			msgs = append(msgs, &switchboard.Message{
				Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderBot},
				Payload: switchboard.Payload{ContentType: m.ContentType, Content: m.Content}, RequestID: in.requestID,
			})
		}
	}
	if err := t.addMessage(msgs...); err != nil {
		return err
	}
	if reply != nil {
		if !in.system {
			reply.Received = recv
		}
		for _, m := range msgs[1:] {
			reply.Messages = append(reply.Messages, *m)
		}
	}
	for key, before := range run.before {
		if err := t.saveMemories(key, before, run.after[key]); err != nil {
			return err
		}
	}
	t.conv.FlowID, t.conv.StepID, t.conv.Hold, t.conv.RunningBot = res.Flow, res.Step, run.hold, run.running
	if res.End {
		t.conv.Status = switchboard.ConversationClosed
	}
	t.conv.LastInteractionAt, t.conv.UpdatedAt = t.now, t.now
	if err := t.tx.PutConversation(t.ctx, t.conv); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	t.convDirty = false
	if reply != nil {
		reply.ConversationEnd = res.End
	}
	if res.End {
		t.conv = nil // the next turn starts a new conversation
	}
	return nil
}

// decodeHold decodes a stored hold; nil and not ok when it does not decode.
func decodeHold(raw []byte) (*csml.Hold, bool) {
	var h csml.Hold
	if json.Unmarshal(raw, &h) != nil {
		return nil, false
	}
	return &h, true
}

// startPoint chooses where the bot runs, as the reference engine does: a flow
// trigger names its flow (and step); a command starts its flow (for a regex
// event, a command the regex matches); otherwise the
// open conversation continues where it was held; otherwise the default flow
// starts. stale reports an open conversation to close first: its flow no
// longer exists, or a flow trigger asks to close_flows.
func (t *turn) startPoint(prog *csml.Bot, ev csml.Event) (flow, step string, hold *csml.Hold, stale bool) {
	if ev.ContentType == "flow_trigger" {
		var trig struct {
			FlowID     string `json:"flow_id"`
			StepID     string `json:"step_id"`
			CloseFlows bool   `json:"close_flows"`
		}
		_ = json.Unmarshal(ev.Content, &trig) // toEvent checked the shape
		flow, ok := prog.FlowByName(trig.FlowID)
		if !ok {
			flow = prog.DefaultFlow()
		}
		step = "start"
		if trig.StepID != "" {
			step = trig.StepID
		}
		// CSML Studio's close_flows closes the open conversation: the
		// trigger starts a new one.
		return flow, step, nil, trig.CloseFlows && t.conv != nil
	}
	if ev.ContentType == "regex" {
		if f, ok := prog.FlowByRegex(ev.ContentValue); ok {
			return f, "start", nil, false
		}
	} else if f, ok := prog.FlowByCommand(ev.ContentValue); ok {
		return f, "start", nil, false
	}
	if t.conv != nil {
		if f, ok := prog.FlowByName(t.conv.FlowID); ok {
			if t.conv.Hold != nil {
				hold = t.e.holds.Get(t.conv.Hold, decodeHold)
			}
			return f, t.conv.StepID, hold, false
		}
		return prog.DefaultFlow(), "start", nil, true
	}
	return prog.DefaultFlow(), "start", nil, false
}

// csmlHost is the sandbox of a run: the engine's settings, its clock, and
// the bot's log actions in the engine's log, with the client's key (added
// when the bot logs, not on every run).
func (t *turn) csmlHost() csml.Host {
	h := t.e.csml
	h.Now = t.e.clock.Now
	if t.e.smtp != nil {
		h.SMTP = t.smtpHook()
	}
	if h.Log == nil {
		log, ctx, key := t.e.log, t.ctx, t.key
		h.Log = func(level, msg string) {
			log.Log(ctx, slogLevel(level), "bot log: "+msg, "bot_id", key.BotID, "channel_id", key.ChannelID, "user_id", key.UserID)
		}
	}
	return h
}

// slogLevel maps a CSML log level (error, warn, info, debug, trace).
func slogLevel(level string) slog.Level {
	switch level {
	case "error":
		return slog.LevelError
	case "warn":
		return slog.LevelWarn
	case "debug", "trace":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// metadata is _metadata: what the channel told us about the user.
func (t *turn) metadata() json.RawMessage {
	if t.client == nil || len(t.client.Metadata) == 0 {
		return json.RawMessage(`{}`)
	}
	return t.client.Metadata
}

// saveMemories writes what changed between a bot's memories before and
// after a turn, under key (the client's, with the bot's id).
func (t *turn) saveMemories(key switchboard.ClientKey, before, after map[string]json.RawMessage) error {
	for k, v := range after {
		if old, ok := before[k]; ok && bytes.Equal(old, v) {
			continue
		}
		if err := t.tx.PutMemory(t.ctx, key, switchboard.Memory{Key: k, Value: v}); err != nil {
			return fmt.Errorf("save memory %s: %w", k, err)
		}
	}
	var gone []string
	for k := range before {
		if _, ok := after[k]; !ok {
			gone = append(gone, k)
		}
	}
	if len(gone) > 0 {
		if err := t.tx.DeleteMemories(t.ctx, key, gone); err != nil {
			return fmt.Errorf("forget memories: %w", err)
		}
	}
	return nil
}
