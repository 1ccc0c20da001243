package csml

import (
	"fmt"
	"regexp"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/stdlib"
	"switchboard/csml/syntax"
)

// Bot is a compiled bot: every flow parsed once, ready to run any number of
// times, concurrently.
type Bot struct {
	id    string
	prog  *interp.Program
	flows []flowInfo
}

type flowInfo struct {
	id       string
	name     string
	commands []string
	syntax   *syntax.Flow
}

// Compile parses every flow once. Parse errors (SeverityError) make the bot
// nil, unless src.DropBrokenFlows; lint problems (SeverityLint,
// SeverityWarning) are returned alongside a usable bot.
func Compile(src Source) (bot *Bot, diags []Diagnostic) {
	var list diagnostics
	defer func() {
		if p := recover(); p != nil {
			bot = nil
			diags = append(list.done(), Diagnostic{Message: fmt.Sprintf("internal error: %v", p), Severity: SeverityError})
		}
	}()
	b := &Bot{id: src.ID}
	lib := stdlib.Library()
	prog := &interp.Program{ID: src.ID, Flows: map[string]*interp.Flow{}, Library: lib, AppsEndpoint: src.AppsEndpoint}
	// parse compiles one flow, and tells whether it has errors.
	parse := func(fs FlowSource) (*syntax.Flow, *interp.Flow, bool) {
		f, errs := syntax.Parse(fs.Name, fs.Content)
		fl, constErrs := interp.NewFlow(f)
		for _, e := range append(errs, constErrs...) {
			list.add(fs.Name, fs.Content, e, SeverityError)
		}
		return f, fl, len(errs)+len(constErrs) > 0
	}
	var parsed, modules []*syntax.Flow
	broken := false
	for _, fs := range src.Flows {
		f, fl, failed := parse(fs)
		if failed {
			broken = true
			if src.DropBrokenFlows {
				continue
			}
		}
		prog.Flows[fs.Name] = fl
		parsed = append(parsed, f)
		b.flows = append(b.flows, flowInfo{id: fs.ID, name: fs.Name, commands: fs.Commands, syntax: f})
	}
	for _, ms := range src.Modules {
		f, fl, failed := parse(ms)
		if failed {
			broken = true
			continue
		}
		if prog.Modules == nil {
			prog.Modules = map[string]*interp.Flow{}
		}
		prog.Modules[ms.Name] = fl
		modules = append(modules, f)
	}
	if len(src.Env) > 0 {
		env, err := interp.ParseJSON(src.Env)
		if err != nil {
			list.put(Diagnostic{Message: "env: " + err.Error(), Severity: SeverityError})
			broken = true
		}
		prog.Env = env
	}
	if !src.NoNativeComponents {
		prog.Components = interp.NativeComponents()
	}
	custom, err := interp.ParseComponents(src.CustomComponents)
	if err != nil {
		list.put(Diagnostic{Message: "custom components: " + err.Error(), Severity: SeverityError})
		broken = true
	}
	prog.Custom = custom
	prog.DefaultFlow = b.defaultFlow(src.DefaultFlow)
	if prog.DefaultFlow == "" {
		if !broken {
			list.put(Diagnostic{Message: fmt.Sprintf("default flow [%s] does not exist", src.DefaultFlow), Severity: SeverityWarning})
		}
		prog.DefaultFlow = src.DefaultFlow
	}
	if !broken {
		// As the reference, lint only a bot that parses: a broken flow
		// would make the linter report false errors.
		callable := func(name string) bool {
			_, isBuiltin := lib.Builtins[name]
			return isBuiltin || prog.Components[name] != nil
		}
		cfg := syntax.LintConfig{DefaultFlow: prog.DefaultFlow, Modules: modules, Callable: callable}
		for _, p := range syntax.Lint(parsed, cfg) {
			sev := SeverityLint
			if p.Warning {
				sev = SeverityWarning
			}
			list.add(p.Flow, b.source(src, p.Flow), p.Err, sev)
		}
	}
	if broken && !src.DropBrokenFlows {
		return nil, list.done()
	}
	b.prog = prog
	return b, list.done()
}

// MaxDiagnostics bounds the diagnostics Compile returns for a bot (each flow
// gives at most syntax.MaxErrors from the parser and as many from the
// linter); one more then says how many were left out.
const MaxDiagnostics = 1000

