package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

const timerColumns = `key, kind, payload, due_at, lease_until`

// SetTimer creates the timer or moves it, releasing its lease: a timer moved
// while a worker holds it fires again at its new time.
func (t *tx) SetTimer(ctx context.Context, tm *switchboard.Timer) error {
	_, err := t.exec(ctx, `INSERT INTO timers (key, kind, payload, due_at, lease_until) VALUES ($1, $2, $3, $4, NULL)
		ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, payload = excluded.payload,
			due_at = excluded.due_at, lease_until = NULL`,
		tm.Key, tm.Kind, jsonArg(tm.Payload), tm.DueAt)
	if err != nil {
		return wrap("set timer", err)
	}
	tm.LeaseUntil = nil
	return nil
}

// DeleteTimer removes a timer; removing a missing timer is not an error.
func (t *tx) DeleteTimer(ctx context.Context, key string) error {
	_, err := t.exec(ctx, `DELETE FROM timers WHERE key = $1`, key)
	return wrap("delete timer", err)
}

// ClaimTimers leases up to limit timers (none when limit is zero or less) due
// at now and not leased, the earliest first. Rows another claimer is locking
// are skipped, and a row whose lease another claimer committed meanwhile is
// checked again and left out, so two instances never fire the same timer
// within its lease. A lease that has run out counts as no lease, so a timer
// whose worker died fires again.
func (t *tx) ClaimTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]switchboard.Timer, error) {
	if limit <= 0 {
		return nil, t.ready(ctx)
	}
	ts, err := queryAll(ctx, t, scanTimer, `UPDATE timers SET lease_until = $1
		FROM (SELECT key FROM timers WHERE due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
			ORDER BY due_at, key LIMIT $3 FOR UPDATE SKIP LOCKED) due
		WHERE timers.key = due.key
		RETURNING timers.key, timers.kind, timers.payload, timers.due_at, timers.lease_until`,
		now.Add(lease), now, int64(limit))
	if err != nil {
		return nil, wrap("claim timers", err)
	}
	slices.SortFunc(ts, func(a, b switchboard.Timer) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return ts, nil
}

// NextTimerAt returns when the next timer can be claimed: the earliest due
// time, a leased timer counting from the end of its lease.
func (t *tx) NextTimerAt(ctx context.Context) (*time.Time, error) {
	next, err := queryOne(ctx, t, scanNullTime, `SELECT MIN(GREATEST(due_at, COALESCE(lease_until, due_at))) FROM timers`)
	if err != nil {
		return nil, wrap("next timer at", err)
	}
	return *next, nil
}

func scanTimer(r pgx.Row) (switchboard.Timer, error) {
	var tm switchboard.Timer
	err := r.Scan(&tm.Key, &tm.Kind, jsonCol(&tm.Payload), timeCol{&tm.DueAt}, timePtrCol{&tm.LeaseUntil})
	return tm, err
}

// TimerStats counts every timer and those due at now, with the oldest due time.
func (t *tx) TimerStats(ctx context.Context, now time.Time) (switchboard.TimerStats, error) {
	st, err := queryOne(ctx, t, func(r pgx.Row) (switchboard.TimerStats, error) {
		var (
			st         switchboard.TimerStats
			total, due int64
		)
		err := r.Scan(&total, &due, timeCol{&st.OldestDue})
		st.Total, st.Due = int(total), int(due)
		return st, err
	}, `SELECT COUNT(*), COUNT(*) FILTER (WHERE due_at <= $1), MIN(due_at) FILTER (WHERE due_at <= $1) FROM timers`, now)
	if err != nil {
		return switchboard.TimerStats{}, wrap("timer stats", err)
	}
	return *st, nil
}
