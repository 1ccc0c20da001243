package sqlite

import (
	"context"
	"fmt"
	"time"

	"switchboard"
)

// SessionStats summarises the sessions created in [f.Since, f.Until). The
// rows are few per session and read through the creation-time indexes; the
// medians are computed here, as SQLite has no median aggregate.
func (t *tx) SessionStats(ctx context.Context, f switchboard.StatsFilter) (switchboard.SessionStats, error) {
	out := switchboard.SessionStats{EndReasons: map[switchboard.EndReason]int{}}
	q := `SELECT created_at, first_reply_at, state, end_reason FROM sessions
		WHERE created_at >= ? AND created_at < ?`
	args := []any{f.Since.UnixMicro(), f.Until.UnixMicro()}
	if f.BotID != "" {
		q += ` AND bot_id = ?`
		args = append(args, f.BotID)
	}
	rows, err := queryAll(ctx, t, scanStatsRow, q+` ORDER BY created_at`, args...)
	if err != nil {
		return out, fmt.Errorf("session stats: %w", err)
	}
	var all []time.Duration
	var day []time.Duration
	for _, r := range rows {
		d := r.created.Truncate(24 * time.Hour)
		if n := len(out.Days); n == 0 || !out.Days[n-1].Day.Equal(d) {
			closeDay(&out, day)
			day = day[:0]
			out.Days = append(out.Days, switchboard.DayStats{Day: d})
		}
		cur := &out.Days[len(out.Days)-1]
		cur.Sessions++
		out.Sessions++
		if r.firstReply != nil {
			wait := r.firstReply.Sub(r.created)
			cur.Answered++
			out.Answered++
			day = append(day, wait)
			all = append(all, wait)
		}
		if r.state == switchboard.SessionEnded && r.reason != "" {
			out.EndReasons[r.reason]++
		}
	}
	closeDay(&out, day)
	out.MedianFirstReply = switchboard.Median(all)
	return out, nil
}

// closeDay sets the median of the last day of out from its waits.
func closeDay(out *switchboard.SessionStats, waits []time.Duration) {
	if n := len(out.Days); n > 0 {
		out.Days[n-1].MedianFirstReply = switchboard.Median(waits)
	}
}

type statsRow struct {
	created    time.Time
	firstReply *time.Time
	state      switchboard.SessionState
	reason     switchboard.EndReason
}

func scanStatsRow(r scanner) (statsRow, error) {
	var (
		s             statsRow
		state, reason string
	)
	err := r.Scan(timeCol{&s.created}, timePtrCol{&s.firstReply}, &state, &reason)
	s.state, s.reason = switchboard.SessionState(state), switchboard.EndReason(reason)
	return s, err
}
