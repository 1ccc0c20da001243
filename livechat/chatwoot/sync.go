package chatwoot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Sync is the handler of JobSync. It reads the conversation's messages back
// from the API and relays, oldest first, every public message of a human
// agent not relayed yet; the engine drops a message id it has seen, so a
// delivery repeated, late, out of order, or replayed after a restart relays
// nothing twice, and one delivery catches up on any that never came. A
// message whose delivery failed (Chatwoot marked it failed) is marked
// delivered once relayed. When the agent resolved the conversation the
// session then ends, after what the agent wrote before resolving.
//
// A poll's job, like an unsigned call's read-back, is a look, not a duty:
// it fails quietly and the next poll looks again, so that such jobs never
// pile up behind an outage nor hold up the session's other jobs.
func (rc *Receiver) Sync(ctx context.Context, j switchboard.Job) error {
	var p syncPayload
	s, settings, err := rc.cfg.Load(ctx, j, &p)
	if err == nil && s == nil {
		return nil // the session is gone: nobody to relay to
	}
	if err == nil {
		err = rc.sync(ctx, s, settings, p)
	}
	if err != nil && p.lookOnly() {
		rc.cfg.Log.Info("chatwoot: reading the conversation back failed; the next poll looks again", "session", p.SessionID, "event", p.Event, "err", err)
		return nil
	}
	return err
}

func (rc *Receiver) sync(ctx context.Context, s *switchboard.Session, settings livechat.Resolved, p syncPayload) error {
	if s.ExternalID == "" {
		// The job runs after the open job: the conversation never opened,
		// or opened while switchboard gave up on it.
		return rc.orphan(ctx, s, settings, p)
	}
	conv, err := conversationOf(*s)
	if err != nil {
		return err
	}
	if p.ConversationID != 0 && p.ConversationID != conv {
		rc.cfg.Log.Warn("chatwoot: delivery for a conversation that is not the session's; dropped", "session", s.ID, "conversation", p.ConversationID, "session_conversation", conv)
		return nil
	}
	resolved := p.Event == eventResolved
	switch {
	case resolved && !s.Live():
		return nil // over already (switchboard's own resolving comes back too)
	case p.Event == eventPoll && !s.Live() && !rc.endedRecently(s):
		return nil
	case p.Event == eventAssigned && !s.Waiting():
		return nil // claimed or over already
	case p.MessageID != 0 && rc.wasHandled(s.ID, p.MessageID):
		return nil // relayed by an earlier job: no API call spent
	case p.Event == eventPoll && rc.recentlySynced(s.ID):
		return nil
	}
	a, err := accountOf(settings)
	if err != nil {
		return err
	}
	if resolved || p.lookOnly() || p.Event == eventAssigned {
		var cv Conversation
		err := rc.cfg.Client.do(ctx, a, call{Op: "read conversation", Method: http.MethodGet, Path: a.path("/conversations/%d", conv), Out: &cv})
		if driverkit.StatusOf(err) == http.StatusNotFound {
			return nil // deleted: nothing to relay, nothing to resolve
		}
		if err != nil {
			return err
		}
		// The API, not the delivery, says whether it is resolved (it may
		// have been reopened since).
		resolved = cv.Status == "resolved"
		if cv.Meta.Assignee != nil && s.Waiting() {
			// Chatwoot's assignment is the claim.
			if err := rc.cfg.Engine.MarkClaimed(ctx, s.ID, cv.Meta.Assignee.Name); err != nil {
				return err
			}
		}
		if p.Event == eventAssigned && !resolved {
			return nil
		}
		if !resolved && p.lookOnly() && rc.upToDate(s.ID, cv) {
			return nil
		}
	}
	if err := rc.relay(ctx, a, s, conv, settings.Chatwoot.RelayBots); err != nil {
		return err
	}
	if resolved {
		return rc.cfg.Engine.Close(ctx, s.ID, switchboard.EndAgent)
	}
	return nil
}

