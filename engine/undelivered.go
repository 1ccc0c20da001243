package engine

import (
	"context"
	"fmt"

	"switchboard"
	"switchboard/livechat"
)

// Undelivered tells the agents that a message for the user could not be
// delivered by the user's channel, and why (a messaging channel whose
// conversation window closed, a platform that refused the message). The
// agents learn it where they work: on the desk, a notice in the session
// that only agents see (a message from switchboard to nobody: it is never
// delivered to the user); on a platform, a note on the ticket, through the
// outbox. A message of a livechat session tells that session; a bot's
// message after a session (the expiry turn) tells the session that just
// ended, if it ended within AfterEndWindow; any other message tells nobody,
// and Undelivered reports false.
func (e *Engine) Undelivered(ctx context.Context, messageID int64, reason string) (told bool, err error) {
	var m *switchboard.Message
	err = e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		m, err = tx.Message(ctx, messageID)
		return err
	})
	if err != nil {
		return false, err
	}
	bot, ok := e.bots.Get(m.Client.BotID)
	if !ok {
		return false, switchboard.Errorf(switchboard.ENOTFOUND, "bot %q is not loaded", m.Client.BotID)
	}
	err = e.update(ctx, m.Client, bot, func(t *turn) error {
		told = false // a retried transaction starts over
		s, err := t.sessionOf(m)
		if err != nil || s == nil {
			return err
		}
		told = true
		text := "The customer did not receive this message: " + reason
		if !t.throughOutbox(s) {
			t.notifyDesk(s)
			if err := t.openConversation(); err != nil {
				return err
			}
			return t.addMessage(&switchboard.Message{
				SessionID: s.ID, Direction: switchboard.DirectionReceive,
				Sender: switchboard.Sender{Kind: switchboard.SenderSystem}, Payload: livechat.TextPayload(text),
			})
		}
		if s.ExternalID == "" {
			told = false
			return nil
		}
		return t.enqueue(JobNote, jobPayload{SessionID: s.ID, Note: text})
	})
	return told, err
}

// sessionOf is the session whose agents answer for a message: its own, or
// for a message outside any session, the client's last session if it
// ended within AfterEndWindow before the message.
func (t *turn) sessionOf(m *switchboard.Message) (*switchboard.Session, error) {
	if m.SessionID != "" {
		s, err := t.tx.Session(t.ctx, m.SessionID)
		if err != nil {
			return nil, fmt.Errorf("load livechat session: %w", err)
		}
		return s, nil
	}
	key := m.Client
	ss, err := t.tx.ListSessions(t.ctx, switchboard.SessionFilter{Client: &key, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("load livechat sessions: %w", err)
	}
	if len(ss) == 0 || ss[0].EndedAt == nil || m.CreatedAt.Sub(*ss[0].EndedAt) > AfterEndWindow {
		return nil, nil
	}
	return &ss[0], nil
}
