package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"switchboard"
	"switchboard/csml"
)

// Bot is a loaded bot: its stored version and its compiled flows.
type Bot struct {
	Version     switchboard.BotVersion
	Program     *csml.Bot
	Diagnostics []csml.Diagnostic
}

// Bots is the set of bots the engine runs, compiled once and kept in memory.
type Bots struct {
	mu sync.RWMutex
	m  map[string]*Bot
}

// NewBots returns an empty set.
func NewBots() *Bots { return &Bots{m: make(map[string]*Bot)} }

// Compile compiles a bot version without loading it. A bot with parse errors
// is refused with an EINVALID error listing every error with its position.
func Compile(v switchboard.BotVersion) (*Bot, error) {
	prog, diags := csml.Compile(sourceOf(v.Bot))
	if prog == nil {
		return nil, &switchboard.Error{Code: switchboard.EINVALID, Message: FormatDiagnostics(v.Bot.Name, diags)}
	}
	return &Bot{Version: v, Program: prog, Diagnostics: diags}, nil
}

// Diagnose compiles a bot and returns everything the compiler found, errors
// and warnings, for tools that show them one by one.
func Diagnose(b switchboard.Bot) []csml.Diagnostic {
	_, diags := csml.Compile(sourceOf(b))
	return diags
}

// sourceOf is a bot as the CSML compiler reads it.
func sourceOf(b switchboard.Bot) csml.Source {
	src := csml.Source{
		ID: b.ID, Name: b.Name, DefaultFlow: b.DefaultFlow,
		Env: b.Env, CustomComponents: b.CustomComponents, AppsEndpoint: b.AppsEndpoint,
	}
	for _, f := range b.Flows {
		src.Flows = append(src.Flows, csml.FlowSource{ID: f.ID, Name: f.Name, Content: f.Content, Commands: f.Commands})
	}
	for _, m := range b.Modules {
		if m.Flow != nil { // downloaded at import; a module without one is reported by the imports that need it
			src.Modules = append(src.Modules, csml.FlowSource{ID: m.Name, Name: m.Name, Content: m.Flow.Content})
		}
	}
	return src
}

// FormatDiagnostics renders errors for a person: one block per error with the
// flow, line and column, the message and the source excerpt with its caret.
func FormatDiagnostics(botName string, diags []csml.Diagnostic) string {
	var sb strings.Builder
	n := 0
	for _, d := range diags {
		if d.Severity == csml.SeverityError {
			n++
		}
	}
	fmt.Fprintf(&sb, "bot %q has %d CSML error(s):", botName, n)
	for _, d := range diags {
		if d.Severity != csml.SeverityError {
			continue
		}
		fmt.Fprintf(&sb, "\n  flow %s, line %d, column %d: %s", d.Flow, d.Line, d.Column, d.Message)
		if d.Excerpt != "" {
			for _, l := range strings.Split(strings.TrimRight(d.Excerpt, "\n"), "\n") {
				sb.WriteString("\n    " + l)
			}
		}
	}
	return sb.String()
}

// Put compiles and loads (or replaces) a bot.
func (s *Bots) Put(v switchboard.BotVersion) (*Bot, error) {
	b, err := Compile(v)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.m[v.Bot.ID] = b
	s.mu.Unlock()
	return b, nil
}

// Get returns a loaded bot.
func (s *Bots) Get(id string) (*Bot, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.m[id]
	return b, ok
}

// List returns the loaded bots by id.
func (s *Bots) List() []*Bot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Bot, 0, len(s.m))
	for _, b := range s.m {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version.Bot.ID < out[j].Version.Bot.ID })
	return out
}

// Remove unloads a bot.
func (s *Bots) Remove(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}
