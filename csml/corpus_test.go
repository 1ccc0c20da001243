package csml

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPublicCorpus compiles and runs existing public CSML: the flows of
// the reference engine's repository (its test flows and examples), the
// CSML bots and examples of the CSML documentation repositories, and any
// .csml file under the folder SWITCHBOARD_CSML_CORPUS names. Each flow must
// compile, except those listed in testdata/corpus_departures.txt (flows the
// reference rejects too, or documentation fragments that are not whole
// flows), and running its start step must not hit an internal error.
// Nothing of these repositories is kept in switchboard: the test reads the
// development machines' mirrors and skips what is absent.
func TestPublicCorpus(t *testing.T) {
	expected := readDepartures(t, "testdata/corpus_departures.txt")
	var flows []corpusFlow
	sources := 0
	for _, r := range []struct{ env, mirror string }{
		{"SWITCHBOARD_CSML_REFERENCE", "CSML-by-Clevy+csml-engine"},
		{"SWITCHBOARD_CSML_DOCS_LANGUAGE", "CSML-by-Clevy+docs-language"},
		{"SWITCHBOARD_CSML_DOCS_STUDIO", "CSML-by-Clevy+docs-studio"},
		{"SWITCHBOARD_CSML_LIVECHAT_DEMO", "CSML-by-Clevy+CSML-livechat-demo"},
	} {
		src, ok := openSource(r.env, "../../.mirror/"+r.mirror+"/repo")
		if !ok {
			continue
		}
		sources++
		flows = append(flows, corpusFlows(t, r.mirror, src)...)
	}
	if dir := os.Getenv("SWITCHBOARD_CSML_CORPUS"); dir != "" {
		src, ok := openSource("", dir)
		if !ok {
			t.Fatalf("SWITCHBOARD_CSML_CORPUS=%s: not a folder or a git directory", dir)
		}
		sources++
		flows = append(flows, corpusFlows(t, "corpus", src)...)
	}
	if sources == 0 {
		t.Skip("no public CSML available: set SWITCHBOARD_CSML_CORPUS to a folder of .csml files (or SWITCHBOARD_CSML_REFERENCE to csml-engine)")
	}
	compiled, rejected, ran := 0, 0, 0
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			bot, diags := Compile(Source{ID: "corpus", DefaultFlow: "flow", Flows: []FlowSource{{ID: "flow", Name: "flow", Content: f.src}}})
			reason, isExpected := expected[f.name]
			switch {
			case bot == nil && isExpected:
				rejected++
				return
			case bot == nil:
				for _, d := range diags {
					if d.Severity == SeverityError {
						t.Errorf("line %d, column %d: %s\n%s", d.Line, d.Column, d.Message, d.Excerpt)
					}
				}
				return
			case isExpected:
				t.Errorf("compiles, but corpus_departures.txt says it does not (%s)", reason)
			}
			compiled++
			if !bot.HasStep("flow", "start") {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			content, _ := json.Marshal(map[string]string{"text": "hello"})
			now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
			res := bot.Run(ctx, Context{}, Event{ContentType: "text", ContentValue: "hello", Content: content}, Host{Now: func() time.Time { return now }})
			for _, m := range res.Messages {
				if strings.Contains(string(m.Content), "internal error") {
					t.Errorf("start: %s", m.Content)
				}
			}
			ran++
		})
	}
	t.Logf("public corpus: %d flows from %d sources: %d compile, %d rejected as the reference rejects them, %d start steps ran", len(flows), sources, compiled, rejected, ran)
}

// corpusFlow is one public flow: where it comes from, and its source.
type corpusFlow struct {
	name string
	src  string
}

// reBlock finds fenced code blocks in Markdown; reStep a step label at the
// start of a line, which tells a whole flow from a fragment.
var (
	reBlock = regexp.MustCompile("(?s)```[a-zA-Z]*\n(.*?)```")
	reStep  = regexp.MustCompile(`(?m)^[A-Za-z_][\w-]*\s*:\s*(//.*)?$`)
)

// corpusFlows reads the .csml files of a repository, and the code blocks
// of its Markdown files that hold at least one step.
func corpusFlows(t *testing.T, repo string, src refSource) []corpusFlow {
	var out []corpusFlow
	for _, file := range src.files(t, ".csml", ".md") {
		data, err := src.read(file)
		if err != nil {
			t.Fatal(err)
		}
		name := repo + "/" + file
		if strings.HasSuffix(file, ".csml") {
			out = append(out, corpusFlow{name: name, src: string(data)})
			continue
		}
		for i, m := range reBlock.FindAllSubmatch(data, -1) {
			block := string(m[1])
			if reStep.MatchString(block) {
				out = append(out, corpusFlow{name: name + "#" + strconv.Itoa(i), src: block})
			}
		}
	}
	return out
}
