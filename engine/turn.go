package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
}

// loadClient reads (or creates) the client, replacing its metadata when given.
func (t *turn) loadClient(metadata json.RawMessage) error {
	c, err := t.tx.FindClient(t.ctx, t.key)
	if err != nil {
		return fmt.Errorf("load client: %w", err)
	}
	if c != nil && (metadata == nil || bytes.Equal(metadata, c.Metadata)) {
		t.client = c
		return nil
	}
	if c == nil {
		c = &switchboard.Client{Key: t.key, Metadata: json.RawMessage(`{}`), CreatedAt: t.now}
	}
	if metadata != nil {
		c.Metadata = metadata
	}
	c.UpdatedAt = t.now
	if err := t.tx.PutClient(t.ctx, c); err != nil {
		return fmt.Errorf("save client: %w", err)
	}
	t.client = c
	return nil
}

// addMessage stores a message of this client and wakes its live connections.
func (t *turn) addMessage(m *switchboard.Message) error {
	m.Client = t.key
	m.CreatedAt = t.now
	if t.conv != nil && m.ConversationID == "" {
		m.ConversationID = t.conv.ID
		m.InteractionOrder = t.conv.InteractionOrder
		t.conv.InteractionOrder++
	}
	if err := t.tx.AddMessage(t.ctx, m); err != nil {
		return fmt.Errorf("store message: %w", err)
	}
	t.fx.notify(switchboard.TopicClient(t.key))
	return nil
}

// openConversation loads the client's open conversation once.
func (t *turn) openConversation() error {
	if t.conv != nil {
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
// its replies and state.
func (t *turn) botTurn(in inbound, ev csml.Event, reply *Reply) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	flow, step, hold, stale := t.startPoint(ev)
	if stale {
		// The conversation's flow is gone from the bot: close it, start afresh.
		t.conv.Status, t.conv.UpdatedAt = switchboard.ConversationClosed, t.now
		if err := t.tx.PutConversation(t.ctx, t.conv); err != nil {
			return fmt.Errorf("close stale conversation: %w", err)
		}
		t.conv = nil
	}
	if t.conv == nil {
		t.conv = &switchboard.Conversation{
			ID: uuid.NewString(), Client: t.key, Status: switchboard.ConversationOpen, CreatedAt: t.now,
		}
	}
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: in.payload, RequestID: in.requestID}
	if in.system {
		recv.Sender = switchboard.Sender{Kind: switchboard.SenderSystem}
	}
	if err := t.addMessage(recv); err != nil {
		return err
	}
	if reply != nil && !in.system {
		reply.Received = recv
	}

	memories, err := t.tx.Memories(t.ctx, t.key)
	if err != nil {
		return fmt.Errorf("load memories: %w", err)
	}
	before := make(map[string]json.RawMessage, len(memories))
	for _, m := range memories {
		before[m.Key] = m.Value
	}
	res := t.bot.Program.Run(t.ctx, csml.Context{
		Flow: flow, Step: step, Memories: before, Metadata: t.metadata(), Hold: hold, StepLimit: t.e.stepLimit,
	}, ev, csml.Host{Now: t.e.clock.Now})

	for _, m := range res.Messages {
		out := &switchboard.Message{
			Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderBot},
			Payload: switchboard.Payload{ContentType: m.ContentType, Content: m.Content}, RequestID: in.requestID,
		}
		if err := t.addMessage(out); err != nil {
			return err
		}
		if reply != nil {
			reply.Messages = append(reply.Messages, *out)
		}
	}
	if err := t.saveMemories(before, res.Current); err != nil {
		return err
	}
	t.conv.FlowID, t.conv.StepID = res.Flow, res.Step
	t.conv.Hold = nil
	if res.Hold != nil {
		if t.conv.Hold, err = json.Marshal(res.Hold); err != nil {
			return fmt.Errorf("save hold: %w", err)
		}
	}
	if res.End {
		t.conv.Status = switchboard.ConversationClosed
	}
	t.conv.LastInteractionAt, t.conv.UpdatedAt = t.now, t.now
	if err := t.tx.PutConversation(t.ctx, t.conv); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if reply != nil {
		reply.ConversationEnd = res.End
	}
	if res.End {
		t.conv = nil // the next turn starts a new conversation
	}
	return nil
}

// startPoint chooses where the bot runs, as the reference engine does: a flow
// trigger names its flow (and step); a command starts its flow; otherwise the
// open conversation continues where it was held; otherwise the default flow
// starts. stale reports an open conversation whose flow no longer exists.
func (t *turn) startPoint(ev csml.Event) (flow, step string, hold *csml.Hold, stale bool) {
	prog := t.bot.Program
	if ev.ContentType == "flow_trigger" {
		var trig struct {
			FlowID string `json:"flow_id"`
			StepID string `json:"step_id"`
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
		return flow, step, nil, false
	}
	if f, ok := prog.FlowByCommand(ev.ContentValue); ok {
		return f, "start", nil, false
	}
	if t.conv != nil {
		if f, ok := prog.FlowByName(t.conv.FlowID); ok {
			if t.conv.Hold != nil {
				var h csml.Hold
				if json.Unmarshal(t.conv.Hold, &h) == nil {
					hold = &h
				}
			}
			return f, t.conv.StepID, hold, false
		}
		return prog.DefaultFlow(), "start", nil, true
	}
	return prog.DefaultFlow(), "start", nil, false
}

// metadata is _metadata: what the channel told us about the user.
func (t *turn) metadata() json.RawMessage {
	if t.client == nil || len(t.client.Metadata) == 0 {
		return json.RawMessage(`{}`)
	}
	return t.client.Metadata
}

// saveMemories writes what changed between the memories before and after a run.
func (t *turn) saveMemories(before, after map[string]json.RawMessage) error {
	for k, v := range after {
		if old, ok := before[k]; ok && bytes.Equal(old, v) {
			continue
		}
		if err := t.tx.PutMemory(t.ctx, t.key, switchboard.Memory{Key: k, Value: v}); err != nil {
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
		if err := t.tx.DeleteMemories(t.ctx, t.key, gone); err != nil {
			return fmt.Errorf("forget memories: %w", err)
		}
	}
	return nil
}
