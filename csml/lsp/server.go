package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"switchboard/csml"
)

// Options are what the server needs from its host.
type Options struct {
	// LoadBot finds the bot folder the flow file at path belongs to. It
	// returns a Bot without Key for a file outside any bot folder (the file
	// is then a bot of one flow), and an error for a bot folder that does
	// not load (shown as a diagnostic).
	LoadBot func(path string) (Bot, error)
}

// Bot is a bot folder as LoadBot finds it.
type Bot struct {
	// Key names the bot (its folder): documents with the same key are
	// flows of one bot.
	Key string
	// Source is the bot as validate compiles it, flows read from disk.
	Source csml.Source
	// Flow is the name of the flow the file holds; Files are the flows'
	// file paths, by flow name.
	Flow  string
	Files map[string]string
}

// errNoShutdown is returned when the client sent exit without shutdown
// (the protocol asks the server to exit with status 1 then).
var errNoShutdown = errors.New("lsp: exit without shutdown")

// Serve answers the LSP client that writes to in and reads from out, until
// the client sends exit, in ends or ctx is done.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	s := &server{opts: opts, out: &writer{w: out}, docs: map[string]*document{}, bots: map[string]*botState{}}
	r := newReader(in)
	for ctx.Err() == nil {
		body, err := r.read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			if err := s.out.write(&message{ID: nullID(), Error: &rpcError{codeParseError, "message is not JSON: " + err.Error()}}); err != nil {
				return err
			}
			continue
		}
		if m.Method == "exit" {
			if !s.shutdown {
				return errNoShutdown
			}
			return nil
		}
		if err := s.handle(&m); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func nullID() *json.RawMessage {
	n := json.RawMessage("null")
	return &n
}

type server struct {
	opts     Options
	out      *writer
	docs     map[string]*document
	bots     map[string]*botState
	shutdown bool
}

// document is an open document: its text takes the place of its flow's file.
type document struct {
	uri, text, flow string
	bot             *botState
}

// handle answers one request or takes one notification.
func (s *server) handle(m *message) error {
	var p docParams
	if len(m.Params) > 0 && m.Method != "initialize" {
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return s.reply(m, nil, &rpcError{codeInvalidParams, m.Method + ": " + err.Error()})
		}
	}
	if s.shutdown && m.ID != nil {
		return s.reply(m, nil, &rpcError{codeInvalidRequest, "the server is shut down"})
	}
	switch m.Method {
	case "initialize":
		return s.reply(m, map[string]any{
			"capabilities": map[string]any{
				"textDocumentSync":   map[string]any{"openClose": true, "change": 1, "save": true},
				"definitionProvider": true,
				"hoverProvider":      true,
				"completionProvider": map[string]any{"triggerCharacters": []string{"@"}},
			},
			"serverInfo": map[string]string{"name": "switchboard csml lsp"},
		}, nil)
	case "shutdown":
		s.shutdown = true
		return s.reply(m, nil, nil)
	case "textDocument/didOpen":
		return s.open(p.TextDocument.URI, p.TextDocument.Text)
	case "textDocument/didChange":
		d := s.docs[p.TextDocument.URI]
		if d == nil || len(p.ContentChanges) == 0 {
			return nil
		}
		d.text = p.ContentChanges[len(p.ContentChanges)-1].Text
		return s.analyse(d.bot, d)
	case "textDocument/didSave":
		if d := s.docs[p.TextDocument.URI]; d != nil {
			return s.open(d.uri, d.text)
		}
		return nil
	case "textDocument/didClose":
		return s.close(p.TextDocument.URI)
	case "textDocument/definition":
		return s.reply(m, s.withDoc(p, s.definition), nil)
	case "textDocument/completion":
		return s.reply(m, s.withDoc(p, s.completion), nil)
	case "textDocument/hover":
		return s.reply(m, s.withDoc(p, s.hover), nil)
	}
	if m.ID != nil {
		return s.reply(m, nil, &rpcError{codeMethodNotFound, "method not supported: " + m.Method})
	}
	return nil // other notifications ($/cancelRequest, initialized...) need nothing
}

// withDoc runs answer for the document and position of p (nil when the
// document is not open or the position is outside it).
func (s *server) withDoc(p docParams, answer func(*document, int) any) any {
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		return nil
	}
	off := offsetOf(d.text, p.Position)
	if off < 0 {
		return nil
	}
	return answer(d, off)
}

func (s *server) reply(m *message, result any, e *rpcError) error {
	if m.ID == nil {
		return nil
	}
	if result == nil && e == nil {
		result = json.RawMessage("null")
	}
	return s.out.write(&message{ID: m.ID, Result: result, Error: e})
}

func (s *server) notify(method string, params any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode %s: %w", method, err)
	}
	return s.out.write(&message{Method: method, Params: raw})
}

// open reads the bot the document belongs to again (other flows may have
// changed on disk) and checks it with the document's text.
func (s *server) open(uri, text string) error {
	path := filePath(uri)
	var b Bot
	var loadErr error
	if s.opts.LoadBot != nil && path != "" {
		b, loadErr = s.opts.LoadBot(path)
	}
	flow := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if flow == "" || flow == "." {
		flow = "Default"
	}
	if b.Key == "" {
		// A lone flow is a bot of one flow, named as its file.
		b = Bot{Key: uri, Flow: flow, Source: csml.Source{DefaultFlow: flow, Flows: []csml.FlowSource{{Name: flow}}, DropBrokenFlows: true}}
	}
	bs := s.bots[b.Key]
	if bs == nil {
		bs = &botState{docs: map[string]*document{}}
		s.bots[b.Key] = bs
	}
	bs.key, bs.src, bs.files, bs.loadErr = b.Key, b.Source, b.Files, loadErr
	if old := s.docs[uri]; old != nil && old.bot != bs {
		delete(old.bot.docs, old.flow)
	}
	d := &document{uri: uri, text: text, flow: b.Flow, bot: bs}
	s.docs[uri] = d
	bs.docs[d.flow] = d
	return s.analyse(bs, d)
}

func (s *server) close(uri string) error {
	d := s.docs[uri]
	if d == nil {
		return nil
	}
	delete(s.docs, uri)
	delete(d.bot.docs, d.flow)
	if len(d.bot.docs) == 0 {
		delete(s.bots, d.bot.key)
	}
	return s.notify("textDocument/publishDiagnostics", publishDiagnostics{URI: uri, Diagnostics: []diagnostic{}})
}

// filePath is the local path of a file: URI, or "" for other schemes.
func filePath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.FromSlash(u.Path)
}

// fileURI is the file: URI of a local path.
func fileURI(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}
