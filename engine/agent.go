package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// AgentReply is a message an agent wrote on a platform, for the user.
type AgentReply struct {
	SessionID string
	// DedupID is the platform's id of the message; a second delivery of the
	// same id is dropped. Empty means no deduplication (the desk sends once).
	DedupID   string
	AgentID   string
	AgentName string
	Text      string
	// Attachments are files the agent sent, delivered after the text.
	Attachments []livechat.Attachment
	// Handback are values for the bot's END event (event.handback), as the
	// desk's sign-off fields give them; platforms give them as
	// "#handback key=value" lines of Text (livechat.Handback).
	Handback map[string]string
	// AfterEnd marks a message the platform itself sends because the
	// session's ticket was closed (Chatwoot's satisfaction survey when a
	// conversation is resolved). It reaches the user when it comes within
	// AfterEndWindow of the end, without opening the session again, and it
	// never makes the "this conversation is over" note: no agent wrote it.
	AfterEnd bool
	// WrittenAt is when the agent wrote the message, by the platform's
	// clock; zero when the platform does not say. A message written while
	// the session was live is delivered even when it is relayed after the
	// session's deadline or end (an instance died holding its relay job, the
	// platform's webhook came late): it was written in time, and a customer
	// never loses what an agent told them in time.
	WrittenAt time.Time
}

// writtenBefore reports whether the platform dates the message before t.
func (r AgentReply) writtenBefore(t time.Time) bool {
	return !r.WrittenAt.IsZero() && r.WrittenAt.Before(t)
}

// AfterEndWindow is how long after a session ended the platform's own
// closing messages (AgentReply.AfterEnd) still reach the user.
const AfterEndWindow = 10 * time.Minute

// withSession runs fn in a transaction that holds the session's client, with
// the session read inside it. The bot is the one the session's client talks to.
func (e *Engine) withSession(ctx context.Context, sessionID string, fn func(t *turn, s *switchboard.Session) error) error {
	key, err := e.sessionKeys.of(ctx, e.store, sessionID)
	if err != nil {
		return err
	}
	bot, ok := e.bots.Get(key.BotID)
	if !ok {
		return switchboard.Errorf(switchboard.ENOTFOUND, "bot %q of session %s is not loaded", key.BotID, sessionID)
	}
	return e.update(ctx, key, bot, func(t *turn) error {
		s, err := t.tx.Session(ctx, sessionID)
		if err != nil {
			return err
		}
		if err := t.loadClient(nil, ""); err != nil {
			return err
		}
		return fn(t, s)
	})
}

// ErrSessionOver is returned for an agent message on a session that has
// ended; the agent is told on the ticket.
var ErrSessionOver = switchboard.Errorf(switchboard.EGONE, "the livechat session is over: the message was not delivered")

// Reply delivers an agent's message to the user. The sign-off token turns into
// the end question; a message on an ended session is not delivered and the
// agent gets a note saying the conversation is over.
func (e *Engine) Reply(ctx context.Context, r AgentReply) error {
	over := false
	err := e.withSession(ctx, r.SessionID, func(t *turn, s *switchboard.Session) error {
		if r.DedupID != "" {
			fresh, err := t.tx.MarkSeen(t.ctx, "agent:"+s.ID, r.DedupID, t.now)
			if err != nil {
				return fmt.Errorf("dedup agent message: %w", err)
			}
			if !fresh {
				return nil
			}
		}
		// A message written before the deadline is the agent's activity in
		// time: it is delivered and keeps the session going.
		if s.Live() && !t.now.Before(s.Deadline()) && !r.writtenBefore(s.Deadline()) {
			if err := t.expire(s); err != nil {
				return err
			}
		}
		if !s.Live() {
			if r.AfterEnd && s.EndedAt != nil && t.now.Sub(*s.EndedAt) <= AfterEndWindow {
				return t.deliverAfterEnd(s, r, r.Text)
			}
			if r.writtenBefore(liveUntil(s)) {
				// Written while the session was live, relayed late: the
				// user gets it; a sign-off in it has nothing left to end.
				text, _ := livechat.Handback(r.Text)
				text, _ = livechat.SignOff(text)
				return t.deliverAfterEnd(s, r, text)
			}
			over = true
			if r.AfterEnd || s.ExternalID == "" || !t.throughOutbox(s) {
				return nil
			}
			return t.enqueue(JobNote, jobPayload{SessionID: s.ID, Note: "This conversation is over: the user did not receive your last message."})
		}
		return t.deliverAgentMessage(s, r)
	})
	if err == nil && over {
		return ErrSessionOver
	}
	return err
}

// liveUntil is when an ended session stopped taking agents' messages: its
// deadline when it expired (the expiry may be processed later), else its
// end.
func liveUntil(s *switchboard.Session) time.Time {
	if s.EndReason == switchboard.EndExpired || s.EndedAt == nil {
		return s.Deadline()
	}
	return *s.EndedAt
}

