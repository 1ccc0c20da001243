package csml

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReferenceSuite runs the reference engine's own interpreter tests
// (csml_interpreter/tests/*.rs, with the flows they read) against this
// implementation. It reads a copy of CSML-by-Clevy/csml-engine named by
// SWITCHBOARD_CSML_REFERENCE (a work tree or a bare git directory), else the
// development machines' mirror; nothing of it is kept in switchboard.
//
// Each Rust test is read for its event, context, flows and expected JSON;
// tests whose inputs are built by Rust code this reader does not follow, or
// that check their result with code (random values, UUIDs), are counted as
// skipped. Known departures are listed with their reason in
// testdata/reference_departures.txt; any other difference fails.
func TestReferenceSuite(t *testing.T) {
	src, ok := openSource("SWITCHBOARD_CSML_REFERENCE", "../../.mirror/CSML-by-Clevy+csml-engine/repo")
	if !ok {
		t.Skip("reference engine not available: set SWITCHBOARD_CSML_REFERENCE to a copy of CSML-by-Clevy/csml-engine")
	}
	departures := readDepartures(t, "testdata/reference_departures.txt")
	var pass, skip, known int
	for _, file := range src.files(t, ".rs") {
		if !strings.HasPrefix(file, "csml_interpreter/tests/") || strings.Contains(file, "/support/") {
			continue
		}
		data, err := src.read(file)
		if err != nil {
			t.Fatal(err)
		}
		rf := parseRustTests(string(data))
		for _, rt := range rf.tests {
			id := strings.TrimSuffix(path.Base(file), ".rs") + "/" + rt.name
			t.Run(id, func(t *testing.T) {
				if rt.skip != "" {
					skip++
					t.Skip(rt.skip)
				}
				err := runRustTest(src, rf, rt)
				reason, isKnown := departures[id]
				switch {
				case err == nil && isKnown:
					t.Errorf("passes now: remove it from reference_departures.txt")
				case err == nil:
					pass++
				case isKnown:
					known++
					t.Skipf("known departure (%s): %v", reason, err)
				default:
					t.Error(err)
				}
			})
		}
	}
	t.Logf("reference suite: %d passed, %d known departures, %d not readable", pass, known, skip)
}

// readDepartures reads "id: reason" lines (# comments).
func readDepartures(t *testing.T, file string) map[string]string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, ":")
		out[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	return out
}

// rustFile is one test file: its tests and how its helper builds the bot.
type rustFile struct {
	tests []*rustTest
	// flows are the flow names the file's own format_message gives the
	// files it is passed, in order (nil: the shared helper's single "flow").
	flows       []string
	defaultFlow string
	native      bool
}

// rustTest is one #[test] function.
type rustTest struct {
	name string
	skip string
	// parse is set for tests that only parse a file: wantOK tells whether
	// it must parse.
	parse  bool
	wantOK bool
	files  []string
	event  Event
	ctx    Context
	custom json.RawMessage
	expect string
	// firstError, when set, is the whole check: whether the first message
	// is an error.
	firstError *bool
}

var (
	reTest          = regexp.MustCompile(`(?m)^#\[test\]\s*\nfn (\w+)\(\)`)
	reConst         = regexp.MustCompile(`const (\w+): &str = "([^"]*)";`)
	reFlowNew       = regexp.MustCompile(`CsmlFlow::new\(\s*[^,]+,\s*"([^"]+)"`)
	reData          = regexp.MustCompile(`(?sm)^\s*let data\s*=\s*r#"(.*?)"#;`)
	reParse         = regexp.MustCompile(`format_message\("([^"]+)"\.to_owned\(\)\)[^O]*Ok\(_\) => (true|false)`)
	reEventNew      = regexp.MustCompile(`Event::new\(\s*"([^"]*)",\s*"([^"]*)",\s*`)
	reInsert        = regexp.MustCompile(`(\w+)\.insert\(\s*"([^"]*)"\.to_owned\(\),\s*`)
	reString        = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	reTrailingComma = regexp.MustCompile(`,(\s*[\]}])`)
)

