package csml

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the expectations of testdata/cases from the actual results")

// A case file (testdata/cases/*.json) describes one bot and one or more
// turns: each turn runs an event and compares the result with "expect".
// Flows are inline sources or "file:name.csml" (in testdata/flows). Later
// turns continue from the previous result: its memories, hold, flow and step
// (the hold goes through JSON, as an engine would store it); a turn with a
// "step" starts afresh at that step, keeping the memories. Besides messages
// and memories, a turn may expect the hold, end, flow, step, current
// memories, switch_bot, and what the host saw: HTTP requests, e-mails and
// log lines.
type testCase struct {
	Description string            `json:"description,omitempty"`
	Flows       map[string]string `json:"flows"`
	DefaultFlow string            `json:"default_flow,omitempty"`
	Bot         *struct {
		Env                json.RawMessage     `json:"env,omitempty"`
		CustomComponents   json.RawMessage     `json:"custom_components,omitempty"`
		NoNativeComponents bool                `json:"no_native_components,omitempty"`
		Commands           map[string][]string `json:"commands,omitempty"`
	} `json:"bot,omitempty"`
	Context *caseContext `json:"context,omitempty"`
	// HTTP answers the bot's HTTP calls, by "METHOD url" (or "METHOD
	// url#function_id" for App() calls); other calls get a 404. Each turn's
	// "requests" expectation lists the calls made.
	HTTP map[string]*caseResponse `json:"http,omitempty"`
	// Now, when set, is the host's clock (RFC 3339).
	Now string `json:"now,omitempty"`
	// Seed, when set, seeds the host's randomness (Random, OneOf, UUID...).
	Seed uint64 `json:"seed,omitempty"`
	// Limits are the host's limits.
	Limits *Limits `json:"limits,omitempty"`
	// AppsEndpoint is the bot's apps_endpoint.
	AppsEndpoint string `json:"apps_endpoint,omitempty"`
	// Modules are the bot's modules: name -> source (or "file:...").
	Modules map[string]string `json:"modules,omitempty"`
	// Diagnostics, when present, are the expected compile diagnostics; a
	// bot that does not compile has no turns.
	Diagnostics *[]Diagnostic `json:"diagnostics,omitempty"`
	Turns       []*caseTurn   `json:"turns"`
}

type caseContext struct {
	Flow      string                     `json:"flow,omitempty"`
	Step      string                     `json:"step,omitempty"`
	Memories  map[string]json.RawMessage `json:"memories,omitempty"`
	Metadata  json.RawMessage            `json:"metadata,omitempty"`
	Hold      *Hold                      `json:"hold,omitempty"`
	StepLimit int                        `json:"step_limit,omitempty"`
}

type caseResponse struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header,omitempty"`
	Body   json.RawMessage   `json:"body,omitempty"`
}

// caseHost answers HTTP calls from the case's table and records them, and
// records e-mails and log lines.
type caseHost struct {
	responses map[string]*caseResponse
	requests  []HTTPRequest
	emails    []SMTPMessage
	logs      []string
}

func (h *caseHost) smtp(_ context.Context, m SMTPMessage) error {
	if m.Username == "" {
		return ErrSMTPNoCredentials // a host that holds no account
	}
	h.emails = append(h.emails, m)
	if strings.Contains(m.Server, "fail") {
		return errors.New("connection refused")
	}
	return nil
}

func (h *caseHost) http(_ context.Context, req HTTPRequest) (HTTPResponse, error) {
	h.requests = append(h.requests, req)
	var app struct {
		ID string `json:"function_id"`
	}
	_ = json.Unmarshal(req.Body, &app)
	r, ok := h.responses[req.Method+" "+req.URL+"#"+app.ID]
	if !ok {
		r, ok = h.responses[req.Method+" "+req.URL]
	}
	if !ok {
		return HTTPResponse{Status: 404, Body: []byte("not found")}, nil
	}
	body := []byte(r.Body)
	var text string
	if json.Unmarshal(r.Body, &text) == nil {
		body = []byte(text)
	}
	return HTTPResponse{Status: r.Status, Header: r.Header, Body: body}, nil
}

type caseTurn struct {
	// Step, when set, starts this turn afresh at that step (of Flow, else
	// the default flow), with the memories of the previous turn.
	Step   string                     `json:"step,omitempty"`
	Flow   string                     `json:"flow,omitempty"`
	Event  *Event                     `json:"event,omitempty"`
	Expect map[string]json.RawMessage `json:"expect"`
}

