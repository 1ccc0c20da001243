package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// Job and timer kinds the engine writes and handles.
const (
	JobOpen         = "livechat.open"
	JobSend         = "livechat.send"
	JobEnd          = "livechat.end"
	JobNote         = "livechat.note"
	TimerExpiry     = "livechat.expiry"
	expiryKeyPrefix = "livechat.expiry:"
)

// jobPayload is the payload of every livechat job.
type jobPayload struct {
	SessionID string `json:"session_id"`
	// MessageID is the user message to relay (send) or the start message,
	// before which the transcript is taken (open).
	MessageID int64  `json:"message_id,omitempty"`
	Note      string `json:"note,omitempty"`
	Close     bool   `json:"close,omitempty"`
}

// settings reads the bot's livechat settings.
func (t *turn) settings() (livechat.Resolved, error) {
	return readSettings(t, t.bot.Version.Bot.ID)
}

func readSettings(t *turn, botID string) (livechat.Resolved, error) {
	s, err := livechat.LoadSettings(t.ctx, t.tx, t.e.sealer, botID)
	return s.Resolve(), err
}

// liveSession returns the client's live session, first expiring it when its
// deadline has passed: a message that arrives after the deadline goes to the
// bot, after the expiry turn.
func (t *turn) liveSession() (*switchboard.Session, error) {
	s, err := t.tx.FindLiveSession(t.ctx, t.key)
	if err != nil {
		return nil, fmt.Errorf("load livechat session: %w", err)
	}
	if s == nil || t.now.Before(s.Deadline()) {
		return s, nil
	}
	return nil, t.expire(s)
}

// handBackGrace is how long after a session ended a user's event the
// platform still marks as its agents' (SessionOnly) goes to the bot: the
// platform has not yet applied the hand-back (a Chatwoot conversation is
// toggled back to pending by a job that may lag behind under load or an
// outage), and the user, back with the bot, must not lose it.
const handBackGrace = 2 * time.Minute

// handedBackRecently reports whether the client's last livechat session
// ended within handBackGrace.
func (t *turn) handedBackRecently() (bool, error) {
	last, err := t.tx.ListSessions(t.ctx, switchboard.SessionFilter{Client: &t.key, Limit: 1})
	if err != nil {
		return false, fmt.Errorf("load the last livechat session: %w", err)
	}
	return len(last) == 1 && last[0].EndedAt != nil && t.now.Sub(*last[0].EndedAt) < handBackGrace, nil
}

// enqueue writes an outbox job for a session, in order with its other
// jobs: those of the session, or for a client of a channel that holds its
// sessions itself (Config.ChannelPlatforms), every job of the client's
// conversation, the messages sent to it included.
func (t *turn) enqueue(kind string, p jobPayload) error {
	raw, _ := json.Marshal(p)
	key := "session:" + p.SessionID
	if _, ok, err := t.channelPlatform(); err != nil {
		return err
	} else if ok {
		key = ChannelSendKey(t.key)
	}
	if err := t.tx.EnqueueJob(t.ctx, &switchboard.Job{Kind: kind, Key: key, Payload: raw, RunAt: t.now, CreatedAt: t.now}); err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	t.fx.notify(switchboard.TopicJobs)
	return nil
}

// channelPlatform is the livechat platform of the client's channel when
// that channel holds its sessions itself (Config.ChannelPlatforms).
func (t *turn) channelPlatform() (string, bool, error) {
	if len(t.e.channelPlatforms) == 0 {
		return "", false, nil
	}
	ct, err := t.channelType()
	if err != nil {
		return "", false, err
	}
	p, ok := t.e.channelPlatforms[ct]
	return p, ok, nil
}

// throughOutbox reports whether s's platform needs outbox jobs to learn of its
// messages, end and notes: every platform but those that read the store.
func (t *turn) throughOutbox(s *switchboard.Session) bool {
	return !t.e.inStore(s)
}

// inStore reports whether s's platform reads the store (the desk).
func (e *Engine) inStore(s *switchboard.Session) bool {
	_, ok := e.providers[s.Platform].(livechat.InStore)
	return ok
}

// notifyDesk wakes the desk pages for a change of s, a session of a
// platform whose agents read the store (the desk's pages list no other).
func (t *turn) notifyDesk(s *switchboard.Session) {
	if !t.throughOutbox(s) {
		t.fx.notify(switchboard.TopicDeskSession(s.ID))
	}
}

