package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