// resultJSON is the result as a case compares it.
func resultJSON(r Result) map[string]json.RawMessage {
	enc := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return b
	}
	msgs := r.Messages
	if msgs == nil {
		msgs = []Message{}
	}
	mems := r.Memories
	if mems == nil {
		mems = []Memory{}
	}
	return map[string]json.RawMessage{
		"messages":   enc(msgs),
		"memories":   enc(mems),
		"hold":       enc(r.Hold),
		"end":        enc(r.End),
		"flow":       enc(r.Flow),
		"step":       enc(r.Step),
		"current":    enc(r.Current),
		"switch_bot": enc(r.SwitchBot),
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func requestsJSON(t *testing.T, reqs []HTTPRequest) json.RawMessage {
	type request struct {
		Method string            `json:"method"`
		URL    string            `json:"url"`
		Header map[string]string `json:"header"`
		Body   json.RawMessage   `json:"body,omitempty"`
	}
	out := []request{}
	for _, r := range reqs {
		out = append(out, request{Method: r.Method, URL: r.URL, Header: r.Header, Body: r.Body})
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var tc testCase
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	bot, diags := compileCase(t, &tc)
	changed := false
	switch {
	case tc.Diagnostics != nil && *update:
		if diags == nil {
			diags = []Diagnostic{}
		}
		tc.Diagnostics, changed = &diags, true
	case tc.Diagnostics != nil:
		if !reflect.DeepEqual(*tc.Diagnostics, diags) && len(*tc.Diagnostics)+len(diags) > 0 {
			t.Errorf("diagnostics:\n got  %+v\n want %+v", diags, *tc.Diagnostics)
		}
	case bot == nil:
		for _, d := range diags {
			t.Errorf("%s: %s", d.Flow, d.Format())
		}
		t.FailNow()
	}
	if bot == nil {
		if len(tc.Turns) > 0 {
			t.Fatal("the bot does not compile: a case with diagnostics errors has no turns")
		}
		if changed {
			if err := os.WriteFile(file, formatCase(t, &tc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	c := Context{}
	if tc.Context != nil {
		c = Context{Flow: tc.Context.Flow, Step: tc.Context.Step, Memories: tc.Context.Memories,
			Metadata: tc.Context.Metadata, Hold: tc.Context.Hold, StepLimit: tc.Context.StepLimit}
	}
	for i, turn := range tc.Turns {
		ev := Event{ContentType: "text", Content: json.RawMessage(`{}`)}
		if turn.Event != nil {
			ev = *turn.Event
		}
		if turn.Step != "" {
			c.Flow, c.Step, c.Hold = turn.Flow, turn.Step, nil
		}
		host := &caseHost{responses: tc.HTTP}
		h := Host{HTTP: host.http, SMTP: host.smtp, Log: func(level, msg string) { host.logs = append(host.logs, level+": "+msg) }}
		if tc.Seed != 0 {
			h.Rand = rand.New(rand.NewPCG(tc.Seed, tc.Seed))
		}
		if tc.Limits != nil {
			h.Limits = *tc.Limits
		}
		if tc.Now != "" {
			now, err := time.Parse(time.RFC3339, tc.Now)
			if err != nil {
				t.Fatal(err)
			}
			h.Now = func() time.Time { return now }
		}
		res := bot.Run(context.Background(), c, ev, h)
		got := resultJSON(res)
		got["requests"] = requestsJSON(t, host.requests)
		got["emails"] = mustJSON(t, host.emails)
		got["logs"] = mustJSON(t, host.logs)
		if *update {
			for k := range turn.Expect {
				turn.Expect[k] = got[k]
			}
			turn.Expect["messages"], turn.Expect["memories"] = got["messages"], got["memories"]
			changed = true
		} else {
			checkTurn(t, i, turn.Expect, got)
		}
		c = nextContext(t, c, res)
	}
	if changed {
		if err := os.WriteFile(file, formatCase(t, &tc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func compileCase(t *testing.T, tc *testCase) (*Bot, []Diagnostic) {
	src := Source{ID: "bot", Name: "bot", DefaultFlow: tc.DefaultFlow, AppsEndpoint: tc.AppsEndpoint}
	for _, name := range slices.Sorted(maps.Keys(tc.Modules)) {
		src.Modules = append(src.Modules, FlowSource{ID: name, Name: name, Content: caseSource(t, tc.Modules[name])})
	}
	names := make([]string, 0, len(tc.Flows))
	for name := range tc.Flows {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fs := FlowSource{ID: name, Name: name, Content: caseSource(t, tc.Flows[name])}
		if tc.Bot != nil {
			fs.Commands = tc.Bot.Commands[name]
		}
		src.Flows = append(src.Flows, fs)
	}
	if src.DefaultFlow == "" {
		src.DefaultFlow = "flow"
	}
	if tc.Bot != nil {
		src.Env, src.CustomComponents, src.NoNativeComponents = tc.Bot.Env, tc.Bot.CustomComponents, tc.Bot.NoNativeComponents
	}
	return Compile(src)
}

// caseSource is a flow source, inline or "file:name.csml" in testdata/flows.
func caseSource(t *testing.T, content string) string {
	file, ok := strings.CutPrefix(content, "file:")
	if !ok {
		return content
	}
	b, err := os.ReadFile(filepath.Join("testdata", "flows", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// nextContext continues a conversation from a result, passing the hold
// through JSON as an engine storing it would.
func nextContext(t *testing.T, c Context, res Result) Context {
	next := Context{Flow: res.Flow, Step: res.Step, Memories: res.Current, Metadata: c.Metadata, StepLimit: c.StepLimit}
	if res.Hold != nil {
		b, err := json.Marshal(res.Hold)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &next.Hold); err != nil {
			t.Fatal(err)
		}
	}
	if res.End {
		next.Flow, next.Step = "", ""
	}
	return next
}

func checkTurn(t *testing.T, turn int, want, got map[string]json.RawMessage) {
	t.Helper()
	keys := []string{"messages", "memories"}
	for k := range want {
		if k != "messages" && k != "memories" {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		w, ok := want[k]
		if !ok {
			w = json.RawMessage(`[]`)
		}
		wv, gv := decodeJSON(t, w), decodeJSON(t, got[k])
		if k == "hold" {
			gv = subset(wv, gv)
		}
		if !reflect.DeepEqual(wv, gv) {
			t.Errorf("turn %d: %s:\n got  %s\n want %s", turn, k, got[k], w)
		}
	}
}

// subset keeps the keys of got that want has (a hold is compared on the
// fields the case states).
func subset(want, got any) any {
	w, ok1 := want.(map[string]any)
	g, ok2 := got.(map[string]any)
	if !ok1 || !ok2 {
		return got
	}
	out := map[string]any{}
	for k := range w {
		if v, ok := g[k]; ok {
			out[k] = v
		}
	}
	return out
}

// decodeJSON decodes for comparison: objects compare without order, numbers
// by their text (so 2.0 and 2 differ, as int and float do).
func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad JSON %s: %v", b, err)
	}
	return v
}

// formatCase writes a case back with one message or memory per line.
func formatCase(t *testing.T, tc *testCase) []byte {
	compact := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var b strings.Builder
	b.WriteString("{\n")
	field := func(name string, v any) {
		fmt.Fprintf(&b, "  %q: %s,\n", name, compact(v))
	}
	if tc.Description != "" {
		field("description", tc.Description)
	}
	field("flows", tc.Flows)
	if tc.DefaultFlow != "" {
		field("default_flow", tc.DefaultFlow)
	}
	if tc.Bot != nil {
		field("bot", tc.Bot)
	}
	if tc.Context != nil {
		field("context", tc.Context)
	}
	if tc.HTTP != nil {
		field("http", tc.HTTP)
	}
	if tc.Now != "" {
		field("now", tc.Now)
	}
	if tc.Seed != 0 {
		field("seed", tc.Seed)
	}
	if tc.Limits != nil {
		field("limits", tc.Limits)
	}
	if tc.AppsEndpoint != "" {
		field("apps_endpoint", tc.AppsEndpoint)
	}
	if tc.Modules != nil {
		field("modules", tc.Modules)
	}
	if tc.Diagnostics != nil {
		b.WriteString("  \"diagnostics\": [\n")
		for i, d := range *tc.Diagnostics {
			sep := ","
			if i == len(*tc.Diagnostics)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "    %s%s\n", compact(d), sep)
		}
		b.WriteString("  ],\n")
	}
	b.WriteString("  \"turns\": [\n")
	for i, turn := range tc.Turns {
		b.WriteString("    {\n")
		if turn.Step != "" {
			fmt.Fprintf(&b, "      \"step\": %s,\n", compact(turn.Step))
		}
		if turn.Flow != "" {
			fmt.Fprintf(&b, "      \"flow\": %s,\n", compact(turn.Flow))
		}
		if turn.Event != nil {
			fmt.Fprintf(&b, "      \"event\": %s,\n", compact(turn.Event))
		}
		b.WriteString("      \"expect\": {\n")
		keys := []string{"messages", "memories"}
		var rest []string
		for k := range turn.Expect {
			if k != "messages" && k != "memories" {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		keys = append(keys, rest...)
		for j, k := range keys {
			v := turn.Expect[k]
			var items []json.RawMessage
			if (k == "messages" || k == "memories" || k == "requests" || k == "emails" || k == "logs") && json.Unmarshal(v, &items) == nil && len(items) > 0 {
				fmt.Fprintf(&b, "        %q: [\n", k)
				for n, it := range items {
					sep := ","
					if n == len(items)-1 {
						sep = ""
					}
					fmt.Fprintf(&b, "          %s%s\n", compact(it), sep)
				}
				b.WriteString("        ]")
			} else {
				fmt.Fprintf(&b, "        %q: %s", k, compact(v))
			}
			if j < len(keys)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("      }\n    }")
		if i < len(tc.Turns)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("  ]\n}\n")
	return []byte(b.String())
}