func parseRustTests(src string) *rustFile {
	rf := &rustFile{defaultFlow: "flow", native: true}
	consts := map[string]string{}
	for _, m := range reConst.FindAllStringSubmatch(src, -1) {
		consts[m[1]] = m[2]
	}
	if i := strings.Index(src, "\nfn format_message("); i >= 0 {
		def := src[i:]
		def = def[:strings.Index(def, "\n}")]
		for _, m := range reFlowNew.FindAllStringSubmatch(def, -1) {
			rf.flows = append(rf.flows, m[1])
		}
		if v, ok := consts["DEFAULT_FLOW_NAME"]; ok {
			rf.defaultFlow = v
		}
		rf.native = strings.Contains(def, "load_components")
	}
	locs := reTest.FindAllStringSubmatchIndex(src, -1)
	for i, loc := range locs {
		end := len(src)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		rt := &rustTest{name: src[loc[2]:loc[3]]}
		parseRustTest(rt, src[loc[1]:end], consts)
		rf.tests = append(rf.tests, rt)
	}
	return rf
}

func parseRustTest(rt *rustTest, body string, consts map[string]string) {
	if m := reParse.FindStringSubmatch(body); m != nil {
		rt.parse, rt.files, rt.wantOK = true, []string{m[1]}, m[2] == "true"
		return
	}
	m := reData.FindStringSubmatch(body)
	switch {
	case m != nil && strings.Contains(body, "assert_eq!(v1, v2)"):
		rt.expect = m[1]
	case strings.Contains(body, `== "error"`) && strings.Contains(body, "return assert!(true)"),
		strings.Contains(body, `content_type, "error")`), strings.Contains(body, `["content_type"])`):
		yes := true
		rt.firstError = &yes
	case strings.Contains(body, "check_error_component") && strings.Contains(body, "assert_eq!(res, false)"):
		no := false
		rt.firstError = &no
	default:
		rt.skip = "the test checks its result with code"
		return
	}
	maps := rustMaps(body)
	ev := reEventNew.FindStringSubmatchIndex(body)
	if ev == nil {
		rt.skip = "no event"
		return
	}
	rt.event = Event{ContentType: body[ev[2]:ev[3]], ContentValue: body[ev[4]:ev[5]]}
	content, _ := rustExpr(body[ev[1]:], maps)
	if content == nil {
		rt.skip = "event content built by code"
		return
	}
	rt.event.Content = content
	i := strings.Index(body, "Context::new(")
	if i < 0 {
		rt.skip = "no context"
		return
	}
	args, rest := splitArgs(body[i+len("Context::new"):])
	if len(args) < 6 {
		rt.skip = "unexpected context"
		return
	}
	lit := func(s string) string {
		if v, ok := consts[s]; ok {
			return v
		}
		return strings.Trim(s, `"`)
	}
	rt.ctx.Step, rt.ctx.Flow = lit(args[4]), lit(args[5])
	mems, ok := rustMemoryMap(args[0], body)
	if !ok {
		rt.skip = "memories built by code"
		return
	}
	rt.ctx.Memories = mems
	meta, ok := rustMemoryMap(args[1], body)
	if !ok {
		rt.skip = "metadata built by code"
		return
	}
	if len(meta) > 0 {
		rt.ctx.Metadata, _ = json.Marshal(meta)
	}
	if args[3] != "None" {
		h, ok := rustHold(args[3])
		if !ok {
			rt.skip = "hold built by code"
			return
		}
		rt.ctx.Hold = h
	}
	call, _ := splitArgs("(" + strings.TrimPrefix(strings.TrimSpace(rest), ","))
	if len(call) < 1 {
		rt.skip = "no flow file"
		return
	}
	rt.files = reString.FindAllString(call[0], -1)
	for j, f := range rt.files {
		rt.files[j] = strings.Trim(f, `"`)
	}
	if len(call) > 1 {
		if rt.custom, _ = rustExpr(call[1], maps); rt.custom == nil {
			rt.skip = "custom components built by code"
		}
	}
}