// notifyDeskSince wakes the desk pages for a change of s that began when its
// list entry was before: the lists too if the entry changed, else only the
// pages that have its conversation open (an agent's message changes what
// the conversation shows, not what the list does).
func (t *turn) notifyDeskSince(s *switchboard.Session, before deskEntry) {
	if deskEntryOf(s) != before {
		t.notifyDesk(s)
	} else if !t.throughOutbox(s) {
		t.fx.notify(switchboard.TopicDeskConversation(s.ID))
	}
}

// deskEntry is what the desk's session list shows of a session, less the
// customer's last message and the times it counts from its creation.
type deskEntry struct {
	state                                    switchboard.SessionState
	agentID, agentName, team, priority, note string
	tags                                     string
	claimed                                  bool
	queuePosition                            int
}

func deskEntryOf(s *switchboard.Session) deskEntry {
	return deskEntry{
		state: s.State, agentID: s.AgentID, agentName: s.AgentName, team: s.Team, priority: s.Priority, note: s.Note,
		tags: strings.Join(s.Tags, "\x00"), claimed: s.ClaimedAt != nil, queuePosition: s.QueuePosition,
	}
}

// setExpiry arms the session's expiry timer at its deadline.
func (t *turn) setExpiry(s *switchboard.Session) error {
	raw, _ := json.Marshal(jobPayload{SessionID: s.ID})
	if err := t.tx.SetTimer(t.ctx, &switchboard.Timer{Key: expiryKeyPrefix + s.ID, Kind: TimerExpiry, Payload: raw, DueAt: s.Deadline()}); err != nil {
		return fmt.Errorf("set expiry timer: %w", err)
	}
	t.fx.notify(switchboard.TopicTimers)
	return nil
}

// startSession opens a livechat session: the bot does not run; the ticket is
// opened by the outbox; the user gets the connecting message.
func (t *turn) startSession(req Request, reply *Reply) error {
	cfg, err := t.settings()
	if err != nil {
		return err
	}
	if p, ok, err := t.channelPlatform(); err != nil {
		return err
	} else if ok {
		cfg.Platform = p
	}
	av, err := t.availability(t.key.BotID, cfg.Platform, cfg.Availability)
	if err != nil {
		return err
	}
	offline := !av.available && cfg.Availability.When() == livechat.UnavailableTicket
	if !av.available && cfg.Availability.When() == livechat.UnavailableRefuse {
		return t.refuseSession(req, av, reply)
	}
	routing, err := t.routing()
	if err != nil {
		return err
	}
	s := &switchboard.Session{
		ID: newID(), Client: t.key, Platform: cfg.Platform, State: switchboard.SessionPending,
		Metadata: t.metadata(), Timeout: cfg.Timeout, CreatedAt: t.now, LastActivityAt: t.now, Routing: routing,
	}
	if offline {
		s.Timeout = ticketTimeout(t.now, cfg.Timeout, av)
	}
	if err := t.openConversation(); err != nil {
		return err
	}
	if t.conv == nil {
		// A session always moves a conversation, so that a bot turn another
		// process computed without seeing the session fails to save.
		t.newConversation()
	}
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: req.Payload, RequestID: req.RequestID, SessionID: s.ID}
	if err := t.addMessage(recv); err != nil {
		return err
	}
	reply.Received = recv
	if err := t.tx.CreateSession(t.ctx, s); err != nil {
		return fmt.Errorf("create livechat session: %w", err)
	}
	t.sessionStarted(s)
	t.notifyDesk(s)
	if _, ok := t.e.providers[cfg.Platform]; !ok || cfg.Platform == livechat.PlatformNone {
		// Nothing can take the session: it fails at once and the bot offers
		// something else, in the reply to this very request.
		return t.failSession(s, livechat.ReasonNotConfigured, "no livechat platform is configured for this bot", req.RequestID, reply)
	}
	if err := t.enqueue(JobOpen, jobPayload{SessionID: s.ID, MessageID: recv.ID}); err != nil {
		return err
	}
	if err := t.setExpiry(s); err != nil {
		return err
	}
	reply.Session = s
	if offline {
		// An offline ticket waits on the platform for the next opening: it
		// has no place in the queue and no wait limit.
		return t.openTicket(s, cfg, av)
	}
	if err := t.setWaitLimit(s, time.Duration(cfg.Queue.WaitLimit)); err != nil {
		return err
	}
	if err := t.queueChanged(s); err != nil {
		return err
	}
	if cfg.ConnectingMessage != "" {
		if err := t.addMessage(&switchboard.Message{
			Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderSystem},
			Payload: livechat.TextPayload(cfg.ConnectingMessage), SessionID: s.ID,
		}); err != nil {
			return err
		}
	}
	return nil
}