// deliverAgentMessage stores an agent's text, attachments and, when the text
// signed off, the end question; and counts it as activity.
func (t *turn) deliverAgentMessage(s *switchboard.Session, r AgentReply) error {
	cfg, err := t.settings()
	if err != nil {
		return err
	}
	if err := t.openConversation(); err != nil {
		return err
	}
	listed := deskEntryOf(s)
	text, handback := livechat.Handback(r.Text)
	if err := t.keepHandback(s, handback); err != nil {
		return err
	}
	if err := t.keepHandback(s, r.Handback); err != nil {
		return err
	}
	text, signedOff := livechat.SignOff(text)
	if err := t.addAgentMessages(s, r, text); err != nil {
		return err
	}
	if signedOff {
		if err := t.addMessage(&switchboard.Message{
			Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderSystem},
			Payload: livechat.EndQuestion(cfg.EndMessage, cfg.EndButtonLabel), SessionID: s.ID,
		}); err != nil {
			return err
		}
	}
	now := t.now
	s.LastActivityAt = now
	first := s.FirstReplyAt == nil
	if first {
		s.FirstReplyAt = &now
	}
	if r.AgentName != "" {
		s.AgentName = r.AgentName
	}
	if r.AgentID != "" && s.AgentID == "" {
		s.AgentID = r.AgentID
	}
	// An agent who answers has taken the session, whatever the platform
	// said before.
	if err := t.claimed(s); err != nil {
		return err
	}
	if first {
		t.firstResponse(s)
	}
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("update livechat session: %w", err)
	}
	// The agent's message ends "typing" before the pages are woken for it.
	t.e.typing.set(t.key, false, t.now, typingFor)
	t.notifyDeskSince(s, listed)
	t.fx.notify(switchboard.TopicClient(t.key))
	return nil
}

// deliverAfterEnd stores, for the user, a message of an ended session: the
// platform's closing message, or an agent's message written before the end
// and relayed after it. The session does not change: it is over.
func (t *turn) deliverAfterEnd(s *switchboard.Session, r AgentReply, text string) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	return t.addAgentMessages(s, r, text)
}

// addAgentMessages stores an agent's text, then its files, for the user.
func (t *turn) addAgentMessages(s *switchboard.Session, r AgentReply, text string) error {
	sender := switchboard.Sender{Kind: switchboard.SenderAgent, Name: r.AgentName}
	var out []switchboard.Payload
	if text != "" {
		out = append(out, livechat.TextPayload(text))
	}
	for _, a := range r.Attachments {
		out = append(out, attachmentPayload(a))
	}
	for _, p := range out {
		if err := t.addMessage(&switchboard.Message{Direction: switchboard.DirectionSend, Sender: sender, Payload: p, SessionID: s.ID}); err != nil {
			return err
		}
	}
	return nil
}

// attachmentPayload renders a file as the CSML component of its kind, with
// its name and type when the platform gave them.
func attachmentPayload(a livechat.Attachment) switchboard.Payload {
	c := map[string]string{"url": a.URL}
	if a.Name != "" {
		c["name"] = a.Name
	}
	if a.ContentType != "" {
		c["mime_type"] = a.ContentType
	}
	content, _ := json.Marshal(c)
	return switchboard.Payload{ContentType: switchboard.AttachmentKind(a.ContentType), Content: content}
}

// Claim assigns a waiting session to an agent. A session claimed by someone
// else is ECONFLICT; claiming one's own session again is fine.
func (e *Engine) Claim(ctx context.Context, sessionID, agentID, agentName string) error {
	return e.withSession(ctx, sessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Live() {
			return switchboard.Errorf(switchboard.EGONE, "the session has ended")
		}
		if s.AgentID != "" && s.AgentID != agentID {
			return switchboard.Errorf(switchboard.ECONFLICT, "the session is already taken by %s", s.AgentName)
		}
		if s.AgentID == agentID && s.AgentName == agentName {
			return nil // claimed already: nothing changes, nobody needs waking
		}
		s.AgentID, s.AgentName = agentID, agentName
		return t.saveClaim(s)
	})
}

// Activate records that the platform confirmed the session's ticket.
func (t *turn) activate(s *switchboard.Session, externalID string) error {
	s.ExternalID = externalID
	if s.State == switchboard.SessionPending {
		now := t.now
		s.State, s.ActivatedAt = switchboard.SessionActive, &now
	}
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("activate session: %w", err)
	}
	t.sessionActivated(s)
	t.notifyDesk(s)
	t.fx.notify(switchboard.TopicClient(t.key))
	return nil
}

// Close ends a session from the platform or an administrator, and hands the
// user back to the bot with LIVECHAT_SESSION_END and event.reason. An agent
// closing the ticket is ignored when the bot's settings say so.
func (e *Engine) Close(ctx context.Context, sessionID string, reason switchboard.EndReason) error {
	return e.withSession(ctx, sessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Live() {
			return nil
		}
		cfg, err := t.settings()
		if err != nil {
			return err
		}
		if reason == switchboard.EndAgent && cfg.OnAgentClose == livechat.OnAgentCloseIgnore {
			return nil
		}
		note := "The conversation was ended by an administrator."
		if reason == switchboard.EndAgent {
			note = "The agent closed the conversation."
		}
		if err := t.endSession(s, reason, note, ""); err != nil {
			return err
		}
		ev, p, err := t.endEvent(s, switchboard.PayloadSessionEnd, string(reason))
		if err != nil {
			return err
		}
		if err := t.botTurn(inbound{system: true, payload: p}, ev, nil); err != nil {
			return err
		}
		return t.askSurvey(s, "", nil)
	})
}

// expireTimer ends a session whose deadline has passed (the timer's handler).
// Firing early, twice, or on an ended session changes nothing but the timer.
func (e *Engine) expireTimer(ctx context.Context, sessionID string) error {
	return e.withSession(ctx, sessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Live() {
			return t.tx.DeleteTimer(t.ctx, expiryKeyPrefix+s.ID)
		}
		if t.now.Before(s.Deadline()) {
			return t.setExpiry(s) // activity moved the deadline
		}
		return t.expire(s)
	})
}
