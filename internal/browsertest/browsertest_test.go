package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTabsDoNotShareStorage checks the harness gives each tab its own
// browser context, which the two-person story tests rely on.
func TestTabsDoNotShareStorage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p id="v"></p><script>
			var v = localStorage.getItem("k") || "empty";
			localStorage.setItem("k", "set");
			document.getElementById("v").textContent = v;
		</script></body></html>`)
	}))
	defer srv.Close()

	b := Browser(t)
	read := func(tab context.Context, reload bool) string {
		t.Helper()
		nav := chromedp.Navigate(srv.URL)
		if reload {
			nav = chromedp.Reload()
		}
		if err := chromedp.Do(tab, nav); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(tab, chromedp.Text("#v"))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	a := Tab(t, b, 20*time.Second)
	first, again := read(a, false), read(a, true)
	other := read(Tab(t, b, 20*time.Second), false)
	if first != "empty" || again != "set" || other != "empty" {
		t.Fatalf("first=%q again=%q other tab=%q; want empty, set, empty", first, again, other)
	}
}

// TestAxeReportsSeriousViolations checks the accessibility check finds what a
// screen reader user would stumble on (a button with no name, a field with no
// label) and names the elements, and passes a page without them.
func TestAxeReportsSeriousViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/framed" {
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Host</title></head><body><main><h1>Host</h1>
				<iframe id="chat" title="Chat" src="/bad"></iframe></main></body></html>`)
			return
		}
		if r.URL.Path == "/bad" {
			fmt.Fprint(w, `<html><body><button id="nameless"></button><input id="unlabelled"></body></html>`)
			return
		}
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1>
			<label>Name <input id="n"></label><button>Send</button></main></body></html>`)
	}))
	defer srv.Close()
	src, err := axeSource()
	if err != nil {
		if os.Getenv(RequireEnv) == "require" {
			t.Fatalf("%v: %s", err, axeInstall)
		}
		t.Skipf("%v: %s", err, axeInstall)
	}
	tab := Tab(t, Browser(t), 30*time.Second)
	Navigate(t, tab, srv.URL+"/bad")
	bad := strings.Join(axeSerious(t, tab, src, "/bad"), "\n")
	for _, want := range []string{"button-name (critical)", "#nameless", "label (critical)", "#unlabelled"} {
		if !strings.Contains(bad, want) {
			t.Errorf("violations of /bad lack %q:\n%s", want, bad)
		}
	}
	// A same-origin frame (the widget's chat) is checked too.
	Navigate(t, tab, srv.URL+"/framed")
	WaitJS(t, tab, "the frame", `document.getElementById("chat").contentDocument?.getElementById("nameless") != null`)
	if bad := strings.Join(axeSerious(t, tab, src, "/framed"), "\n"); !strings.Contains(bad, "#chat #nameless") {
		t.Errorf("violations of /framed lack the frame's nameless button:\n%s", bad)
	}
	Navigate(t, tab, srv.URL+"/good")
	Axe(t, tab)
}
