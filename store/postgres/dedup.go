package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// MarkSeen records (scope, id) and reports whether it was new. A duplicate
// keeps the time it was first seen. Two transactions marking the same id at
// once: the second waits for the first, and sees it as not new once the
// first committed (or as new if it rolled back).
func (t *tx) MarkSeen(ctx context.Context, scope, id string, at time.Time) (bool, error) {
	n, err := t.exec(ctx, `INSERT INTO seen (scope, id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, scope, id, at)
	if err != nil {
		return false, wrap("mark seen", err)
	}
	return n == 1, nil
}

// Seen reports whether (scope, id) is recorded.
func (t *tx) Seen(ctx context.Context, scope, id string) (bool, error) {
	found, err := queryOne(ctx, t, func(r pgx.Row) (string, error) {
		var s string
		err := r.Scan(&s)
		return s, err
	}, `SELECT id FROM seen WHERE scope = $1 AND id = $2`, scope, id)
	return found != nil, wrap("seen", err)
}

// PruneSeen forgets ids recorded before the given time.
func (t *tx) PruneSeen(ctx context.Context, before time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM seen WHERE seen_at < $1`, before)
	return wrap("prune seen", err)
}

// ForgetSeen forgets the ids of one scope recorded before the given time.
func (t *tx) ForgetSeen(ctx context.Context, scope string, before time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM seen WHERE scope = $1 AND seen_at < $2`, scope, before)
	return wrap("forget seen", err)
}
