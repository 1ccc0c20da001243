package livechat

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// Defaults of the queue texts. {position} is the customer's place (1 =
// next), {wait} the estimated wait ("about 4 minutes").
const (
	DefaultPositionMessage           = "You are number {position} in the queue. Estimated wait: {wait}."
	DefaultPositionMessageNoEstimate = "You are number {position} in the queue."
	// MaxWaitLimit bounds the wait limit: a session still waiting after a
	// day is better served as a ticket.
	MaxWaitLimit = 24 * time.Hour
	// EstimateSample is how many of a queue's latest claims its estimate
	// is the median of, and EstimateWindow how recent they must be.
	EstimateSample = 50
	EstimateWindow = 24 * time.Hour
)

// QueueSettings is how a bot's waiting customers are told where they stand
// and how long they may wait. Everything is off until set: CSML Studio bots
// see no difference.
type QueueSettings struct {
	// Announce tells a waiting customer their position and the estimated
	// wait each time they change, with the texts below (the chat page's
	// status line shows them in any case).
	Announce                  bool   `json:"announce,omitempty"`
	PositionMessage           string `json:"position_message,omitempty"`
	PositionMessageNoEstimate string `json:"position_message_no_estimate,omitempty"`
	// WaitLimit ends a session nobody claimed in this time; the bot gets
	// LIVECHAT_SESSION_END with reason timeout. Zero: no limit.
	WaitLimit Duration `json:"wait_limit,omitempty"`
}

// resolve applies the defaults.
func (q *QueueSettings) resolve() QueueSettings {
	var r QueueSettings
	if q != nil {
		r = *q
	}
	if r.PositionMessage == "" {
		r.PositionMessage = DefaultPositionMessage
	}
	if r.PositionMessageNoEstimate == "" {
		r.PositionMessageNoEstimate = DefaultPositionMessageNoEstimate
	}
	return r
}

// validate checks queue settings a user typed.
func (q *QueueSettings) validate() error {
	if q == nil {
		return nil
	}
	if w := time.Duration(q.WaitLimit); w < 0 || w > MaxWaitLimit || w > 0 && w < time.Minute {
		return switchboard.Errorf(switchboard.EINVALID, "livechat queue.wait_limit %s is out of range: use 0 (no limit) or 1m to 24h", w)
	}
	for field, v := range map[string]string{"position_message": q.PositionMessage, "position_message_no_estimate": q.PositionMessageNoEstimate} {
		if len(v) > maxTextSetting {
			return switchboard.Errorf(switchboard.EINVALID, "livechat queue.%s is %d bytes long: keep it under %d", field, len(v), maxTextSetting)
		}
	}
	return nil
}

// PositionText is what a waiting customer is told: their position and, when
// there is one, the estimated wait.
func (q QueueSettings) PositionText(position int, wait time.Duration) string {
	text := q.PositionMessageNoEstimate
	if wait > 0 {
		text = strings.ReplaceAll(q.PositionMessage, "{wait}", WaitText(wait))
	}
	return strings.ReplaceAll(text, "{position}", strconv.Itoa(position))
}

// WaitText says a wait in words, rounded up to the minute: "about 1
// minute", "about 12 minutes".
func WaitText(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "about 1 minute"
	}
	return fmt.Sprintf("about %d minutes", m)
}

// Estimate is the wait expected at a queue position, from the waits of the
// queue's recent claims: their median, once per customer ahead and for
// oneself. Zero when nothing was claimed recently: no estimate.
func Estimate(recentWaits []time.Duration, position int) time.Duration {
	if len(recentWaits) == 0 || position < 1 {
		return 0
	}
	w := slices.Clone(recentWaits)
	slices.Sort(w)
	median := w[len(w)/2]
	if len(w)%2 == 0 {
		median = (w[len(w)/2-1] + w[len(w)/2]) / 2
	}
	return median * time.Duration(position)
}

// maxRoutingText bounds a routing value a bot remembers (a team, a tag, the
// note).
const (
	maxRoutingText = 2000
	maxTags        = 20
)

// ParseRouting reads the routing a bot remembered as `livechat` before it
// sent LIVECHAT_SESSION_START: {"team", "priority", "tags", "note"}.
// Nothing remembered is no routing. A value of the wrong shape is an error
// naming the field; the caller logs it and opens the session unrouted
// rather than leave the customer without an agent.
func ParseRouting(raw json.RawMessage) (switchboard.Routing, error) {
	var r switchboard.Routing
	if len(raw) == 0 || string(raw) == "null" {
		return r, nil
	}
	// A flow's `remember livechat = {...}` stores the object as CSML
	// does, wrapped in {"_content_type", "_content"}: the routing is the
	// content.
	var wrapped struct {
		Content json.RawMessage `json:"_content"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Content) > 0 {
		raw = wrapped.Content
	}
	var in struct {
		Team     *string         `json:"team"`
		Priority *string         `json:"priority"`
		Tags     json.RawMessage `json:"tags"`
		Note     *string         `json:"note"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return r, fmt.Errorf("livechat memory: want an object with team, priority, tags and note: %w", err)
	}
	if in.Team != nil {
		r.Team = strings.ToLower(strings.TrimSpace(*in.Team))
		if err := CheckTeamID("livechat.team", r.Team); r.Team != "" && err != nil {
			return switchboard.Routing{}, err
		}
	}
	if in.Priority != nil {
		r.Priority = strings.ToLower(strings.TrimSpace(*in.Priority))
		if r.Priority != "" && !slices.Contains(switchboard.Priorities, r.Priority) {
			return switchboard.Routing{}, fmt.Errorf("livechat.priority %q is unknown: use low, normal, high or urgent", r.Priority)
		}
	}
	if len(in.Tags) > 0 && string(in.Tags) != "null" {
		if err := json.Unmarshal(in.Tags, &r.Tags); err != nil {
			return switchboard.Routing{}, fmt.Errorf("livechat.tags: want a list of texts: %w", err)
		}
		if len(r.Tags) > maxTags {
			return switchboard.Routing{}, fmt.Errorf("livechat.tags has %d tags: keep at most %d", len(r.Tags), maxTags)
		}
		for i, tag := range r.Tags {
			r.Tags[i] = strings.TrimSpace(tag)
			if r.Tags[i] == "" || len(r.Tags[i]) > 100 {
				return switchboard.Routing{}, fmt.Errorf("livechat.tags[%d] is empty or longer than 100 bytes", i)
			}
		}
	}
	if in.Note != nil {
		r.Note = strings.TrimSpace(*in.Note)
		if len(r.Note) > maxRoutingText {
			return switchboard.Routing{}, fmt.Errorf("livechat.note is %d bytes long: keep it under %d", len(r.Note), maxRoutingText)
		}
	}
	return r, nil
}
