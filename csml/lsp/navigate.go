package lsp

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// isIdent reports whether c may be part of a CSML name (the scanner reads
// ask-name as one identifier).
func isIdent(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// wordAt returns the bounds of the name around offset off.
func wordAt(text string, off int) (from, to int) {
	from, to = off, off
	for from > 0 && isIdent(text[from-1]) {
		from--
	}
	for to < len(text) && isIdent(text[to]) {
		to++
	}
	return from, to
}

// What the text before a name says it is.
var (
	afterGotoStep = regexp.MustCompile(`\bgoto\s+(step\s+)?$`)
	afterGotoFlow = regexp.MustCompile(`(\bgoto\s+flow\s+|\bgoto\s+[\w-]*@|\bfrom\s+)$`)
)

// nameContext says what the name at [from, to) of text, a document of
// flow current, names: "step", "flow" or "" (a function, component, builtin
// or variable); for a step, flow is the flow named after '@', else current.
func nameContext(text string, from, to int, current string) (kind, flow string) {
	lineBegin := strings.LastIndexByte(text[:from], '\n') + 1
	before := text[lineBegin:from]
	switch {
	case afterGotoFlow.MatchString(before):
		return "flow", ""
	case afterGotoStep.MatchString(before):
		if to < len(text) && text[to] == '@' {
			f, t := wordAt(text, to+1)
			if f == to+1 {
				return "step", text[f:t]
			}
		}
		return "step", current
	}
	return "", ""
}

// ref is the name at a position of a document and what it names (see
// nameContext).
type ref struct {
	name, kind, flow string
	from, to         int
}

// refAt returns the name at offset off of d, if there is one.
func refAt(d *document, off int) (ref, bool) {
	from, to := wordAt(d.text, off)
	if from == to {
		return ref{}, false
	}
	kind, flow := nameContext(d.text, from, to, d.flow)
	return ref{name: d.text[from:to], kind: kind, flow: flow, from: from, to: to}, true
}

// definition answers textDocument/definition: a goto's step or flow, a
// called function of the flow or imported from another.
func (s *server) definition(d *document, off int) any {
	r, ok := refAt(d, off)
	if !ok {
		return nil
	}
	b, name, flow := d.bot, r.name, r.flow
	switch r.kind {
	case "step":
		if t := b.tree(flow); t != nil && t.Steps[name] != nil {
			return b.location(flow, t.Steps[name].P, len(name))
		}
	case "flow":
		if f := b.flowNamed(name); f != "" {
			if st := b.tree(f).Steps["start"]; st != nil {
				return b.location(f, st.P, len("start"))
			}
			return b.location(f, syntax.Pos{Line: 1, Col: 1}, 0)
		}
	default:
		if flow, fn := b.function(d.flow, name); fn != nil {
			return b.location(flow, fn.P, 0)
		}
	}
	return nil
}

// location is the LSP location of a position in a flow (nil when the
// flow's file is unknown).
func (b *botState) location(flow string, p syntax.Pos, n int) any {
	uri := b.flowURI(flow)
	if uri == "" {
		return nil
	}
	text := b.flowText(flow)
	start := toLSP(text, p.Line, p.Col)
	end := toLSP(text, p.Line, p.Col+n)
	return location{URI: uri, Range: lspRange{start, end}}
}

// flowNamed finds a flow by name, ignoring case as the engine does.
func (b *botState) flowNamed(name string) string {
	trees := b.parsed()
	if trees[name] != nil {
		return name
	}
	for n := range trees {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// function finds the function a flow calls by name: its own, or one it
// imports from another flow.
func (b *botState) function(flow, name string) (string, *syntax.Func) {
	t := b.tree(flow)
	if t == nil {
		return "", nil
	}
	if fn := t.Funcs[name]; fn != nil {
		return flow, fn
	}
	for _, imp := range t.Imports {
		if imp.Name != name || imp.Module {
			continue
		}
		trees := b.parsed()
		for _, other := range slices.Sorted(maps.Keys(trees)) {
			if fn := trees[other].Funcs[imp.Original]; fn != nil && (imp.From == "" || imp.From == other) {
				return other, fn
			}
		}
	}
	return "", nil
}

// completion answers textDocument/completion: after goto the flow's steps,
// after goto flow, '@' or from the bot's flows; elsewhere the functions the
// flow can call, the components and the builtins.
func (s *server) completion(d *document, off int) any {
	b := d.bot
	from, _ := wordAt(d.text, off)
	kind, flow := nameContext(d.text, from, off, d.flow)
	items := []completionItem{}
	switch kind {
	case "step":
		if t := b.tree(flow); t != nil {
			for _, st := range t.Order {
				items = append(items, completionItem{Label: st.Name, Kind: kindReference, Detail: fmt.Sprintf("step of flow %s, line %d", flow, st.P.Line)})
			}
		}
		items = append(items, completionItem{Label: "end", Kind: kindReference, Detail: "ends the conversation"})
	case "flow":
		for _, name := range slices.Sorted(maps.Keys(b.parsed())) {
			items = append(items, completionItem{Label: name, Kind: kindModule, Detail: "flow"})
		}
	default:
		if t := b.tree(d.flow); t != nil {
			for _, name := range slices.Sorted(maps.Keys(t.Funcs)) {
				items = append(items, completionItem{Label: name, Kind: kindFunction, Detail: funcSig(t.Funcs[name])})
			}
			for _, imp := range t.Imports {
				detail := "imported function"
				if _, fn := b.function(d.flow, imp.Name); fn != nil {
					detail = funcSig(fn)
				}
				items = append(items, completionItem{Label: imp.Name, Kind: kindFunction, Detail: detail})
			}
		}
		comps := b.components()
		for _, name := range slices.Sorted(maps.Keys(comps)) {
			items = append(items, completionItem{Label: name, Kind: kindClass, Detail: componentSig(name, comps[name]), Documentation: markdown(componentDoc(comps[name]))})
		}
		for _, name := range builtinNames() {
			doc := builtinDocs[name]
			items = append(items, completionItem{Label: name, Kind: kindFunction, Detail: doc.sig, Documentation: markdown(doc.doc)})
		}
	}
	return items
}

// hover answers textDocument/hover with the signature and documentation of
// a builtin, a component or a function, or where a step or flow is.
func (s *server) hover(d *document, off int) any {
	r, ok := refAt(d, off)
	if !ok {
		return nil
	}
	b, name, flow := d.bot, r.name, r.flow
	var text string
	switch {
	case r.kind == "step":
		if t := b.tree(flow); t != nil && t.Steps[name] != nil {
			text = fmt.Sprintf("step **%s** of flow %s, line %d", name, flow, t.Steps[name].P.Line)
		} else if name != "end" {
			text = fmt.Sprintf("step **%s** does not exist in flow %s", name, flow)
		}
	case r.kind == "flow":
		if f := b.flowNamed(name); f != "" {
			text = fmt.Sprintf("flow **%s** (%d steps)", f, len(b.tree(f).Order))
		}
	default:
		_, fn := b.function(d.flow, name)
		comp := b.components()[name]
		doc, isBuiltin := builtinDocs[name]
		switch {
		case fn != nil:
			text = code(funcSig(fn))
		case comp != nil:
			text = code(componentSig(name, comp)) + "\n" + componentDoc(comp)
		case isBuiltin:
			text = code(doc.sig) + "\n" + doc.doc
		}
	}
	if text == "" {
		return nil
	}
	rng := lspRange{toLSPOffset(d.text, r.from), toLSPOffset(d.text, r.to)}
	return hover{Contents: markupContent{Kind: "markdown", Value: text}, Range: &rng}
}

// components are the native components and the bot's own.
func (b *botState) components() map[string]*interp.Component {
	b.parsed()
	out := interp.NativeComponents()
	if b.src.NoNativeComponents {
		out = map[string]*interp.Component{}
	}
	maps.Copy(out, b.custom)
	return out
}

func componentDoc(c *interp.Component) string {
	if c.ContentType == "" {
		return "Component."
	}
	return fmt.Sprintf("Component: builds a `%s` message.", c.ContentType)
}

func funcSig(fn *syntax.Func) string {
	return fmt.Sprintf("fn %s(%s)", fn.Name, strings.Join(fn.Params, ", "))
}

func code(s string) string { return "```csml\n" + s + "\n```" }

func markdown(s string) *markupContent { return &markupContent{Kind: "markdown", Value: s} }

// toLSPOffset converts a byte offset of text to an LSP position.
func toLSPOffset(text string, off int) position {
	line := strings.Count(text[:off], "\n")
	begin := strings.LastIndexByte(text[:off], '\n') + 1
	return position{Line: line, Character: utf16Len(text[begin:off])}
}
