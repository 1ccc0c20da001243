package gorgias

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// The poll catches up on agent replies whose delivery never arrived. Gorgias
// calls the HTTP integration once and retries only a timeout: a reply
// written while switchboard was restarting, or while the instance it called
// was killed, is otherwise relayed only when another delivery for the same
// ticket comes, and a user waiting in silence would never get it.
//
// Reading every live ticket would spend Gorgias's small rate limit (40
// requests per 20 seconds for an API key), so the poll reads the account's
// newest messages instead, one page of 100 per request, back to where the
// previous poll stopped: one request per account every PollEvery when
// nothing is missing. A public reply of a human agent on the ticket of a live
// session that the engine has not relayed (its durable dedup mark is
// missing) queues the session's sync job, which reads the ticket and relays
// it in order; a reply whose delivery is merely in flight is left to the
// delivery for pollGrace.

// TimerPoll is the durable timer of the poll; one timer serves every bot and
// is fired by one instance.
const TimerPoll = "gorgias.poll"

// DefaultPollEvery is how often the poll runs.
const DefaultPollEvery = 30 * time.Second

const (
	// pollSetting keeps, in the store, the creation time up to which the
	// previous poll read every account, so that a poll after downtime reads
	// back over all of it.
	pollSetting = "gorgias/poll"
	// pollFirstLookback is how far back a poll reads when none ran before.
	pollFirstLookback = 15 * time.Minute
	// pollOverlap re-reads a little before the mark: Gorgias's clock and
	// ours may differ, and a message may commit after a later one.
	pollOverlap = time.Minute
	// pollGrace leaves the newest replies to their deliveries.
	pollGrace = 10 * time.Second
	// pollMaxPages bounds the requests of one poll per account.
	pollMaxPages = 20
	// eventPoll is the event of a sync job the poll queued.
	eventPoll = "poll"
)

// pollMark is the stored pollSetting.
type pollMark struct {
	Until time.Time `json:"until"`
}

// pollTarget is one account's tickets of sessions live in the poll's time:
// ticket id -> session id.
type pollTarget struct {
	account account
	tickets map[int64]string
}

// Poll is the handler of TimerPoll: it looks for unrelayed agent replies on
// the tickets of sessions live since the last poll, queues their sessions' sync jobs, and sets itself again. An
// account whose listing fails (Gorgias down) is read again from the same mark
// by the next poll.
func (rc *Receiver) Poll(ctx context.Context, _ switchboard.Timer) error {
	now := rc.cfg.Clock.Now()
	targets, from, err := rc.pollTargets(ctx, now)
	if err != nil {
		return err
	}
	until := now.Add(-pollGrace)
	found := map[string]string{} // session id -> ticket id
	complete := true
	for _, tg := range targets {
		if err := rc.pollAccount(ctx, tg, from, until, found); err != nil {
			rc.cfg.Log.Warn("gorgias: poll failed; the next one reads again", "err", err)
			complete = false
		}
	}
	err = rc.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		for sessionID, ticket := range found {
			raw, _ := json.Marshal(syncPayload{SessionID: sessionID, TicketID: ticket, EventType: eventPoll})
			if err := tx.EnqueueJob(ctx, &switchboard.Job{Kind: JobSync, Key: "session:" + sessionID, Payload: raw, RunAt: now, CreatedAt: now}); err != nil {
				return fmt.Errorf("enqueue gorgias sync: %w", err)
			}
		}
		if complete {
			raw, _ := json.Marshal(pollMark{Until: until})
			if err := tx.PutSetting(ctx, pollSetting, raw); err != nil {
				return fmt.Errorf("save gorgias poll mark: %w", err)
			}
		}
		return rc.cfg.ArmIn(ctx, tx, TimerPoll, rc.cfg.PollEvery)
	})
	if err != nil {
		return err
	}
	if len(found) > 0 {
		rc.cfg.Log.Info("gorgias: poll found agent replies never delivered", "sessions", len(found))
		if rc.cfg.Notifier != nil {
			rc.cfg.Notifier.Notify(switchboard.TopicJobs)
		}
	}
	return nil
}

