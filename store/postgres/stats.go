package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard"
)

// SessionStats summarises the sessions created in [f.Since, f.Until), per UTC
// day and in total, in one grouped query. The medians are percentile_cont in
// microseconds: the middle value, or the mean of the two middle values, as
// switchboard.Median computes them (exactly: the mean of two whole
// microseconds is a whole number of nanoseconds).
func (t *tx) SessionStats(ctx context.Context, f switchboard.StatsFilter) (switchboard.SessionStats, error) {
	out := switchboard.SessionStats{EndReasons: map[switchboard.EndReason]int{}}
	type group struct {
		day               *time.Time // nil for the whole period
		sessions, replied int64
		median            *float64
	}
	groups, err := queryAll(ctx, t, func(r pgx.Row) (group, error) {
		var g group
		err := r.Scan(timePtrCol{&g.day}, &g.sessions, &g.replied, &g.median)
		return g, err
	}, `SELECT date_trunc('day', created_at, 'UTC'), COUNT(*), COUNT(first_reply_at),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY (EXTRACT(EPOCH FROM first_reply_at - created_at) * 1000000)::float8)
		FROM sessions WHERE created_at >= $1 AND created_at < $2 AND ($3 = '' OR bot_id = $3)
		GROUP BY GROUPING SETS ((1), ())
		ORDER BY 1 NULLS FIRST`, f.Since, f.Until, f.BotID)
	if err != nil {
		return out, wrap("session stats", err)
	}
	median := func(us *float64) time.Duration {
		if us == nil {
			return 0
		}
		return time.Duration(*us * 1000)
	}
	for _, g := range groups {
		if g.day == nil {
			out.Sessions, out.Answered, out.MedianFirstReply = int(g.sessions), int(g.replied), median(g.median)
			continue
		}
		out.Days = append(out.Days, switchboard.DayStats{Day: *g.day, Sessions: int(g.sessions), Answered: int(g.replied), MedianFirstReply: median(g.median)})
	}
	type reason struct {
		reason switchboard.EndReason
		n      int64
	}
	reasons, err := queryAll(ctx, t, func(r pgx.Row) (reason, error) {
		var x reason
		err := r.Scan(&x.reason, &x.n)
		return x, err
	}, `SELECT end_reason, COUNT(*) FROM sessions
		WHERE created_at >= $1 AND created_at < $2 AND ($3 = '' OR bot_id = $3) AND state = 'ended' AND end_reason <> ''
		GROUP BY end_reason`, f.Since, f.Until, f.BotID)
	if err != nil {
		return out, wrap("session stats", err)
	}
	for _, r := range reasons {
		out.EndReasons[r.reason] = int(r.n)
	}
	return out, nil
}
