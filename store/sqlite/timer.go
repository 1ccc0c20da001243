package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard"
)

const timerColumns = `key, kind, payload, due_at, lease_until`

// SetTimer creates the timer or moves it, releasing its lease: a timer moved
// while a worker holds it fires again at its new time.
func (t *tx) SetTimer(ctx context.Context, tm *switchboard.Timer) error {
	_, err := t.exec(ctx, `INSERT INTO timers (key, kind, payload, due_at, lease_until) VALUES (?, ?, ?, ?, NULL)
		ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, payload = excluded.payload,
			due_at = excluded.due_at, lease_until = NULL`,
		tm.Key, tm.Kind, jsonArg(tm.Payload), tm.DueAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("set timer: %w", err)
	}
	tm.LeaseUntil = nil
	return nil
}

// DeleteTimer removes a timer; removing a missing timer is not an error.
func (t *tx) DeleteTimer(ctx context.Context, key string) error {
	if _, err := t.exec(ctx, `DELETE FROM timers WHERE key = ?`, key); err != nil {
		return fmt.Errorf("delete timer: %w", err)
	}
	return nil
}

// ClaimTimers leases up to limit timers (none when limit is zero or less) due
// at now and not leased, the earliest first. A lease that has run out counts
// as no lease, so a timer whose worker died fires again.
func (t *tx) ClaimTimers(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]switchboard.Timer, error) {
	if limit <= 0 {
		return nil, t.ready(ctx)
	}
	ts, err := queryAll(ctx, t, scanTimer, `UPDATE timers SET lease_until = ?1 WHERE key IN (
			SELECT key FROM timers WHERE due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
			ORDER BY due_at, key`+claimLimit(limit)+`)
		RETURNING `+timerColumns, now.Add(lease).UnixMicro(), now.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("claim timers: %w", err)
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
	next, err := queryOne(ctx, t, scanNullTime, `SELECT MIN(MAX(due_at, COALESCE(lease_until, due_at))) FROM timers`)
	if err != nil {
		return nil, fmt.Errorf("next timer at: %w", err)
	}
	return *next, nil
}

func scanTimer(r scanner) (switchboard.Timer, error) {
	var tm switchboard.Timer
	err := r.Scan(&tm.Key, &tm.Kind, jsonCol{&tm.Payload}, timeCol{&tm.DueAt}, timePtrCol{&tm.LeaseUntil})
	return tm, err
}

// TimerStats counts every timer and those due at now, with the oldest due time.
func (t *tx) TimerStats(ctx context.Context, now time.Time) (switchboard.TimerStats, error) {
	st, err := queryOne(ctx, t, func(r scanner) (switchboard.TimerStats, error) {
		var st switchboard.TimerStats
		err := r.Scan(intCol{&st.Total}, intCol{&st.Due}, timeCol{&st.OldestDue})
		return st, err
	}, `SELECT (SELECT COUNT(*) FROM timers), (SELECT COUNT(*) FROM timers WHERE due_at <= ?1),
		(SELECT MIN(due_at) FROM timers WHERE due_at <= ?1)`, now.UnixMicro())
	if err != nil {
		return switchboard.TimerStats{}, fmt.Errorf("timer stats: %w", err)
	}
	return *st, nil
}
