package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"switchboard"
	"switchboard/livechat"
	"switchboard/outbox"
	"switchboard/timers"
)

// JobHandlers are the outbox handlers of the livechat jobs the engine writes.
func (e *Engine) JobHandlers() map[string]outbox.Handler {
	return map[string]outbox.Handler{
		JobOpen:  e.runOpen,
		JobSend:  e.runSend,
		JobEnd:   e.runEnd,
		JobNote:  e.runNote,
		JobQueue: e.runQueue,
	}
}

// TimerHandlers are the handlers of the timers the engine sets.
func (e *Engine) TimerHandlers() map[string]timers.Handler {
	return map[string]timers.Handler{
		TimerExpiry:    e.sessionTimer(e.expireTimer),
		TimerWaitLimit: e.sessionTimer(e.waitLimitTimer),
	}
}

// sessionTimer is the handler of a timer of one session, which fire calls
// with the session's id.
func (e *Engine) sessionTimer(fire func(ctx context.Context, sessionID string) error) timers.Handler {
	return func(ctx context.Context, t switchboard.Timer) error {
		var p jobPayload
		if err := json.Unmarshal(t.Payload, &p); err != nil {
			return fmt.Errorf("decode timer %s: %w", t.Key, err)
		}
		err := fire(ctx, p.SessionID)
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
			// The session or its bot is gone: the timer will never matter.
			return e.store.Update(ctx, func(tx switchboard.Tx) error { return tx.DeleteTimer(ctx, t.Key) })
		}
		return err
	}
}

// jobContext is what a livechat job needs: its session, its provider and the
// bot's settings (the platform's credentials).
type jobContext struct {
	p        jobPayload
	session  *switchboard.Session
	provider livechat.Provider
	bot      *Bot
	settings livechat.Resolved
}

// loadJob reads a job's session and finds the driver of its platform.
func (e *Engine) loadJob(ctx context.Context, j switchboard.Job) (*jobContext, error) {
	jc := &jobContext{}
	if err := json.Unmarshal(j.Payload, &jc.p); err != nil {
		return nil, livechat.Permanent(fmt.Errorf("decode job: %w", err))
	}
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if jc.session, err = tx.Session(ctx, jc.p.SessionID); err != nil {
			return err
		}
		s, err := livechat.LoadSettings(ctx, tx, e.sealer, jc.session.Client.BotID)
		jc.settings = s.Resolve()
		return err
	})
	if err != nil {
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
			return nil, livechat.Permanent(err)
		}
		return nil, err
	}
	var ok bool
	if jc.provider, ok = e.providers[jc.session.Platform]; !ok {
		return nil, livechat.Permanent(fmt.Errorf("no driver for livechat platform %q", jc.session.Platform))
	}
	if jc.bot, ok = e.bots.Get(jc.session.Client.BotID); !ok {
		return nil, livechat.Permanent(fmt.Errorf("bot %q is not loaded", jc.session.Client.BotID))
	}
	return jc, nil
}

