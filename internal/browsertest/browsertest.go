// Package browsertest starts headless Chromium for the tests of switchboard's
// pages. Where no browser is installed the tests are skipped with a clear
// message, except when SWITCHBOARD_BROWSER_TESTS=require (as CI sets it): then
// a missing browser fails them, so CI can never pass without running them.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv is the variable that makes a missing browser a failure.
const RequireEnv = "SWITCHBOARD_BROWSER_TESTS"

// findBrowser returns the path of a Chromium-like browser, or "".
func findBrowser() string {
	if p := os.Getenv("SWITCHBOARD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts one headless browser for the test and returns its context;
// the browser stops when the test ends.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path := findBrowser()
	if path == "" {
		if os.Getenv(RequireEnv) == "require" {
			t.Fatalf("no Chromium found and %s=require: install it (apt-get install -y chromium) or set SWITCHBOARD_CHROMIUM", RequireEnv)
		}
		t.Skipf("browser test skipped: no Chromium found (apt-get install -y chromium, or set SWITCHBOARD_CHROMIUM); set %s=require to make this a failure", RequireEnv)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	// Start the browser now so a failure to launch is reported here.
	if err := chromedp.Do(browserCtx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	return browserCtx
}

// Tab opens a tab in a fresh browser context of the browser: its own cookies
// and storage, as a second person on another machine would have. Every action
// run on it is bounded by timeout. The page's console is printed if the test
// fails.
func Tab(t *testing.T, browser context.Context, timeout time.Duration) context.Context {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		t.Fatalf("open a browser tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, timeout)
	var mu sync.Mutex
	var console []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, fmt.Sprintf("%s: %s", m.Type, m.Text))
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("browser console:\n%s", strings.Join(console, "\n"))
			mu.Unlock()
		}
		cancel()
		cancelTab()
	})
	return ctx
}
