package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// Job and timer kinds of the queue.
const (
	// JobQueue tells the customers waiting in one queue where they stand,
	// after someone joined, left or was taken from it.
	JobQueue = "livechat.queue"
	// TimerWaitLimit ends a session nobody claimed within its bot's wait
	// limit.
	TimerWaitLimit     = "livechat.waitlimit"
	waitLimitKeyPrefix = "livechat.waitlimit:"
	// maxQueueLength bounds the customers of one queue told their place
	// each time it moves; those behind still see it on their next change.
	maxQueueLength = 1000
)

// routingMemory is the memory in which a bot leaves its routing before it
// sends LIVECHAT_SESSION_START.
const routingMemory = "livechat"

// queueScope names a queue: the desk's are shared by every bot (its teams
// are the desk's), the other platforms' are one bot's (each bot has its own
// account there).
type queueScope struct {
	Platform string `json:"platform"`
	BotID    string `json:"bot_id,omitempty"`
	Team     string `json:"team"`
}

// scopeOf is the queue a session waits in.
func scopeOf(s *switchboard.Session) queueScope {
	q := queueScope{Platform: s.Platform, Team: s.Team}
	if s.Platform != livechat.PlatformDesk {
		q.BotID = s.Client.BotID
	}
	return q
}

// routing reads the routing the bot remembered for the session. A value of
// the wrong shape is logged and ignored: the customer still reaches the
// general queue, which beats reaching nobody.
func (t *turn) routing() (switchboard.Routing, error) {
	mems, err := t.tx.Memories(t.ctx, t.key)
	if err != nil {
		return switchboard.Routing{}, fmt.Errorf("load memories: %w", err)
	}
	for _, m := range mems {
		if m.Key != routingMemory {
			continue
		}
		r, err := livechat.ParseRouting(m.Value)
		if err != nil {
			t.e.log.WarnContext(t.ctx, "livechat: routing ignored", "bot_id", t.key.BotID, "err", err)
		}
		return r, nil
	}
	return switchboard.Routing{}, nil
}

// queueChanged tells the customers of s's queue where they now stand, after
// the commit, through the outbox (one job per queue at a time, in order).
func (t *turn) queueChanged(s *switchboard.Session) error {
	return t.enqueueQueue(scopeOf(s))
}

func (t *turn) enqueueQueue(q queueScope) error {
	raw, _ := json.Marshal(q)
	key := "queue:" + q.Platform + "/" + q.BotID + "/" + q.Team
	if err := t.tx.EnqueueJob(t.ctx, &switchboard.Job{Kind: JobQueue, Key: key, Payload: raw, RunAt: t.now, CreatedAt: t.now}); err != nil {
		return fmt.Errorf("enqueue %s: %w", JobQueue, err)
	}
	t.fx.notify(switchboard.TopicJobs)
	return nil
}

// setWaitLimit arms the session's wait limit, when its bot has one.
func (t *turn) setWaitLimit(s *switchboard.Session, limit time.Duration) error {
	if limit <= 0 {
		return nil
	}
	raw, _ := json.Marshal(jobPayload{SessionID: s.ID})
	if err := t.tx.SetTimer(t.ctx, &switchboard.Timer{Key: waitLimitKeyPrefix + s.ID, Kind: TimerWaitLimit, Payload: raw, DueAt: s.CreatedAt.Add(limit)}); err != nil {
		return fmt.Errorf("set wait limit timer: %w", err)
	}
	t.fx.notify(switchboard.TopicTimers)
	return nil
}

// claimed records that an agent took a waiting session (the desk's claim,
// a platform's assignment, or the first agent message where the platform
// says nothing else): the wait is over, and the queue moves. The caller
// saves s.
func (t *turn) claimed(s *switchboard.Session) error {
	if s.ClaimedAt != nil {
		return nil
	}
	now := t.now
	s.ClaimedAt, s.QueuePosition, s.QueueWait = &now, 0, 0
	if err := t.tx.DeleteTimer(t.ctx, waitLimitKeyPrefix+s.ID); err != nil {
		return fmt.Errorf("clear wait limit timer: %w", err)
	}
	t.sessionClaimed(s)
	return t.queueChanged(s)
}

// MarkClaimed records that a platform assigned the session to an agent
// (Chatwoot's assignment, Gorgias's assignee). A session claimed already,
// or over, is left as it is.
func (e *Engine) MarkClaimed(ctx context.Context, sessionID, agentName string) error {
	return e.withSession(ctx, sessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Waiting() {
			return nil
		}
		if agentName != "" && s.AgentName == "" {
			s.AgentName = agentName
		}
		return t.saveClaim(s)
	})
}