// lookOnly reports whether the job only looks at the conversation (a
// poll, or an unsigned call's read-back): it trusts no id of a delivery and
// fails quietly.
func (p syncPayload) lookOnly() bool { return p.Event == eventPoll || p.Event == eventRead }

// relay reads the conversation back to the messages already handled and
// hands every agent message not handled yet to the engine, oldest first.
func (rc *Receiver) relay(ctx context.Context, a account, s *switchboard.Session, conv int64, bots bool) error {
	ms, err := rc.cfg.Client.messages(ctx, a, conv, func(m Message) bool { return rc.wasHandled(s.ID, m.ID) })
	if err != nil {
		return err
	}
	last := int64(0)
	for _, m := range ms {
		last = max(last, m.ID)
		if rc.wasHandled(s.ID, m.ID) {
			continue
		}
		if reply, ok := agentReply(s.ID, m, bots); ok {
			if m.ContentType == contentCSAT {
				reply.AfterEnd, reply.Text = true, rc.withSurveyLink(ctx, a, conv, reply.Text)
			}
			if err := rc.cfg.Relay(ctx, reply, idOf(m.ID)); err != nil {
				return err
			}
			if m.Status == "failed" {
				rc.markDelivered(ctx, a, conv, m.ID)
			}
		}
		rc.handled.Put(s.ID+"/"+idOf(m.ID), struct{}{})
	}
	rc.synced.Put(s.ID, syncMark{at: rc.cfg.Clock.Now(), last: last})
	return nil
}

// contentCSAT is the content type of the satisfaction survey Chatwoot
// sends when a conversation is resolved and the inbox has CSAT on
// (CsatSurveyService, MessageTemplates::Template::CsatSurvey: a template
// message, created after the conversation_status_changed webhook). It may
// come after the session ended, and still reaches the user (AfterEnd).
const contentCSAT = "input_csat"

// withSurveyLink adds the survey's page to its question: the REST API
// gives the question alone, and only Chatwoot's own widget shows the
// rating buttons; other channels get the link
// (Conversation#csat_survey_link: {FRONTEND_URL}/survey/responses/{uuid},
// the instance's URL). Without the conversation's uuid the question goes
// alone.
func (rc *Receiver) withSurveyLink(ctx context.Context, a account, conv int64, text string) string {
	var cv Conversation
	err := rc.cfg.Client.do(ctx, a, call{Op: "read conversation", Method: http.MethodGet, Path: a.path("/conversations/%d", conv), Out: &cv})
	if err != nil || cv.UUID == "" {
		rc.cfg.Log.Info("chatwoot: the survey goes without its link", "conversation", conv, "err", err)
		return text
	}
	return strings.TrimSpace(text + "\n" + a.base + "/survey/responses/" + url.PathEscape(cv.UUID))
}

// markDelivered tells Chatwoot that a message it marked failed (its webhook
// was not answered) reached the user after all, so the agent's failed
// bubble turns delivered. It is a courtesy: failing it loses nothing.
func (rc *Receiver) markDelivered(ctx context.Context, a account, conv, id int64) {
	err := rc.cfg.Client.do(ctx, a, call{Op: "mark message delivered", Method: http.MethodPatch,
		Path: a.path("/conversations/%d/messages/%d", conv, id), Body: map[string]string{"status": "delivered"}})
	if err != nil {
		rc.cfg.Log.Info("chatwoot: could not mark a recovered message delivered", "conversation", conv, "message", id, "err", err)
	}
}

// recentlySynced reports whether the session's conversation was read less
// than half a poll period ago (a delivery's job did it): the poll need not.
func (rc *Receiver) recentlySynced(sessionID string) bool {
	m, ok := rc.synced.Get(sessionID)
	return ok && rc.cfg.Clock.Now().Sub(m.at) < rc.cfg.PollEvery/2
}

