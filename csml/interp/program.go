package interp

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"switchboard/csml/syntax"
)

// Program is a compiled bot, shared read-only by every run.
type Program struct {
	ID          string
	DefaultFlow string
	Flows       map[string]*Flow
	// Env is the bot's env, read as _env.
	Env Value
	// Components are the native components by name (nil when disabled);
	// Custom are the custom ones, called as Component.Name(...).
	Components map[string]*Component
	Custom     map[string]*Component
	// Library holds the methods and builtins beyond the core (may be nil).
	Library *Library
	// AppsEndpoint is where App() calls are posted (empty: App() fails).
	AppsEndpoint string
	// Modules are the flows of the bot's modules, read by
	// import fn from modules/name.
	Modules map[string]*Flow
}

// Flow is a parsed flow with its constants evaluated.
type Flow struct {
	*syntax.Flow
	Consts map[string]Value
}

// Event is the user's event, in the reference's shape.
type Event struct {
	ContentType  string
	ContentValue string
	Content      json.RawMessage
	Secure       bool
}

// Hold is a saved position inside a step (see syntax.Numbering), with the
// step's variables in the memory format.
type Hold struct {
	CommandIndex int
	LoopIndex    []int
	StepVars     map[string]json.RawMessage
	Previous     json.RawMessage
	Secure       bool
	FlowName     string
	StepName     string
}

// Input is where a run starts and what it reads.
type Input struct {
	Flow     string
	Step     string
	Event    Event
	Memories map[string]json.RawMessage
	Metadata json.RawMessage
	Hold     *Hold
	// StepLimit, when > 0, overrides Limits.Steps (the event's step_limit).
	StepLimit int
	Limits    Limits
	Now       func() time.Time
	// HTTP performs the bot's HTTP calls (nil: none are allowed).
	HTTP HTTPFunc
	// SMTP sends the bot's e-mails (nil: none are allowed).
	SMTP SMTPFunc
	// Rand is the run's randomness (nil: a generator seeded at random).
	Rand *rand.Rand
	// Log receives the log actions (nil: they are dropped).
	Log func(level, msg string)
	// Client is {"bot_id", "channel_id", "user_id"}, sent to App() calls.
	Client json.RawMessage
}

// Message is one message of a run.
type Message struct {
	ContentType string
	Content     json.RawMessage
}

// Memory is one remember of a run, its value in the memory format.
type Memory struct {
	Key   string
	Value json.RawMessage
}

// Output is what a run produced.
type Output struct {
	Messages []Message
	Memories []Memory
	Current  map[string]json.RawMessage
	Hold     *Hold
	Flow     string
	Step     string
	End      bool
	// SwitchBot is set by goto step@flow in bot: where the conversation
	// goes on, in another bot.
	SwitchBot *BotSwitch
}

// BotSwitch is the target of a goto ... in bot.
type BotSwitch struct {
	Bot  string `json:"bot"`
	Flow string `json:"flow,omitempty"`
	Step string `json:"step"`
}

// DefaultStepLimit is the reference's limit of step executions per run.
const DefaultStepLimit = 100

// Error is a runtime error, reported as the reference formats it.
type Error struct {
	Msg  string
	Pos  syntax.Pos
	Flow string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s at line %d, column %d at flow [%s]", e.Msg, e.Pos.Line, e.Pos.Col, e.Flow)
}