// pollTargets reads where the poll reads from (the previous poll's mark, less
// an overlap) and groups by account the Gorgias sessions with a ticket that
// were live in that time: the live ones, and those that ended since. A reply
// written just before its session ended, whose delivery was lost (the
// instance it called was killed), is still found and delivered (the engine
// delivers what was written before the end).
func (rc *Receiver) pollTargets(ctx context.Context, now time.Time) (map[account]*pollTarget, time.Time, error) {
	targets := map[account]*pollTarget{}
	from := now.Add(-pollFirstLookback)
	err := rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		raw, err := tx.Setting(ctx, pollSetting)
		if err != nil {
			return fmt.Errorf("read the gorgias poll mark: %w", err)
		}
		var mark pollMark
		if raw != nil {
			if err := json.Unmarshal(raw, &mark); err != nil {
				rc.cfg.Log.Warn("gorgias: the poll mark does not decode; reading back from the default", "err", err)
			}
		}
		if !mark.Until.IsZero() {
			from = mark.Until.Add(-pollOverlap)
		}
		sessions, err := tx.ListSessions(ctx, switchboard.SessionFilter{Platform: livechat.PlatformGorgias, EndedAfter: from})
		if err != nil {
			return fmt.Errorf("list gorgias sessions: %w", err)
		}
		accounts := map[string]*account{} // by bot; nil: not on Gorgias now
		for _, s := range sessions {
			if s.Platform != livechat.PlatformGorgias || s.ExternalID == "" {
				continue
			}
			ticket, err := strconv.ParseInt(s.ExternalID, 10, 64)
			if err != nil {
				continue
			}
			a, ok := accounts[s.Client.BotID]
			if !ok {
				set, err := livechat.LoadSettings(ctx, tx, rc.cfg.Sealer, s.Client.BotID)
				if err != nil {
					return err
				}
				if acc, err := accountOf(set.Resolve()); err == nil {
					a = &acc
				}
				accounts[s.Client.BotID] = a
			}
			if a == nil {
				continue
			}
			tg := targets[*a]
			if tg == nil {
				tg = &pollTarget{account: *a, tickets: map[int64]string{}}
				targets[*a] = tg
			}
			if _, ok := tg.tickets[ticket]; !ok { // the newest session of a ticket
				tg.tickets[ticket] = s.ID
			}
		}
		return nil
	})
	return targets, from, err
}

// pollAccount reads the account's messages created from from to until,
// newest first, and adds to found the sessions with an agent reply the
// engine has not relayed.
func (rc *Receiver) pollAccount(ctx context.Context, tg *pollTarget, from, until time.Time, found map[string]string) error {
	q := url.Values{"order_by": {"created_datetime:desc"}, "limit": {"100"}}
	var candidates []Message
	unreadable := 0
	var unreadableErr error
	finish := func() error {
		if unreadable > 0 {
			rc.cfg.Log.Error("gorgias: poll cannot read the created_datetime of messages; their tickets are read anyway",
				"messages", unreadable, "err", unreadableErr)
		}
		return rc.unrelayed(ctx, tg, candidates, found)
	}
	for range pollMaxPages {
		var p page[Message]
		if err := rc.cfg.Client.do(ctx, tg.account, call{Op: "list messages", Method: http.MethodGet, Path: "/messages", Query: q, Out: &p}); err != nil {
			return err
		}
		older := false
		for _, m := range p.Data {
			created, err := parseDatetime(m.CreatedDatetime)
			if err != nil {
				// Never skipped: a message the poll cannot date counts as
				// in range, so that a reply on a live ticket is still
				// relayed (the sync reads the ticket; the engine drops
				// what it has seen).
				unreadable++
				unreadableErr = fmt.Errorf("message %d of ticket %d: %w", m.ID, m.TicketID, err)
				rc.cfg.Metrics.GorgiasPollUnreadable()
				created = until
			}
			if created.Before(from) {
				older = true
				break
			}
			if sessionID, live := tg.tickets[m.TicketID]; live && !created.After(until) {
				if _, ok := agentReply(sessionID, m); ok && !rc.wasHandled(sessionID, strconv.FormatInt(m.ID, 10)) {
					candidates = append(candidates, m)
				}
			}
		}
		if older || p.Meta.NextCursor == "" || len(p.Data) == 0 {
			return finish()
		}
		q.Set("cursor", p.Meta.NextCursor)
	}
	rc.cfg.Log.Warn("gorgias: poll stopped after its page limit; older messages are not read", "pages", pollMaxPages)
	return finish()
}

// unrelayed adds to found the sessions of the candidates that the engine has
// no dedup mark of (see engine.AgentReply's DedupID).
func (rc *Receiver) unrelayed(ctx context.Context, tg *pollTarget, candidates []Message, found map[string]string) error {
	if len(candidates) == 0 {
		return nil
	}
	return rc.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		for _, m := range candidates {
			sessionID := tg.tickets[m.TicketID]
			if _, queued := found[sessionID]; queued {
				continue
			}
			seen, err := tx.Seen(ctx, "agent:"+sessionID, strconv.FormatInt(m.ID, 10))
			if err != nil {
				return err
			}
			if !seen {
				found[sessionID] = strconv.FormatInt(m.TicketID, 10)
			}
		}
		return nil
	})
}

// Arm sets the poll timer one period from now (at start: the timer is
// durable, so this only moves it).
func (rc *Receiver) Arm(ctx context.Context) error {
	return rc.cfg.Arm(ctx, TimerPoll, rc.cfg.PollEvery)
}
