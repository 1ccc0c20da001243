package driverkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/livechat"
)

// Receiver is what the webhook receivers of platforms and channels share:
// a delivery is verified by the driver, then recorded durably with the job
// that acts on it (Record) and answered at once; the job loads its session
// (Session) and hands what agents wrote to the engine (Relay).
type Receiver struct {
	// Platform names the receiver in errors and dedup keys ("gorgias"); the
	// driver sets it.
	Platform string
	Store    switchboard.Store
	Engine   *engine.Engine
	Notifier switchboard.Notifier
	// Sealer opens the bots' settings.
	Sealer livechat.Sealer
	Clock  switchboard.Clock
	Log    *slog.Logger
}

// NewReceiver fills in what rc is given without: the system clock, a log
// that discards.
func NewReceiver(rc Receiver) Receiver {
	if rc.Clock == nil {
		rc.Clock = switchboard.SystemClock{}
	}
	if rc.Log == nil {
		rc.Log = slog.New(slog.DiscardHandler)
	}
	return rc
}

// What became of a recorded delivery.
const (
	Queued    = "queued"
	Duplicate = "duplicate"
)

// Mark is an id a delivery carries (its delivery id, its message id) that
// is seen once per Scope (a session): a delivery with a mark seen before
// is a duplicate. A mark with no ID counts for nothing.
type Mark struct {
	Kind, Scope, ID string
}

// Job is the outbox job a delivery leaves; Key orders it with the others
// of the same key (a session's).
type Job struct {
	Kind, Key string
	Payload   any
}

// Record marks the delivery's marks as seen and enqueues its job, in one
// transaction: a delivery is either recorded with its work or not at all,
// and a repeated one is dropped here. It answers Queued or Duplicate, and
// wakes the outbox when it queued.
func (rc Receiver) Record(ctx context.Context, marks []Mark, job Job) (string, error) {
	status := Queued
	err := rc.Store.Update(ctx, func(tx switchboard.Tx) error {
		status = Queued // a retried transaction starts over
		now := rc.Clock.Now()
		for _, m := range marks {
			if m.ID == "" {
				continue
			}
			fresh, err := tx.MarkSeen(ctx, rc.Platform+":"+m.Kind+":"+m.Scope, m.ID, now)
			if err != nil {
				return fmt.Errorf("dedup %s delivery: %w", rc.Platform, err)
			}
			if !fresh {
				status = Duplicate
				return nil
			}
		}
		return Enqueue(ctx, tx, job, now)
	})
	if err != nil {
		return "", err
	}
	if status == Queued && rc.Notifier != nil {
		rc.Notifier.Notify(switchboard.TopicJobs)
	}
	return status, nil
}

// Enqueue writes a job due now in tx.
func Enqueue(ctx context.Context, tx switchboard.Tx, j Job, now time.Time) error {
	raw, err := json.Marshal(j.Payload)
	if err != nil {
		return fmt.Errorf("encode %s job: %w", j.Kind, err)
	}
	if err := tx.EnqueueJob(ctx, &switchboard.Job{Kind: j.Kind, Key: j.Key, Payload: raw, RunAt: now, CreatedAt: now}); err != nil {
		return fmt.Errorf("enqueue %s job: %w", j.Kind, err)
	}
	return nil
}

// SessionKey is the job key that runs a job in order with the session's
// other livechat jobs.
func SessionKey(sessionID string) string { return "session:" + sessionID }

// ReadBody reads a delivery's body up to max bytes: a larger one is
// ETOOLARGE, one that breaks off EINVALID.
func ReadBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, switchboard.Errorf(switchboard.ETOOLARGE, "the body is larger than %d bytes", max)
	case err != nil:
		return nil, switchboard.Errorf(switchboard.EINVALID, "read the body: %v", err)
	}
	return body, nil
}

// Load decodes a job's payload into p (a pointer) and reads the session
// the payload names in its session_id, with its bot's livechat settings. A
// payload that does not decode never will: the error is permanent. A
// session that is gone is nil with no error: nobody to relay to.
func (rc Receiver) Load(ctx context.Context, j switchboard.Job, p any) (*switchboard.Session, livechat.Resolved, error) {
	var named struct {
		SessionID string `json:"session_id"`
	}
	if err := errors.Join(json.Unmarshal(j.Payload, p), json.Unmarshal(j.Payload, &named)); err != nil {
		return nil, livechat.Resolved{}, livechat.Permanent(fmt.Errorf("decode %s job: %w", j.Kind, err))
	}
	return rc.Session(ctx, named.SessionID)
}

// Session reads a session and its bot's livechat settings. A session that
// is gone is nil with no error.
func (rc Receiver) Session(ctx context.Context, id string) (*switchboard.Session, livechat.Resolved, error) {
	var s *switchboard.Session
	var settings livechat.Resolved
	err := rc.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if s, err = tx.Session(ctx, id); err != nil {
			return err
		}
		set, err := livechat.LoadSettings(ctx, tx, rc.Sealer, s.Client.BotID)
		settings = set.Resolve()
		return err
	})
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		return nil, livechat.Resolved{}, nil
	}
	return s, settings, err
}

// Relay hands an agent's message (id names it in errors) to the engine: a
// session that ended meanwhile takes nothing and is no error; a session
// the engine does not know never will.
func (rc Receiver) Relay(ctx context.Context, r engine.AgentReply, id string) error {
	err := rc.Engine.Reply(ctx, r)
	switch {
	case err == nil, errors.Is(err, engine.ErrSessionOver):
		return nil
	case switchboard.ErrorCode(err) == switchboard.ENOTFOUND:
		return livechat.Permanent(fmt.Errorf("relay %s message %s: %w", rc.Platform, id, err))
	default:
		return fmt.Errorf("relay %s message %s: %w", rc.Platform, id, err)
	}
}

// Arm sets a durable timer of kind (a poll: one serves every bot) to fire
// one period from now; at start it only moves the timer.
func (rc Receiver) Arm(ctx context.Context, kind string, every time.Duration) error {
	return rc.Store.Update(ctx, func(tx switchboard.Tx) error { return rc.ArmIn(ctx, tx, kind, every) })
}

// ArmIn is Arm in tx: a timer's handler sets itself again in the
// transaction of its work.
func (rc Receiver) ArmIn(ctx context.Context, tx switchboard.Tx, kind string, every time.Duration) error {
	t := &switchboard.Timer{Key: kind, Kind: kind, DueAt: rc.Clock.Now().Add(every)}
	if err := tx.SetTimer(ctx, t); err != nil {
		return fmt.Errorf("set %s timer: %w", kind, err)
	}
	return nil
}
