package postgres

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// The outbox keeps pending and leased jobs in jobs, and the jobs given up on
// in dead_jobs. The head of a key is its job with the smallest id: only heads
// are ever claimed, so the jobs of one key run one at a time, in order, and a
// head waiting to be retried holds back the rest of its key. The ids of a
// key are given in commit order (append.go), so a job never becomes the head
// after a later job of its key ran.

const jobColumns = `id, kind, key, payload, attempts, run_at, last_error, created_at, lease_until`

// EnqueueJob stores a job and sets its ID. A zero CreatedAt is now by the
// store's clock, and a zero RunAt is CreatedAt; both are set on j.
func (t *tx) EnqueueJob(ctx context.Context, j *switchboard.Job) error {
	if j.CreatedAt.IsZero() {
		j.CreatedAt = t.db.clock.Now()
	}
	if j.RunAt.IsZero() {
		j.RunAt = j.CreatedAt
	}
	id, err := queryOne(ctx, t, scanID, `INSERT INTO jobs (kind, key, payload, attempts, run_at, last_error, created_at)
		SELECT $2, $3, $4, $5, $6, $7, $8 FROM `+appendLocks+` RETURNING id`,
		[]int64{t.lockKey(nsJobs, j.Key)}, j.Kind, j.Key, jsonArg(j.Payload), j.Attempts, j.RunAt, j.LastError, j.CreatedAt)
	if err != nil {
		return wrap("enqueue job", err)
	}
	j.ID = *id
	return nil
}

// ClaimJobs leases up to limit jobs (none when limit is zero or less) that are
// due at now and not leased, taking only the head of each key; the oldest
// jobs come first. Rows another claimer is locking are skipped, and a row
// whose lease another claimer committed meanwhile is checked again and left
// out, so two claimers never take the same job. A lease that has run out
// counts as no lease, and as an attempt: its worker died (or hung) before
// recording an outcome, and may have done the work.
func (t *tx) ClaimJobs(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]switchboard.Job, error) {
	if limit <= 0 {
		return nil, t.ready(ctx)
	}
	js, err := queryAll(ctx, t, scanJob, `UPDATE jobs SET lease_until = $1,
			attempts = jobs.attempts + (jobs.lease_until IS NOT NULL)::int
		FROM (SELECT id FROM jobs j
			WHERE run_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
				AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND e.id < j.id)
			ORDER BY id LIMIT $3
			FOR UPDATE OF j SKIP LOCKED) heads
		WHERE jobs.id = heads.id
		RETURNING jobs.id, jobs.kind, jobs.key, jobs.payload, jobs.attempts, jobs.run_at, jobs.last_error,
			jobs.created_at, jobs.lease_until`, now.Add(lease), now, int64(limit))
	if err != nil {
		return nil, wrap("claim jobs", err)
	}
	slices.SortFunc(js, func(a, b switchboard.Job) int { return cmp.Compare(a.ID, b.ID) })
	return js, nil
}

// CompleteJob removes a finished job; a job that is gone is ENOTFOUND.
func (t *tx) CompleteJob(ctx context.Context, id int64) error {
	n, err := t.exec(ctx, `DELETE FROM jobs WHERE id = $1`, id)
	if err != nil {
		return wrap("complete job", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	return nil
}

// RetryJob releases a job to run again at runAt, counting the attempt.
func (t *tx) RetryJob(ctx context.Context, id int64, runAt time.Time, lastError string) error {
	n, err := t.exec(ctx, `UPDATE jobs SET attempts = attempts + 1, run_at = $1, last_error = $2, lease_until = NULL
		WHERE id = $3`, runAt, lastError, id)
	if err != nil {
		return wrap("retry job", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	return nil
}

// BuryJob moves a job to the dead letters, counting the attempt that failed
// for good, which makes the next job of its key the head.
func (t *tx) BuryJob(ctx context.Context, id int64, lastError string) error {
	n, err := t.exec(ctx, `WITH gone AS (DELETE FROM jobs WHERE id = $1 RETURNING *)
		INSERT INTO dead_jobs (id, kind, key, payload, attempts, run_at, last_error, created_at, buried_at)
		SELECT id, kind, key, payload, attempts + 1, run_at, $2, created_at, $3 FROM gone`,
		id, lastError, t.db.clock.Now())
	if err != nil {
		return wrap("bury job", err)
	}
	if n == 0 {
		return notFound("job", id)
	}
	return nil
}

// NextJobAt returns when the next job can be claimed: the earliest of the
// heads' due times, a leased head counting from the end of its lease. A job
// behind its key's head does not count, so a worker never wakes up for a job
// it may not take.
func (t *tx) NextJobAt(ctx context.Context) (*time.Time, error) {
	next, err := queryOne(ctx, t, scanNullTime, `SELECT MIN(GREATEST(run_at, COALESCE(lease_until, run_at))) FROM jobs j
		WHERE NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND e.id < j.id)`)
	if err != nil {
		return nil, wrap("next job at", err)
	}
	return *next, nil
}

// JobStats counts the pending (also leased) and dead jobs.
func (t *tx) JobStats(ctx context.Context) (switchboard.JobStats, error) {
	st, err := queryOne(ctx, t, func(r pgx.Row) (switchboard.JobStats, error) {
		var (
			st            switchboard.JobStats
			pending, dead int64
		)
		err := r.Scan(&pending, &dead, timeCol{&st.Oldest})
		st.Pending, st.Dead = int(pending), int(dead)
		return st, err
	}, `SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM dead_jobs), (SELECT MIN(created_at) FROM jobs)`)
	if err != nil {
		return switchboard.JobStats{}, wrap("job stats", err)
	}
	return *st, nil
}

// DeadJobs returns the most recently buried dead letters first; a limit of
// zero or less is no limit.
func (t *tx) DeadJobs(ctx context.Context, limit int) ([]switchboard.Job, error) {
	js, err := queryAll(ctx, t, scanJob, `SELECT id, kind, key, payload, attempts, run_at, last_error, created_at, NULL::timestamptz
		FROM dead_jobs ORDER BY seq DESC LIMIT $1`, limitArg(limit))
	return js, wrap("dead jobs", err)
}

func scanJob(r pgx.Row) (switchboard.Job, error) {
	var (
		j        switchboard.Job
		attempts int32
	)
	err := r.Scan(&j.ID, &j.Kind, &j.Key, jsonCol(&j.Payload), &attempts, timeCol{&j.RunAt},
		&j.LastError, timeCol{&j.CreatedAt}, timePtrCol{&j.LeaseUntil})
	j.Attempts = int(attempts)
	return j, err
}
