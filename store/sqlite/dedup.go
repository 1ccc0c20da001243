package sqlite

import (
	"context"
	"fmt"
	"time"
)

// MarkSeen records (scope, id) and reports whether it was new. A duplicate
// keeps the time it was first seen.
func (t *tx) MarkSeen(ctx context.Context, scope, id string, at time.Time) (bool, error) {
	n, err := t.execN(ctx, `INSERT INTO seen (scope, id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		scope, id, at.UnixMicro())
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	return n == 1, nil
}

// Seen reports whether (scope, id) is recorded.
func (t *tx) Seen(ctx context.Context, scope, id string) (bool, error) {
	found, err := queryOne(ctx, t, scanName, `SELECT id FROM seen WHERE scope = ? AND id = ?`, scope, id)
	if err != nil {
		return false, fmt.Errorf("seen: %w", err)
	}
	return found != nil, nil
}

// PruneSeen forgets ids recorded before the given time.
func (t *tx) PruneSeen(ctx context.Context, before time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM seen WHERE seen_at < ?`, before.UnixMicro()); err != nil {
		return fmt.Errorf("prune seen: %w", err)
	}
	return nil
}

// ForgetSeen forgets the ids of one scope recorded before the given time.
func (t *tx) ForgetSeen(ctx context.Context, scope string, before time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM seen WHERE scope = ? AND seen_at < ?`, scope, before.UnixMicro()); err != nil {
		return fmt.Errorf("forget seen: %w", err)
	}
	return nil
}
