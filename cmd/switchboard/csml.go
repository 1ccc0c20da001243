package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"switchboard/csml"
)

// runCSML dispatches the csml subcommands: run and lsp.
func runCSML(ctx context.Context, args []string, std stdio) error {
	if len(args) > 0 && args[0] == "lsp" {
		return runCSMLLSP(ctx, args[1:], std)
	}
	if len(args) == 0 || args[0] != "run" {
		return &exitError{code: 2, err: errors.New("usage: switchboard csml run < input.json, or switchboard csml lsp (see docs/csml.md)")}
	}
	fs := newFlagSet("csml run", std)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	return csmlRun(ctx, std)
}

// csmlRunInput is the JSON contract of `switchboard csml run` (see
// docs/csml.md): one interpretation, as the reference's
// interpret(bot, context, event).
type csmlRunInput struct {
	Kind        string            `json:"kind"`
	Flows       map[string]string `json:"flows"`
	DefaultFlow string            `json:"default_flow"`
	Bot         struct {
		ID               string          `json:"id"`
		Name             string          `json:"name"`
		NativeComponents *bool           `json:"native_components"`
		CustomComponents json.RawMessage `json:"custom_components"`
		Env              json.RawMessage `json:"env"`
		AppsEndpoint     string          `json:"apps_endpoint"`
	} `json:"bot"`
	Event struct {
		ContentType  string          `json:"content_type"`
		ContentValue string          `json:"content_value"`
		Content      json.RawMessage `json:"content"`
		Secure       bool            `json:"secure"`
		StepLimit    int             `json:"step_limit"`
	} `json:"event"`
	Context struct {
		Current  map[string]json.RawMessage `json:"current"`
		Metadata json.RawMessage            `json:"metadata"`
		Hold     *csml.Hold                 `json:"hold"`
		Step     string                     `json:"step"`
		Flow     string                     `json:"flow"`
	} `json:"context"`
}

// maxRunInput bounds the input, as the reference server bounds bodies.
const maxRunInput = 8 << 20

// csmlRun reads one input on standard input and writes one output on
// standard output. Malformed input exits 2, a flow that does not parse in
// "parse" mode exits 1; a runtime error is a message and exits 0.
func csmlRun(ctx context.Context, std stdio) error {
	in, err := readRunInput(std.in)
	if err != nil {
		return writeRunError(std.out, 2, err)
	}
	src := csml.Source{
		ID: in.Bot.ID, Name: in.Bot.Name, DefaultFlow: in.DefaultFlow,
		Env: nullRaw(in.Bot.Env), CustomComponents: nullRaw(in.Bot.CustomComponents),
		AppsEndpoint:       in.Bot.AppsEndpoint,
		NoNativeComponents: in.Bot.NativeComponents != nil && !*in.Bot.NativeComponents,
		DropBrokenFlows:    in.Kind == "run",
	}
	names := make([]string, 0, len(in.Flows))
	for name := range in.Flows {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src.Flows = append(src.Flows, csml.FlowSource{ID: name, Name: name, Content: in.Flows[name]})
	}
	bot, diags := csml.Compile(src)
	if in.Kind == "parse" {
		var msgs []string
		for _, d := range diags {
			if d.Severity == csml.SeverityError {
				msgs = append(msgs, fmt.Sprintf("flow %s: %s at line %d, column %d", d.Flow, d.Message, d.Line, d.Column))
			}
		}
		if len(msgs) > 0 {
			return writeRunError(std.out, 1, errors.New(strings.Join(msgs, "\n")))
		}
		return writeJSON(std.out, map[string]any{"messages": []any{}, "memories": []any{}})
	}
	if bot == nil {
		return writeRunError(std.out, 1, errors.New("the bot does not compile"))
	}
	c := csml.Context{
		Flow: in.Context.Flow, Step: in.Context.Step, Memories: in.Context.Current,
		Metadata: nullRaw(in.Context.Metadata), Hold: in.Context.Hold, StepLimit: in.Event.StepLimit,
	}
	if c.Flow == "" {
		c.Flow = bot.DefaultFlow()
	}
	if c.Step == "" {
		c.Step = "start"
	}
	ev := csml.Event{ContentType: in.Event.ContentType, ContentValue: in.Event.ContentValue, Content: nullRaw(in.Event.Content), Secure: in.Event.Secure}
	res := bot.Run(ctx, c, ev, csml.Host{})
	out := struct {
		Messages []csml.Message `json:"messages"`
		Memories []csml.Memory  `json:"memories"`
	}{res.Messages, res.Memories}
	if out.Messages == nil {
		out.Messages = []csml.Message{}
	}
	if out.Memories == nil {
		out.Memories = []csml.Memory{}
	}
	return writeJSON(std.out, out)
}

func readRunInput(r io.Reader) (*csmlRunInput, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRunInput+1))
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	if len(data) > maxRunInput {
		return nil, fmt.Errorf("input is larger than %d bytes", maxRunInput)
	}
	var in csmlRunInput
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("input is not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("input holds more than one JSON value")
	}
	switch in.Kind {
	case "":
		in.Kind = "run"
	case "run", "parse":
	default:
		return nil, fmt.Errorf("kind %q is unknown: use run or parse", in.Kind)
	}
	if len(in.Flows) == 0 {
		return nil, errors.New("flows is empty: give at least one flow")
	}
	if in.Bot.ID == "" {
		in.Bot.ID = "id"
	}
	if in.Bot.Name == "" {
		in.Bot.Name = "bot"
	}
	if in.Event.ContentType == "" {
		in.Event.ContentType = "payload"
	}
	return &in, nil
}

// writeRunError prints {"error": ...} and exits with code.
func writeRunError(w io.Writer, code int, err error) error {
	if werr := writeJSON(w, map[string]string{"error": err.Error()}); werr != nil {
		return werr
	}
	return &exitError{code: code, err: errors.New("")}
}

// writeJSON writes v on one line, without escaping HTML characters.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func nullRaw(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}