// relay sends a user message to the session's platform, in order.
func (t *turn) relay(s *switchboard.Session, req Request, reply *Reply) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: req.Payload, RequestID: req.RequestID, SessionID: s.ID}
	if err := t.addMessage(recv); err != nil {
		return err
	}
	reply.Received = recv
	s.LastActivityAt = t.now
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("update livechat session: %w", err)
	}
	// The customer's message ends "typing" before the desk is woken for it.
	t.e.customerTyping.set(t.key, false, t.now, customerTypingFor)
	t.notifyDesk(s)
	reply.Session = s
	if !t.throughOutbox(s) {
		return nil
	}
	return t.enqueue(JobSend, jobPayload{SessionID: s.ID, MessageID: recv.ID})
}

// endSession ends a live session and tells its platform, in order after the
// jobs already queued for it. It does not run the bot; callers do.
func (t *turn) endSession(s *switchboard.Session, reason switchboard.EndReason, note, errText string) error {
	cfg, err := readSettings(t, s.Client.BotID)
	if err != nil {
		return err
	}
	now := t.now
	wasWaiting := s.Waiting()
	s.State, s.EndReason, s.EndedAt, s.Error = switchboard.SessionEnded, reason, &now, errText
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("end livechat session: %w", err)
	}
	t.sessionEnded(s)
	t.queueEnded(s, wasWaiting)
	if err := t.tx.DeleteTimer(t.ctx, expiryKeyPrefix+s.ID); err != nil {
		return fmt.Errorf("clear expiry timer: %w", err)
	}
	if err := t.tx.DeleteTimer(t.ctx, waitLimitKeyPrefix+s.ID); err != nil {
		return fmt.Errorf("clear wait limit timer: %w", err)
	}
	if wasWaiting {
		// Those behind move up.
		if err := t.queueChanged(s); err != nil {
			return err
		}
	}
	t.notifyDesk(s)
	t.fx.notify(switchboard.TopicClient(t.key))
	if reason == switchboard.EndError || !t.throughOutbox(s) {
		return nil // no ticket to tell
	}
	closeTicket := cfg.CloseOnEnd && reason != switchboard.EndAgent
	return t.enqueue(JobEnd, jobPayload{SessionID: s.ID, Note: note, Close: closeTicket})
}

// expire ends a session whose deadline passed and runs the bot on
// LIVECHAT_SESSION_EXPIRED; its replies are delivered asynchronously.
func (t *turn) expire(s *switchboard.Session) error {
	note := fmt.Sprintf("The conversation expired after %s without messages.", s.Timeout)
	if err := t.endSession(s, switchboard.EndExpired, note, ""); err != nil {
		return err
	}
	ev, p, err := t.endEvent(s, switchboard.PayloadSessionExpired, string(switchboard.EndExpired))
	if err != nil {
		return err
	}
	return t.botTurn(inbound{system: true, payload: p}, ev, nil)
}

// failSession ends a session that could not be opened and runs the bot on
// LIVECHAT_SESSION_ERROR with event.reason (the reason's code) and
// event.message (a text the bot may show the user); the detail, which may
// name the platform's answer and the settings, is the session's error
// (the log, the administration) and never reaches the bot. With a request
// id the replies answer that request; without, they are delivered
// asynchronously.
func (t *turn) failSession(s *switchboard.Session, reason livechat.FailureReason, detail, requestID string, reply *Reply) error {
	if err := t.endSession(s, switchboard.EndError, "", livechat.FailureError(reason, detail)); err != nil {
		return err
	}
	t.sessionFailed(s, reason)
	ev, p := payloadEvent(switchboard.PayloadSessionError, map[string]any{"reason": string(reason), "message": reason.CustomerText()})
	if reply != nil {
		reply.Session = nil
	}
	return t.botTurn(inbound{requestID: requestID, system: true, payload: p}, ev, reply)
}