// saveClaim records that s is claimed and saves it; the desk and the user's
// page (which shows who answers) are woken.
func (t *turn) saveClaim(s *switchboard.Session) error {
	if err := t.claimed(s); err != nil {
		return err
	}
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("claim session: %w", err)
	}
	t.notifyDesk(s)
	t.fx.notify(switchboard.TopicClient(t.key))
	return nil
}

// waitLimitTimer ends a session nobody claimed in time, and hands the user
// back to the bot with LIVECHAT_SESSION_END and reason timeout. A session
// claimed or over changes nothing but the timer.
func (e *Engine) waitLimitTimer(ctx context.Context, sessionID string) error {
	return e.withSession(ctx, sessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Waiting() {
			return t.tx.DeleteTimer(t.ctx, waitLimitKeyPrefix+s.ID)
		}
		waited := t.now.Sub(s.CreatedAt).Round(time.Second)
		note := fmt.Sprintf("Nobody took the conversation within %s: it ended and the customer is back with the bot.", waited)
		if err := t.endSession(s, switchboard.EndTimeout, note, ""); err != nil {
			return err
		}
		ev, p := payloadEvent(switchboard.PayloadSessionEnd, map[string]any{"reason": string(switchboard.EndTimeout)})
		return t.botTurn(inbound{system: true, payload: p}, ev, nil)
	})
}

// runQueue tells each customer of a queue their position and estimated
// wait when they changed: stored on the session (the chat page's status
// line shows it), and said in a message when the bot's settings ask.
func (e *Engine) runQueue(ctx context.Context, j switchboard.Job) error {
	var q queueScope
	if err := json.Unmarshal(j.Payload, &q); err != nil {
		return livechat.Permanent(fmt.Errorf("decode job: %w", err))
	}
	waiting, waits, err := e.readQueue(ctx, q)
	if err != nil {
		return err
	}
	for i, s := range waiting {
		pos := i + 1
		wait := livechat.Estimate(waits, pos)
		if s.QueuePosition == pos && livechat.WaitText(s.QueueWait) == livechat.WaitText(wait) {
			continue
		}
		err := e.withSession(ctx, s.ID, func(t *turn, s *switchboard.Session) error {
			return t.tellPosition(s, pos, wait)
		})
		if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
			return err
		}
	}
	return nil
}

// readQueue reads a queue's waiting sessions, most urgent and then oldest
// first, and the waits of its recent claims.
func (e *Engine) readQueue(ctx context.Context, q queueScope) (waiting []switchboard.Session, waits []time.Duration, err error) {
	now := e.clock.Now()
	err = e.store.View(ctx, func(tx switchboard.Tx) error {
		f := switchboard.SessionFilter{
			BotID: q.BotID, Platform: q.Platform, Team: &q.Team, Unclaimed: true, OldestFirst: true, Limit: maxQueueLength,
			States: []switchboard.SessionState{switchboard.SessionPending, switchboard.SessionActive},
		}
		var err error
		if waiting, err = tx.ListSessions(ctx, f); err != nil {
			return err
		}
		claimed, err := tx.ListSessions(ctx, switchboard.SessionFilter{
			BotID: q.BotID, Platform: q.Platform, Team: &q.Team, ClaimedAfter: now.Add(-livechat.EstimateWindow), Limit: livechat.EstimateSample,
		})
		for _, s := range claimed {
			waits = append(waits, s.ClaimedAt.Sub(s.CreatedAt))
		}
		return err
	})
	slices.SortStableFunc(waiting, func(a, b switchboard.Session) int { return priorityRank(b.Priority) - priorityRank(a.Priority) })
	return waiting, waits, err
}

// priorityRank orders priorities, normal ("") between low and high.
func priorityRank(p string) int {
	if p == "" {
		p = "normal"
	}
	return slices.Index(switchboard.Priorities, p)
}

// tellPosition stores a waiting session's new position and estimate and,
// when the bot announces them, tells the customer.
func (t *turn) tellPosition(s *switchboard.Session, pos int, wait time.Duration) error {
	if !s.Waiting() {
		return nil
	}
	s.QueuePosition, s.QueueWait = pos, wait
	if err := t.tx.UpdateSession(t.ctx, s); err != nil {
		return fmt.Errorf("update queue position: %w", err)
	}
	t.notifyDesk(s) // the desk's list shows the position too
	t.fx.notify(switchboard.TopicClient(t.key))
	cfg, err := t.settings()
	if err != nil || !cfg.Queue.Announce {
		return err
	}
	if err := t.openConversation(); err != nil {
		return err
	}
	return t.addMessage(&switchboard.Message{
		Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderSystem},
		Payload: livechat.TextPayload(cfg.Queue.PositionText(pos, wait)), SessionID: s.ID,
	})
}