// upToDate reports whether the conversation's newest message was seen by
// the last read: nothing new to relay.
func (rc *Receiver) upToDate(sessionID string, cv Conversation) bool {
	m, ok := rc.synced.Get(sessionID)
	if len(cv.Messages) == 0 {
		return true
	}
	return ok && cv.Messages[len(cv.Messages)-1].ID <= m.last
}

// orphan handles an agent's message on a conversation switchboard gave up
// opening (an attempt made it but its answer was lost, and the open timeout
// passed): the user is back with the bot, so the agent is told once, on
// that conversation, that it is over. The conversation is recognised by its
// session attribute, read from the API, never by the delivery's word.
func (rc *Receiver) orphan(ctx context.Context, s *switchboard.Session, settings livechat.Resolved, p syncPayload) error {
	if s.Live() || p.Event != eventMessageCreated || p.ConversationID == 0 {
		return nil
	}
	a, err := accountOf(settings)
	if err != nil {
		return err
	}
	var cv Conversation
	err = rc.cfg.Client.do(ctx, a, call{Op: "read conversation", Method: http.MethodGet, Path: a.path("/conversations/%d", p.ConversationID), Out: &cv})
	if driverkit.StatusOf(err) == http.StatusNotFound || err == nil && cv.AdditionalAttributes[sessionAttr] != s.ID {
		return nil
	}
	if err != nil {
		return err
	}
	ms, err := rc.cfg.Client.messages(ctx, a, p.ConversationID, nil)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == p.MessageID && relayed(m, settings.Chatwoot.RelayBots) {
			return rc.cfg.Client.post(ctx, a, p.ConversationID, note(driverkit.OrphanNote, driverkit.OrphanRef(s.ID)), "post note", true)
		}
	}
	return nil
}

// endedRecently reports whether an ended session ended in the last two
// poll periods: its conversation is still polled, so that an agent's
// message written just before the end, whose webhook was lost (Chatwoot
// calls once), reaches the user (the engine delivers what was written
// before the end).
func (rc *Receiver) endedRecently(s *switchboard.Session) bool {
	return s.EndedAt != nil && rc.cfg.Clock.Now().Sub(*s.EndedAt) < 2*rc.cfg.PollEvery
}

// Poll is the handler of TimerPoll: it enqueues a poll job for the
// conversation of every Chatwoot session live or ended in the last two
// periods (endedRecently) and not read in the last half period, and sets
// itself again, in one transaction. One timer serves every bot, and is
// fired by one instance.
func (rc *Receiver) Poll(ctx context.Context, t switchboard.Timer) error {
	err := rc.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		now := rc.cfg.Clock.Now()
		live, err := tx.ListSessions(ctx, switchboard.SessionFilter{Platform: livechat.PlatformChatwoot, EndedAfter: now.Add(-2 * rc.cfg.PollEvery)})
		if err != nil {
			return fmt.Errorf("list chatwoot sessions: %w", err)
		}
		for _, s := range live {
			// A conversation a delivery's job just read needs no poll.
			if s.Platform == livechat.PlatformChatwoot && s.ExternalID != "" && !rc.recentlySynced(s.ID) {
				if err := driverkit.Enqueue(ctx, tx, syncJob(syncPayload{SessionID: s.ID, Event: eventPoll}), now); err != nil {
					return err
				}
			}
		}
		return rc.cfg.ArmIn(ctx, tx, TimerPoll, rc.cfg.PollEvery)
	})
	if err == nil && rc.cfg.Notifier != nil {
		rc.cfg.Notifier.Notify(switchboard.TopicJobs)
	}
	return err
}

// Arm sets the poll timer one period from now (at start: the timer is
// durable, so this only moves it).
func (rc *Receiver) Arm(ctx context.Context) error {
	return rc.cfg.Arm(ctx, TimerPoll, rc.cfg.PollEvery)
}