// splitArgs splits "(a, b(c, d), e) rest" at its top-level commas; it
// returns the arguments and what follows the closing parenthesis.
func splitArgs(s string) ([]string, string) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return nil, s
	}
	depth, start, inStr := 0, 1, false
	var out []string
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth == 0 {
				if a := strings.TrimSpace(s[start:i]); a != "" {
					out = append(out, a)
				}
				return out, s[i+1:]
			}
		case c == ',' && depth == 1:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return out, ""
}

// rustExpr reads a JSON value written in Rust: serde_json::json!(...),
// serde_json::Value::String("..".to_owned()) or Value::Object(map) of a map
// filled by inserts. It returns nil for anything else.
func rustExpr(s string, maps map[string]map[string]json.RawMessage) (json.RawMessage, string) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "serde_json::json!"):
		args, rest := splitArgs(s[len("serde_json::json!"):])
		if len(args) != 1 {
			return nil, rest
		}
		// json! allows trailing commas, JSON does not.
		v := reTrailingComma.ReplaceAllString(args[0], "$1")
		if !json.Valid([]byte(v)) {
			return nil, rest
		}
		return json.RawMessage(v), rest
	case strings.HasPrefix(s, "serde_json::Value::String("):
		args, rest := splitArgs(s[len("serde_json::Value::String"):])
		if len(args) != 1 {
			return nil, rest
		}
		str := reString.FindString(args[0])
		uq, err := strconv.Unquote(str)
		if err != nil {
			return nil, rest
		}
		b, _ := json.Marshal(uq)
		return b, rest
	case strings.HasPrefix(s, "serde_json::Value::Object("):
		args, rest := splitArgs(s[len("serde_json::Value::Object"):])
		if len(args) != 1 {
			return nil, rest
		}
		if args[0] == "serde_json::Map::new()" {
			return json.RawMessage(`{}`), rest
		}
		m, ok := maps[args[0]]
		if !ok {
			return nil, rest
		}
		b, _ := json.Marshal(m)
		return b, rest
	}
	return nil, s
}

// rustMaps follows `name.insert("key".to_owned(), value)` statements in
// order, for the maps given to events.
func rustMaps(body string) map[string]map[string]json.RawMessage {
	maps := map[string]map[string]json.RawMessage{}
	for _, m := range reInsert.FindAllStringSubmatchIndex(body, -1) {
		name, key := body[m[2]:m[3]], body[m[4]:m[5]]
		v, _ := rustExpr(body[m[1]:], maps)
		if v == nil {
			v = rustLiteral(body[m[1]:])
		}
		if v == nil {
			continue
		}
		if maps[name] == nil {
			maps[name] = map[string]json.RawMessage{}
		}
		maps[name][key] = v
	}
	return maps
}

// rustLiteral reads PrimitiveInt::get_literal(42, ...) and
// PrimitiveString::get_literal("s", ...), as metadata tests build values.
func rustLiteral(s string) json.RawMessage {
	for _, p := range []string{"PrimitiveInt::get_literal", "PrimitiveString::get_literal"} {
		if strings.HasPrefix(strings.TrimSpace(s), p) {
			args, _ := splitArgs(strings.TrimSpace(s)[len(p):])
			if len(args) > 0 {
				if v := strings.TrimSuffix(args[0], ".to_owned()"); json.Valid([]byte(v)) {
					return json.RawMessage(v)
				}
			}
		}
	}
	return nil
}

// rustMemoryMap reads a context map argument: HashMap::new() or a variable
// filled by inserts.
func rustMemoryMap(arg, body string) (map[string]json.RawMessage, bool) {
	if arg == "HashMap::new()" {
		return nil, true
	}
	m, ok := rustMaps(body)[arg]
	return m, ok
}