// diagnostics collects a bot's diagnostics up to MaxDiagnostics, counting
// the rest, so that a bot with problems everywhere takes bounded memory.
type diagnostics struct {
	list []Diagnostic
	more int
}

// add collects the diagnostic of a problem found in the source src.
func (l *diagnostics) add(flow, src string, e *syntax.Error, sev Severity) {
	if len(l.list) >= MaxDiagnostics {
		l.more++
		return
	}
	l.list = append(l.list, diagnostic(flow, src, e, sev))
}

// put collects a diagnostic made already.
func (l *diagnostics) put(d Diagnostic) {
	if len(l.list) >= MaxDiagnostics {
		l.more++
		return
	}
	l.list = append(l.list, d)
}

// done returns the diagnostics collected, then the count of those left out.
func (l *diagnostics) done() []Diagnostic {
	if l.more > 0 {
		return append(l.list, Diagnostic{Message: fmt.Sprintf("%d more problems are not listed: fix these first", l.more), Severity: SeverityWarning})
	}
	return l.list
}

func diagnostic(flow, src string, e *syntax.Error, sev Severity) Diagnostic {
	d := Diagnostic{
		Flow: flow, Line: e.Pos.Line, Column: e.Pos.Col, EndLine: e.End.Line, EndColumn: e.End.Col,
		Message: e.Msg, Severity: sev,
	}
	if e.Pos.Line > 0 {
		d.Excerpt = syntax.Excerpt(src, e.Pos)
	}
	return d
}

func (b *Bot) source(src Source, flow string) string {
	for _, f := range src.Flows {
		if f.Name == flow {
			return f.Content
		}
	}
	return ""
}

// defaultFlow matches the configured default flow against flow ids and
// names; with nothing configured, the first flow is the default.
func (b *Bot) defaultFlow(want string) string {
	if want == "" && len(b.flows) > 0 {
		return b.flows[0].name
	}
	for _, f := range b.flows {
		if f.id == want || f.name == want {
			return f.name
		}
	}
	name, _ := b.FlowByName(want)
	return name
}

// Format renders a diagnostic as the reference engine's validation message:
// "at line N,\n<source line>\n<caret>\n<message>\n\n" (just the message when
// it has no position).
func (d Diagnostic) Format() string {
	if d.Line <= 0 {
		return d.Message
	}
	return fmt.Sprintf("at line %d,\n%s\n%s\n\n", d.Line, d.Excerpt, d.Message)
}

// ID returns the bot's id.
func (b *Bot) ID() string { return b.id }

// DefaultFlow returns the canonical name of the default flow.
func (b *Bot) DefaultFlow() string { return b.prog.DefaultFlow }

// FlowByName returns the canonical name of the flow whose id or name equals
// nameOrID, ignoring case.
func (b *Bot) FlowByName(nameOrID string) (string, bool) {
	for _, f := range b.flows {
		if f.name == nameOrID || f.id == nameOrID {
			return f.name, true
		}
	}
	for _, f := range b.flows {
		if strings.EqualFold(f.name, nameOrID) || strings.EqualFold(f.id, nameOrID) {
			return f.name, true
		}
	}
	return "", false
}

// FlowByCommand returns the first flow (in source order) having a command
// equal to text, ignoring case. The reference picks one at random among
// several.
func (b *Bot) FlowByCommand(text string) (string, bool) {
	for _, f := range b.flows {
		for _, c := range f.commands {
			if strings.EqualFold(c, text) {
				return f.name, true
			}
		}
	}
	return "", false
}

// FlowByRegex returns the first flow (in source order) having a command
// that the regular expression pattern matches (a regex event). The
// reference picks one at random among several; an invalid pattern matches
// nothing.
func (b *Bot) FlowByRegex(pattern string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	for _, f := range b.flows {
		for _, c := range f.commands {
			if re.MatchString(c) {
				return f.name, true
			}
		}
	}
	return "", false
}

// HasStep reports whether flow (a name or id) has a step named step.
func (b *Bot) HasStep(flow, step string) bool {
	return b.step(flow, step) != nil
}

func (b *Bot) step(flow, step string) *syntax.Step {
	name, ok := b.FlowByName(flow)
	if !ok {
		return nil
	}
	return b.prog.Flows[name].Steps[step]
}
