package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"switchboard"
)

// The outbox keeps pending and leased jobs in jobs, and the jobs given up on
// in dead_jobs. The head of a key is its job with the smallest id: only heads
// are ever claimed, so the jobs of one key run one at a time, in order, and a
// head waiting to be retried holds back the rest of its key.

const jobColumns = `id, kind, key, payload, attempts, run_at, last_error, created_at, lease_until`

// EnqueueJob stores a job and sets its ID. A zero CreatedAt is now by the
// store's clock, and a zero RunAt is CreatedAt; both are set on j.
func (t *tx) EnqueueJob(ctx context.Context, j *switchboard.Job) error {
	if j.CreatedAt.IsZero() {
		j.CreatedAt = t.c.clock.Now()
	}
	if j.RunAt.IsZero() {
		j.RunAt = j.CreatedAt
	}
	res, err := t.exec(ctx, `INSERT INTO jobs (kind, key, payload, attempts, run_at, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		j.Kind, j.Key, jsonArg(j.Payload), int64(j.Attempts), j.RunAt.UnixMicro(), j.LastError, j.CreatedAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("enqueue job: %w", err)
	}
	j.ID = res.lastID
	return nil
}

// ClaimJobs leases up to limit jobs (none when limit is zero or less) that are
// due at now and not leased, taking only the head of each key; the oldest
// jobs come first. A lease that has run out counts as no lease, and as an
// attempt: its worker died (or hung) before recording an outcome, and may
// have done the work.
func (t *tx) ClaimJobs(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]switchboard.Job, error) {
	if limit <= 0 {
		return nil, t.ready(ctx)
	}
	at := now.UnixMicro()
	js, err := queryAll(ctx, t, scanJob, `UPDATE jobs SET lease_until = ?1, attempts = attempts + (lease_until IS NOT NULL) WHERE id IN (
			SELECT id FROM jobs j
			WHERE run_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
				AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND e.id < j.id)
			ORDER BY id`+claimLimit(limit)+`)
		RETURNING `+jobColumns, now.Add(lease).UnixMicro(), at)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	slices.SortFunc(js, func(a, b switchboard.Job) int { return cmp.Compare(a.ID, b.ID) })
	return js, nil
}

// CompleteJob removes a finished job; a job that is gone is ENOTFOUND.
func (t *tx) CompleteJob(ctx context.Context, id int64) error {
	n, err := t.execN(ctx, `DELETE FROM jobs WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("complete job: %w", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	return nil
}

// RetryJob releases a job to run again at runAt, counting the attempt.
func (t *tx) RetryJob(ctx context.Context, id int64, runAt time.Time, lastError string) error {
	n, err := t.execN(ctx, `UPDATE jobs SET attempts = attempts + 1, run_at = ?, last_error = ?, lease_until = NULL
		WHERE id = ?`, runAt.UnixMicro(), lastError, id)
	if err != nil {
		return fmt.Errorf("retry job: %w", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	return nil
}

// BuryJob moves a job to the dead letters, counting the attempt that failed
// for good, which makes the next job of its key the head.
func (t *tx) BuryJob(ctx context.Context, id int64, lastError string) error {
	n, err := t.execN(ctx, `INSERT INTO dead_jobs (id, kind, key, payload, attempts, run_at, last_error, created_at, buried_at)
		SELECT id, kind, key, payload, attempts + 1, run_at, ?, created_at, ? FROM jobs WHERE id = ?`,
		lastError, t.c.clock.Now().UnixMicro(), id)
	if err != nil {
		return fmt.Errorf("bury job: %w", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	if _, err := t.exec(ctx, `DELETE FROM jobs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("bury job: %w", err)
	}
	return nil
}

// NextJobAt returns when the next job can be claimed: the earliest of the
// heads' due times, a leased head counting from the end of its lease. A job
// behind its key's head does not count, so a worker never wakes up for a job
// it may not take.
func (t *tx) NextJobAt(ctx context.Context) (*time.Time, error) {
	next, err := queryOne(ctx, t, scanNullTime, `SELECT MIN(MAX(run_at, COALESCE(lease_until, run_at))) FROM jobs j
		WHERE NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND e.id < j.id)`)
	if err != nil {
		return nil, fmt.Errorf("next job at: %w", err)
	}
	return *next, nil
}

// JobStats counts the pending (also leased) and dead jobs.
func (t *tx) JobStats(ctx context.Context) (switchboard.JobStats, error) {
	st, err := queryOne(ctx, t, scanJobStats, `SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM dead_jobs),
		(SELECT MIN(created_at) FROM jobs)`)
	if err != nil {
		return switchboard.JobStats{}, fmt.Errorf("job stats: %w", err)
	}
	return *st, nil
}

func scanJobStats(r scanner) (switchboard.JobStats, error) {
	var st switchboard.JobStats
	err := r.Scan(intCol{&st.Pending}, intCol{&st.Dead}, timeCol{&st.Oldest})
	return st, err
}

// DeadJobs returns the most recently buried dead letters first; a limit of
// zero or less is no limit.
func (t *tx) DeadJobs(ctx context.Context, limit int) ([]switchboard.Job, error) {
	js, err := queryAll(ctx, t, scanJob, `SELECT id, kind, key, payload, attempts, run_at, last_error, created_at, NULL
		FROM dead_jobs ORDER BY seq DESC LIMIT ?`, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("dead jobs: %w", err)
	}
	return js, nil
}

func scanJob(r scanner) (switchboard.Job, error) {
	var j switchboard.Job
	err := r.Scan(&j.ID, &j.Kind, &j.Key, jsonCol{&j.Payload}, intCol{&j.Attempts}, timeCol{&j.RunAt},
		&j.LastError, timeCol{&j.CreatedAt}, timePtrCol{&j.LeaseUntil})
	return j, err
}