// runOpen opens the session's ticket. A permanent failure, or a platform still
// failing after the open timeout, ends the session with an error and hands the
// user back to the bot with LIVECHAT_SESSION_ERROR.
func (e *Engine) runOpen(ctx context.Context, j switchboard.Job) error {
	jc, err := e.loadJob(ctx, j)
	if err != nil {
		return err
	}
	s := jc.session
	if !s.Live() || s.ExternalID != "" {
		return nil // ended before its ticket opened, or already opened
	}
	req := livechat.OpenRequest{Session: *s, Attempt: j.Attempts, BotName: jc.bot.Version.Bot.Name, Metadata: s.Metadata, Settings: jc.settings}
	err = e.store.View(ctx, func(tx switchboard.Tx) error {
		if ch, err := tx.Channel(ctx, s.Client.ChannelID); err == nil {
			req.Channel = ch.Type
		}
		var err error
		if n := jc.settings.TranscriptLength; n > 0 {
			req.Transcript, err = tx.LastMessages(ctx, s.Client, jc.p.MessageID, n)
		}
		return err
	})
	if err != nil {
		return err
	}
	externalID, openErr := jc.provider.Open(ctx, req)
	giveUp := livechat.IsPermanent(openErr) || openErr != nil && !e.clock.Now().Before(s.CreatedAt.Add(req.Settings.OpenTimeout))
	if openErr != nil && !giveUp {
		return openErr
	}
	return e.withSession(ctx, s.ID, func(t *turn, s *switchboard.Session) error {
		if openErr == nil {
			return t.activate(s, externalID)
		}
		if !s.Live() {
			return nil
		}
		reason := livechat.ReasonOf(openErr)
		e.log.WarnContext(ctx, "livechat: could not open a ticket", "session", s.ID, "platform", s.Platform, "reason", reason, "err", openErr)
		return t.failSession(s, reason, errorSummary(openErr), "", nil)
	})
}

// runSend relays one user message to the session's ticket.
func (e *Engine) runSend(ctx context.Context, j switchboard.Job) error {
	jc, err := e.loadJob(ctx, j)
	if err != nil {
		return err
	}
	s := jc.session
	if s.ExternalID == "" {
		if !s.Live() {
			return nil // the ticket never opened; the message stays in the history
		}
		return errors.New("the session's ticket is not open yet")
	}
	var m *switchboard.Message
	err = e.store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		m, err = tx.Message(ctx, jc.p.MessageID)
		return err
	})
	if err != nil {
		return err
	}
	text, att := userMessageText(m.Payload)
	file, err := e.loadAttachment(ctx, s.Client, att)
	if err != nil {
		return err
	}
	return jc.provider.Send(ctx, livechat.SendRequest{Session: *s, Attempt: j.Attempts, Message: *m, Text: text, Attachment: att, File: file, Settings: jc.settings})
}

// runEnd tells the platform that the session ended.
func (e *Engine) runEnd(ctx context.Context, j switchboard.Job) error {
	jc, err := e.loadJob(ctx, j)
	if err != nil {
		return err
	}
	if jc.session.ExternalID == "" {
		return nil
	}
	return jc.provider.End(ctx, livechat.EndRequest{Session: *jc.session, Attempt: j.Attempts, Note: jc.p.Note, Close: jc.p.Close, Settings: jc.settings})
}

// runNote posts an internal note on the session's ticket.
func (e *Engine) runNote(ctx context.Context, j switchboard.Job) error {
	jc, err := e.loadJob(ctx, j)
	if err != nil {
		return err
	}
	if jc.session.ExternalID == "" {
		return nil
	}
	return jc.provider.Note(ctx, livechat.NoteRequest{Session: *jc.session, Attempt: j.Attempts, Ref: strconv.FormatInt(j.ID, 10), Text: jc.p.Note, Settings: jc.settings})
}

// userMessageText renders a user's event for an agent: the text, a button's
// title (its payload when no title is known), or a file as an attachment with
// its link as text.
func userMessageText(p switchboard.Payload) (string, *livechat.Attachment) {
	var c map[string]any
	_ = json.Unmarshal(p.Content, &c)
	str := func(k string) string { s, _ := c[k].(string); return s }
	switch p.ContentType {
	case "text":
		return str("text"), nil
	case "payload":
		if t := str("title"); t != "" {
			return t, nil
		}
		return str("payload"), nil
	case "image", "video", "audio", "file":
		return str("url"), &livechat.Attachment{URL: str("url"), Name: str("name"), ContentType: str("mime_type")}
	case "url":
		return str("url"), nil
	default:
		return string(p.Content), nil
	}
}

// errorSummary keeps the first line of an error, short enough for a bot.
func errorSummary(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' || i >= 200 {
			return s[:i]
		}
	}
	return s
}
