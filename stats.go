package switchboard

import (
	"slices"
	"time"
)

// StatsFilter selects the sessions a summary counts: those created in
// [Since, Until), of one bot or (BotID empty) of every bot.
type StatsFilter struct {
	BotID string
	Since time.Time
	Until time.Time
}

// SessionStats summarises livechat sessions for the administration
// dashboard.
type SessionStats struct {
	// Days has one entry per UTC day of the period that saw a session,
	// oldest first.
	Days []DayStats `json:"days"`
	// EndReasons counts the ended sessions by why they ended.
	EndReasons map[EndReason]int `json:"end_reasons"`
	// Sessions counts every session of the period; Answered those an agent
	// replied to.
	Sessions int `json:"sessions"`
	Answered int `json:"answered"`
	// MedianFirstReply is the median wait, over answered sessions, from the
	// start of a session to the first agent reply (FirstReplyAt - CreatedAt).
	MedianFirstReply time.Duration `json:"median_first_reply"`
}

// DayStats is one UTC day of SessionStats.
type DayStats struct {
	// Day is midnight UTC of the day.
	Day              time.Time     `json:"day"`
	Sessions         int           `json:"sessions"`
	Answered         int           `json:"answered"`
	MedianFirstReply time.Duration `json:"median_first_reply"`
}

// Median returns the median of durations (the mean of the two middle values
// for an even count), or 0 for none; stores use it to fill SessionStats. It
// sorts ds.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid]
	}
	return (ds[mid-1] + ds[mid]) / 2
}
