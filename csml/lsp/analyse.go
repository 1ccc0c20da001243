package lsp

import (
	"maps"
	"slices"

	"switchboard/csml"
	"switchboard/csml/interp"
	"switchboard/csml/syntax"
)

// botState is a bot with open documents: its source as loaded, the open
// documents by flow name, and the syntax trees of its flows (parsed when
// navigation first needs them after a change).
type botState struct {
	key     string
	src     csml.Source
	files   map[string]string
	loadErr error
	docs    map[string]*document
	trees   map[string]*syntax.Flow
	custom  map[string]*interp.Component
}

// source is the bot with the open documents' texts in place of their flows
// (a document whose flow the bot does not list is added to it).
func (b *botState) source() csml.Source {
	src := b.src
	src.Flows = make([]csml.FlowSource, 0, len(b.src.Flows)+1)
	seen := map[string]bool{}
	for _, f := range b.src.Flows {
		if d := b.docs[f.Name]; d != nil {
			f.Content = d.text
		}
		seen[f.Name] = true
		src.Flows = append(src.Flows, f)
	}
	for name, d := range b.docs {
		if !seen[name] {
			src.Flows = append(src.Flows, csml.FlowSource{Name: name, Content: d.text})
		}
	}
	return src
}

// analyse compiles the bot as validate does and publishes each open
// document's diagnostics, those of first (the document edited) first.
func (s *server) analyse(b *botState, first *document) error {
	b.trees = nil
	byFlow := map[string][]diagnostic{}
	for name := range b.docs {
		byFlow[name] = []diagnostic{}
	}
	var general []csml.Diagnostic
	if b.loadErr != nil {
		general = append(general, csml.Diagnostic{Message: b.loadErr.Error(), Severity: csml.SeverityError})
	}
	_, diags := csml.Compile(b.source())
	for _, d := range diags {
		doc := b.docs[d.Flow]
		if doc == nil {
			if d.Flow == "" {
				general = append(general, d)
			}
			continue
		}
		byFlow[d.Flow] = append(byFlow[d.Flow], toDiagnostic(doc.text, d))
	}
	// The document being edited first, then the others in flow order.
	names := slices.Sorted(maps.Keys(b.docs))
	if i := slices.Index(names, first.flow); i > 0 {
		names = slices.Insert(slices.Delete(names, i, i+1), 0, first.flow)
	}
	for _, name := range names {
		doc := b.docs[name]
		list := byFlow[name]
		for _, d := range general {
			list = append(list, toDiagnostic(doc.text, d))
		}
		if err := s.notify("textDocument/publishDiagnostics", publishDiagnostics{URI: doc.uri, Diagnostics: list}); err != nil {
			return err
		}
	}
	return nil
}

// toDiagnostic converts a compile diagnostic; one without an end is
// stretched over the word (or character) it starts at.
func toDiagnostic(text string, d csml.Diagnostic) diagnostic {
	start := toLSP(text, d.Line, d.Column)
	end := toLSP(text, d.EndLine, d.EndColumn)
	if d.EndLine < d.Line || (d.EndLine == d.Line && d.EndColumn <= d.Column) {
		end = start
		if off := offsetOf(text, start); off >= 0 {
			from, to := wordAt(text, off)
			if from != off || to == off {
				to = min(off+1, len(text))
			}
			end.Character += utf16Len(text[off:to])
		}
	}
	sev := severityError
	if d.Severity == csml.SeverityWarning {
		sev = severityWarning
	}
	return diagnostic{Range: lspRange{start, end}, Severity: sev, Source: "csml", Message: d.Message}
}

// parsed returns the syntax trees of the bot's flows by name, parsing them
// after a change.
func (b *botState) parsed() map[string]*syntax.Flow {
	if b.trees == nil {
		b.trees = map[string]*syntax.Flow{}
		for _, f := range b.source().Flows {
			b.trees[f.Name], _ = syntax.Parse(f.Name, f.Content)
		}
		b.custom, _ = interp.ParseComponents(b.src.CustomComponents)
	}
	return b.trees
}

// tree returns the syntax tree of a flow of the bot (nil when the bot has
// no such flow).
func (b *botState) tree(flow string) *syntax.Flow { return b.parsed()[flow] }

// flowText returns the current text of a flow of the bot.
func (b *botState) flowText(flow string) string {
	if d := b.docs[flow]; d != nil {
		return d.text
	}
	for _, f := range b.src.Flows {
		if f.Name == flow {
			return f.Content
		}
	}
	return ""
}

// flowURI returns the URI of a flow's document or file ("" when unknown).
func (b *botState) flowURI(flow string) string {
	if d := b.docs[flow]; d != nil {
		return d.uri
	}
	if p := b.files[flow]; p != "" {
		return fileURI(p)
	}
	return ""
}
