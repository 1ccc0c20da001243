package engine

import (
	"time"

	"switchboard"
	"switchboard/livechat"
)

// Metrics is told what monitoring counts (package metrics implements it).
// Its methods are called after the commit of what they count, so a
// transaction that rolls back or runs again counts nothing twice.
type Metrics interface {
	// Event counts one event HandleEvent processed: route is "bot" (the bot
	// answered), "livechat" (it went to an agent: relayed, or a session
	// started), "duplicate" (a retried request) or "error".
	Event(route string, took time.Duration)
	SessionStarted(platform string)
	SessionEnded(platform string, reason switchboard.EndReason)
	// SessionFailed counts a session that could not be opened, by the
	// reason the bot was given (livechat.FailureReason).
	SessionFailed(platform, reason string)
}

// noMetrics counts nothing.
type noMetrics struct{}

func (noMetrics) Event(string, time.Duration)                {}
func (noMetrics) SessionStarted(string)                      {}
func (noMetrics) SessionEnded(string, switchboard.EndReason) {}
func (noMetrics) SessionFailed(string, string)               {}

// observeEvent counts an event HandleEvent processed.
func (e *Engine) observeEvent(reply *Reply, err error, took time.Duration) {
	route := "bot"
	switch {
	case err != nil:
		route = "error"
	case reply.Duplicate:
		route = "duplicate"
	case reply.Received != nil && reply.Received.SessionID != "":
		route = "livechat"
	}
	e.metrics.Event(route, took)
}

// The lifecycle of livechat sessions is logged, with the session id, and
// counted, once its transaction committed.

func (t *turn) sessionStarted(s *switchboard.Session) {
	ctx, e := t.ctx, t.e
	t.fx.after = append(t.fx.after, func() {
		e.log.InfoContext(ctx, "livechat: session started", "session", s.ID, "platform", s.Platform, "bot_id", s.Client.BotID)
		e.metrics.SessionStarted(s.Platform)
	})
}

func (t *turn) sessionActivated(s *switchboard.Session) {
	ctx, e, id, platform, ext := t.ctx, t.e, s.ID, s.Platform, s.ExternalID
	t.fx.after = append(t.fx.after, func() {
		e.log.InfoContext(ctx, "livechat: session active", "session", id, "platform", platform, "external_id", ext)
	})
}

func (t *turn) sessionFailed(s *switchboard.Session, reason livechat.FailureReason) {
	e, platform := t.e, s.Platform
	t.fx.after = append(t.fx.after, func() { e.metrics.SessionFailed(platform, string(reason)) })
}

func (t *turn) sessionEnded(s *switchboard.Session) {
	ctx, e, id, platform, reason, errText := t.ctx, t.e, s.ID, s.Platform, s.EndReason, s.Error
	t.fx.after = append(t.fx.after, func() {
		log := e.log.InfoContext
		if reason == switchboard.EndError {
			log = e.log.WarnContext
		}
		log(ctx, "livechat: session ended", "session", id, "platform", platform, "reason", reason, "error", errText)
		e.metrics.SessionEnded(platform, reason)
	})
}
