package interp

import (
	"fmt"
	"time"

	"switchboard/csml/syntax"
)

// Limits bound what one run may do: the sandbox. A zero field takes its
// default.
type Limits struct {
	// Steps is the number of step executions per run (the reference's
	// STEP_LIMIT, 100).
	Steps int `json:"steps,omitempty"`
	// Memory is how many bytes of values a run may create: strings built,
	// arrays and objects made or copied. Reaching it is a fatal error.
	Memory int64 `json:"memory,omitempty"`
	// Loops is how many while iterations a run may make, all loops
	// together; the reference has no such limit and hangs.
	Loops int `json:"loops,omitempty"`
	// Time is the wall-clock time a run may take; the run's context is
	// canceled after it.
	Time time.Duration `json:"time,omitempty"`
	// Messages is how many messages (error messages included) a run may
	// send, and MessageBytes how many bytes of content they may weigh
	// together; the reference bounds neither, so a loop of say could answer
	// one event with 100,000 messages. Reaching either is a fatal error.
	Messages     int   `json:"messages,omitempty"`
	MessageBytes int64 `json:"message_bytes,omitempty"`
}

// Defaults of Limits.
const (
	DefaultMemoryLimit = 64 << 20
	DefaultLoopLimit   = 100_000
	DefaultTimeLimit   = 30 * time.Second
	// A turn of a real bot sends a handful of messages; these leave room for
	// long lists and carousels.
	DefaultMessageLimit     = 500
	DefaultMessageByteLimit = 2 << 20
)

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.Steps <= 0 {
		l.Steps = DefaultStepLimit
	}
	if l.Memory <= 0 {
		l.Memory = DefaultMemoryLimit
	}
	if l.Loops <= 0 {
		l.Loops = DefaultLoopLimit
	}
	if l.Time <= 0 {
		l.Time = DefaultTimeLimit
	}
	if l.Messages <= 0 {
		l.Messages = DefaultMessageLimit
	}
	if l.MessageBytes <= 0 {
		l.MessageBytes = DefaultMessageByteLimit
	}
	return l
}

// Sizes used to account for values: a Value, an object entry.
const (
	valueSize = 64
	entrySize = valueSize + 16
)

// charge counts n bytes against the memory budget. Past the budget the run
// keeps a fatal error, which ends it after the current action (before any
// message of that action is sent).
func (r *run) charge(n int) {
	r.used += int64(n)
	if r.used > r.limits.Memory && r.fatal == nil {
		r.fatal = r.errorAt(r.at, fmt.Sprintf("[Memory limit] values created in a single run exceed %d bytes", r.limits.Memory))
	}
}

// chargeValue counts a value made anew: its strings, and the items and
// entries of its arrays and objects (not what they share with others).
func (r *run) chargeValue(v Value) {
	switch v.kind {
	case String:
		r.charge(len(v.s))
	case Array:
		r.charge(valueSize * len(v.arr.Items))
	case Object:
		r.charge(entrySize * v.obj.Len())
	}
}

// chargeDeep counts a whole value, as a copy of it costs.
func (r *run) chargeDeep(v Value) {
	r.charge(deepSize(v))
}

// deepSize is the approximate number of bytes v holds.
func deepSize(v Value) int {
	switch v.kind {
	case String:
		return valueSize + len(v.s)
	case Array:
		n := valueSize
		for _, it := range v.arr.Items {
			n += deepSize(it)
		}
		return n
	case Object:
		n := valueSize
		for _, e := range v.obj.entries {
			n += 16 + len(e.key) + deepSize(e.val)
		}
		return n
	}
	return valueSize
}

// store returns a copy of v that a variable can own, counted against the
// memory budget.
func (r *run) store(v Value) Value {
	if v.kind == Array || v.kind == Object {
		r.chargeDeep(v)
	}
	return v.Clone()
}

// loopTurn counts one while iteration; past the limit it is a fatal error.
func (r *run) loopTurn(pos syntax.Pos) error {
	r.loops++
	if r.loops > r.limits.Loops {
		return r.errorAt(pos, fmt.Sprintf("[Infinite loop] Loop limit reached: %d iterations where executed in a single run", r.limits.Loops))
	}
	return nil
}

// withinMessageBudget counts a message of n bytes about to be sent. Past
// the budget the message is dropped and the run keeps a fatal error, which
// ends it after the current action with one error message.
func (r *run) withinMessageBudget(n int) bool {
	r.said += int64(n)
	var msg string
	switch {
	case len(r.out.Messages) >= r.limits.Messages:
		msg = fmt.Sprintf("[Message limit] a single run may send at most %d messages", r.limits.Messages)
	case r.said > r.limits.MessageBytes:
		msg = fmt.Sprintf("[Message limit] messages sent in a single run exceed %d bytes", r.limits.MessageBytes)
	default:
		return true
	}
	if r.fatal == nil {
		r.fatal = r.errorAt(r.at, msg)
	}
	return false
}
