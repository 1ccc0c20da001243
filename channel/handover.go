package channel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"switchboard"
	"switchboard/engine"
	"switchboard/livechat"
)

// HandoverProvider is the livechat provider of the sessions of Handover
// channels: it hands the conversation over when a session opens, and
// back when it ends, through the channel's own driver. Its jobs are the
// engine's, written with the session's changes and run in order with the
// messages sent to the user (engine.Config.ChannelPlatforms).
func (l *Layer) HandoverProvider() livechat.Provider { return handoverProvider{l} }

type handoverProvider struct{ l *Layer }

// handover opens the channel of a session's client as a Handover.
func (p handoverProvider) handover(ctx context.Context, s switchboard.Session) (Handover, error) {
	_, conn, err := p.l.openView(ctx, s.Client.ChannelID)
	if err != nil {
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
			return nil, livechat.Permanent(err)
		}
		return nil, err
	}
	h, ok := conn.(Handover)
	if !ok {
		return nil, livechat.Permanent(fmt.Errorf("channel %s cannot hand its conversations to agents", s.Client.ChannelID))
	}
	return h, nil
}

// classified keeps a channel's permanent errors permanent for the engine,
// which reads livechat's mark.
func classified(err error) error {
	if IsPermanent(err) {
		return livechat.Permanent(err)
	}
	return err
}

// Open hands the conversation to the platform's agents; its id is the
// user's.
func (p handoverProvider) Open(ctx context.Context, r livechat.OpenRequest) (string, error) {
	h, err := p.handover(ctx, r.Session)
	if err != nil {
		return "", err
	}
	if err := h.HandOver(ctx, r.Session.Client.UserID, r.Session.Routing); err != nil {
		return "", classified(err)
	}
	return r.Session.Client.UserID, nil
}

// Send does nothing: the user's messages are on the platform already.
func (handoverProvider) Send(context.Context, livechat.SendRequest) error { return nil }

// End gives the conversation back to the bot.
func (p handoverProvider) End(ctx context.Context, r livechat.EndRequest) error {
	h, err := p.handover(ctx, r.Session)
	if err != nil {
		return err
	}
	return classified(h.HandBack(ctx, r.Session.Client.UserID))
}

// Note does nothing: the agents see the conversation itself.
func (handoverProvider) Note(context.Context, livechat.NoteRequest) error { return nil }

// agentMetadata is an ItemAgent's Metadata.
type agentMetadata struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// agentItem runs what the platform's agents did in a user's conversation
// for the user's live session: nothing when none is live (the agents
// answer the user without any session, and the bot stays out).
func (l *Layer) agentItem(ctx context.Context, key switchboard.ClientKey, it Item) error {
	var s *switchboard.Session
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		s, err = tx.FindLiveSession(ctx, key)
		return err
	})
	if err != nil || s == nil {
		return err
	}
	if it.Kind == ItemClosed {
		return l.cfg.Engine.Close(ctx, s.ID, switchboard.EndAgent)
	}
	var text struct {
		Text string `json:"text"`
	}
	var agent agentMetadata
	_ = json.Unmarshal(it.Payload.Content, &text)
	_ = json.Unmarshal(it.Metadata, &agent)
	// The user saw the message on the platform: only the sign-off (the end
	// button) and the values handed back go to the session.
	rest, handback := livechat.Handback(text.Text)
	reply := engine.AgentReply{SessionID: s.ID, DedupID: it.ID, AgentID: agent.ID, AgentName: agent.Name, Handback: handback}
	if _, signedOff := livechat.SignOff(rest); signedOff {
		reply.Text = switchboard.PayloadSessionEnd
	}
	if err := l.cfg.Engine.Reply(ctx, reply); err != nil && !errors.Is(err, engine.ErrSessionOver) {
		return err
	}
	return nil
}

// handOverAtEnd starts a livechat session for a user whose bot ended its
// conversation, on an EndHandover channel that says so. The request id
// derives from the item's, so a retried item starts it once; a retry
// whose first attempt ran the bot (a replay) reads from the store whether
// the conversation ended.
func (l *Layer) handOverAtEnd(ctx context.Context, conn Conn, key switchboard.ClientKey, itemID string, reply *engine.Reply) error {
	eh, ok := conn.(EndHandover)
	if !ok || !eh.HandsOverAtEnd() || reply == nil || reply.Session != nil {
		return nil
	}
	ended := reply.ConversationEnd
	if reply.Duplicate {
		err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
			c, err := tx.FindOpenConversation(ctx, key)
			ended = c == nil
			return err
		})
		if err != nil {
			return err
		}
	}
	if !ended {
		return nil
	}
	content, _ := json.Marshal(map[string]string{"payload": switchboard.PayloadSessionStart})
	_, err := l.cfg.Engine.HandleEvent(ctx, engine.Request{
		Client: key, RequestID: itemID + ":handover", Payload: switchboard.Payload{ContentType: "payload", Content: content}, DeliverReplies: true,
	})
	return err
}