var reHold = regexp.MustCompile(`(?s)Some\(Hold::new\(\s*IndexInfo\s*\{\s*command_index:\s*(\d+),\s*loop_index:\s*vec!\[([\d,\s]*)\],?\s*\},\s*serde_json::json!\((\{.*?\})\),\s*"([^"]*)"\.to_owned\(\),\s*"([^"]*)"\.to_owned\(\),\s*None,\s*(true|false),?\s*\)\)`)

func rustHold(s string) (*Hold, bool) {
	m := reHold.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	h := &Hold{StepName: m[4], FlowName: m[5], Secure: m[6] == "true"}
	h.Index.CommandIndex, _ = strconv.Atoi(m[1])
	h.Index.LoopIndex = []int{}
	for _, f := range strings.Split(m[2], ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			h.Index.LoopIndex = append(h.Index.LoopIndex, n)
		}
	}
	if err := json.Unmarshal([]byte(m[3]), &h.StepVars); err != nil {
		return nil, false
	}
	return h, true
}

// runRustTest runs one test; the error describes a difference.
func runRustTest(src refSource, rf *rustFile, rt *rustTest) error {
	read := func(f string) (string, error) {
		b, err := src.read("csml_interpreter/" + f)
		return string(b), err
	}
	if rt.parse {
		content, err := read(rt.files[0])
		if err != nil {
			return err
		}
		bot, diags := Compile(Source{ID: "id", DefaultFlow: "Test", Flows: []FlowSource{{ID: "Test", Name: "Test", Content: content}}})
		if got := bot != nil; got != rt.wantOK {
			return fmt.Errorf("parses: %v, want %v (%v)", got, rt.wantOK, diags)
		}
		return nil
	}
	s := Source{ID: "id", Name: "bot", DefaultFlow: rf.defaultFlow, NoNativeComponents: !rf.native, CustomComponents: rt.custom, DropBrokenFlows: true}
	names := rf.flows
	if names == nil {
		names = []string{"flow"}
	}
	for i, f := range rt.files {
		if i >= len(names) {
			return fmt.Errorf("more files than flows")
		}
		content, err := read(f)
		if err != nil {
			return err
		}
		s.Flows = append(s.Flows, FlowSource{ID: names[i], Name: names[i], Content: content})
	}
	bot, diags := Compile(s)
	if bot == nil {
		return fmt.Errorf("does not compile: %v", diags)
	}
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	res := bot.Run(context.Background(), rt.ctx, rt.event, Host{Now: func() time.Time { return now }})
	if rt.firstError != nil {
		isErr := len(res.Messages) > 0 && res.Messages[0].ContentType == "error"
		if isErr != *rt.firstError {
			return fmt.Errorf("first message is an error: %v, want %v; messages %v", isErr, *rt.firstError, messagesText(res.Messages))
		}
		return nil
	}
	got := map[string]any{"messages": res.Messages, "memories": res.Memories}
	if res.Messages == nil {
		got["messages"] = []any{}
	}
	if res.Memories == nil {
		got["memories"] = []any{}
	}
	gotJSON, _ := json.Marshal(got)
	want, err := decodeNumbers([]byte(rt.expect))
	if err != nil {
		return fmt.Errorf("expected JSON: %v", err)
	}
	have, err := decodeNumbers(gotJSON)
	if err != nil {
		return err
	}
	if !jsonEqual(want, have) {
		return fmt.Errorf("\n got  %s\n want %s", canonical(have), canonical(want))
	}
	return nil
}

func messagesText(ms []Message) string {
	b, _ := json.Marshal(ms)
	return string(b)
}

// decodeNumbers decodes JSON keeping numbers as written.
func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// jsonEqual compares decoded JSON: objects without order, numbers by
// value and kind (2 and 2.0 differ, as serde_json's values do).
func jsonEqual(a, b any) bool {
	return canonical(a) == canonical(b)
}

// canonical writes decoded JSON with sorted keys.
func canonical(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ":" + canonical(v[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = canonical(x)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
