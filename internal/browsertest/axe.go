package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeEnv names the path of axe-core's axe.min.js, the accessibility checker
// Axe runs in the page. The file is not part of the repository: .ci/run
// installs it from npm (see docs/testing.md).
const AxeEnv = "SWITCHBOARD_AXE"

// axeInstall tells a person how to get axe-core when it is missing.
const axeInstall = `npm install --no-save --prefix "$HOME/.cache/switchboard-axe" axe-core@4.14.1 and set ` +
	AxeEnv + `=$HOME/.cache/switchboard-axe/node_modules/axe-core/axe.min.js (.ci/run does both)`

// axeSource caches the text of axe.min.js across the tests of a package.
var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv(AxeEnv)
	if path == "" {
		return "", fmt.Errorf("%s is not set", AxeEnv)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read axe-core: %w", err)
	}
	return string(b), nil
})

// axeViolation is one rule that the page breaks, as axe.run reports it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// Axe checks the page the tab shows with axe-core and fails the test for
// every serious or critical violation (its rule, what it asks for and the
// elements that break it). Without axe-core the check is skipped, or fails
// when SWITCHBOARD_BROWSER_TESTS=require, with how to install it; the rest of
// the test still runs.
func Axe(t *testing.T, tab context.Context) {
	t.Helper()
	where := Eval[string](t, tab, `location.pathname + location.search + location.hash`)
	src, err := axeSource()
	if err != nil {
		if os.Getenv(RequireEnv) == "require" {
			t.Errorf("accessibility check of %s: %v and %s=require: %s", where, err, RequireEnv, axeInstall)
		} else {
			t.Logf("accessibility check of %s skipped: %v: %s", where, err, axeInstall)
		}
		return
	}
	if bad := axeSerious(t, tab, src, where); len(bad) > 0 {
		t.Errorf("accessibility of %s: %d serious or critical axe-core violations:\n%s", where, len(bad), strings.Join(bad, "\n"))
	}
}

// axeSerious runs axe-core (whose source is src) on the tab's page and
// describes each serious or critical violation on a line.
func axeSerious(t *testing.T, tab context.Context, src, where string) []string {
	t.Helper()
	// axe-core checks the page's same-origin frames (the widget's chat) only
	// where it is loaded too.
	load := `(src => { const load = w => { if (!w.axe) w.eval(src); };
load(window);
for (const f of document.querySelectorAll("iframe")) { try { load(f.contentWindow); } catch (e) {} } })(` + JSString(src) + `)`
	if _, err := chromedp.Run(tab, chromedp.Evaluate[any](load)); err != nil {
		t.Fatalf("load axe-core into %s: %v", where, err)
	}
	violations, err := chromedp.Run(tab, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core on %s: %v", where, err)
	}
	var bad []string
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var targets []string
		for _, n := range v.Nodes {
			// In a frame, the target is the frame's selector, then the element's.
			var path []string
			for _, sel := range n.Target {
				path = append(path, fmt.Sprint(sel))
			}
			targets = append(targets, strings.Join(path, " "))
		}
		bad = append(bad, fmt.Sprintf("%s (%s): %s: %s", v.ID, v.Impact, v.Help, strings.Join(targets, ", ")))
	}
	return bad
}
