// Package csml is the entry point to switchboard's CSML implementation: it
// compiles a bot's flows once and runs one interpretation at a time, as the
// reference engine's interpret(bot, context, event) does. It knows nothing of
// storage, HTTP or livechat; the engine passes everything in and stores what
// comes out.
//
// Between two runs the engine keeps, per conversation:
//   - Result.Current, the client's memories in the memory format (a
//     top-level object is {"_content_type": ..., "_content": {...}}), given
//     back as Context.Memories;
//   - Result.Flow and Result.Step, where to continue (when not Result.End);
//   - Result.Hold, when set, given back as Context.Hold with the next event.
//     It is plain JSON: store it as it is. Its StepHash makes a run drop a
//     hold whose step has changed since (the flow then restarts at start).
//
// The packages below do the work: syntax (scanner, parser, positions,
// errors), interp (values, evaluation, the step loop) and stdlib (methods
// and builtins).
package csml

import (
	"encoding/json"
	"time"

	"switchboard/csml/interp"
)

// Source is a bot as handed to Compile.
type Source struct {
	ID          string
	Name        string
	DefaultFlow string
	Flows       []FlowSource
	// Env is the bot's env JSON, readable as _env (nil reads as null).
	Env json.RawMessage
	// CustomComponents is {"Name": {"params": [...]}} as in the reference.
	CustomComponents json.RawMessage
	// NoNativeComponents leaves out the built-in components (Button, Card, ...).
	NoNativeComponents bool
	AppsEndpoint       string
	// Modules are the flows of the bot's modules, which flows read with
	// import fn from modules/name (the module's name is the flow's).
	Modules []FlowSource
	// DropBrokenFlows compiles a bot whose flows do not all parse, without
	// them, as the reference's interpreter does (running them says they do
	// not exist). By default such a bot does not compile.
	DropBrokenFlows bool
}

// FlowSource is one flow's CSML source.
type FlowSource struct {
	ID       string
	Name     string
	Content  string
	Commands []string
}

// Severity tells whether a diagnostic prevents running the bot.
type Severity string

// Diagnostic severities: parse errors block a flow; lint errors make the
// bot invalid for the reference's validation, but it runs; warnings are
// advice.
const (
	SeverityError   Severity = "error"
	SeverityLint    Severity = "lint"
	SeverityWarning Severity = "warning"
)

// Diagnostic is one problem found in a flow, with its position (1-based line and
// byte column) and an excerpt of the source line with a caret under the column.
type Diagnostic struct {
	Flow      string   `json:"flow"`
	Line      int      `json:"start_line"`
	Column    int      `json:"start_column"`
	EndLine   int      `json:"end_line"`
	EndColumn int      `json:"end_column"`
	Message   string   `json:"message"`
	Severity  Severity `json:"severity"`
	Excerpt   string   `json:"excerpt,omitempty"`
}

// Event is what the user sent, in the reference's shape.
type Event struct {
	ContentType string `json:"content_type"`
	// ContentValue is what a bare `event` evaluates to.
	ContentValue string `json:"content_value"`
	// Content is the JSON object read by event.key (nil reads as {}).
	Content json.RawMessage `json:"content"`
	Secure  bool            `json:"secure"`
}

// HoldIndex is the position of a hold inside a step, counted as the reference
// counts actions (depth-first across all if branches).
type HoldIndex struct {
	CommandIndex int   `json:"command_index"`
	LoopIndex    []int `json:"loop_index"`
}

// Hold is a saved position where a flow waits for the next event, in the
// reference engine's shape plus a hash of the step's source: a hold whose step
// changed since is dropped, and the flow restarts.
type Hold struct {
	Index    HoldIndex                  `json:"index"`
	StepVars map[string]json.RawMessage `json:"step_vars"`
	StepName string                     `json:"step_name"`
	FlowName string                     `json:"flow_name"`
	Previous json.RawMessage            `json:"previous"`
	Secure   bool                       `json:"secure"`
	StepHash string                     `json:"step_hash,omitempty"`
}

// Context is where a run starts and what it can read. An empty Flow or Step
// is taken from Hold, else the default flow and "start"; Flow may be a flow
// id or a name in any case.
type Context struct {
	Flow string
	Step string
	// Memories are the client's remembered values, by key, in the format Result
	// reports them (a top-level object is {"_content_type", "_content"};
	// plain JSON is accepted too).
	Memories map[string]json.RawMessage
	// Metadata is the request metadata object, readable as _metadata.
	Metadata json.RawMessage
	Hold     *Hold
	// StepLimit overrides the step limit for this run when > 0 (the
	// event's step_limit in the reference).
	StepLimit int
	// Client identifies the conversation's user; App() calls send it.
	Client Client
}

// Client is who a conversation is with, as the reference identifies it.
type Client struct {
	BotID     string `json:"bot_id"`
	ChannelID string `json:"channel_id"`
	UserID    string `json:"user_id"`
}

// Message is one message a run produced: {"content", "content_type"}.
type Message struct {
	Content     json.RawMessage `json:"content"`
	ContentType string          `json:"content_type"`
}

// Memory is one remember of a run, as the reference reports it.
type Memory struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// Result is everything one run produced.
type Result struct {
	Messages []Message
	// Memories are the run's writes in order, duplicates included (the
	// reference's result).
	Memories []Memory
	// Current is the client's whole memory after the run (remembers applied,
	// forgets removed): what the engine stores.
	Current map[string]json.RawMessage
	// Hold is set when the run stopped on a hold.
	Hold *Hold
	// Flow and Step are where the run stopped.
	Flow string
	Step string
	// End is true when the conversation ended: goto end, a step that ran off its
	// end, or a fatal error (step limit and cancellation included).
	End bool
	// Duration is how long the run took.
	Duration time.Duration
	// SwitchBot is set when the run ended on goto step@flow in bot: the
	// engine goes on in that bot when the client's channel lists it (see
	// engine/multibot.go), as the reference engine does.
	SwitchBot *BotSwitch
}

// BotSwitch is the target of a goto ... in bot (an empty Flow is the
// other bot's default flow).
type BotSwitch = interp.BotSwitch
