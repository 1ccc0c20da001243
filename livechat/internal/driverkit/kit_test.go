package driverkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCacheForgetsTheOldest(t *testing.T) {
	c := NewCache[int, string](2)
	c.Put(1, "a")
	c.Put(2, "b")
	c.Put(1, "A") // an update keeps its place
	c.Put(3, "c")
	if c.Has(1) || !c.Has(2) || !c.Has(3) {
		t.Errorf("after 3 puts in a cache of 2: 1 %v, 2 %v, 3 %v", c.Has(1), c.Has(2), c.Has(3))
	}
	if v, ok := c.Get(3); !ok || v != "c" {
		t.Errorf("Get(3) = %q, %v", v, ok)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for header, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": time.Second, "": DefaultRetryAfter, "soon": DefaultRetryAfter, "99999": MaxRetryAfter,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := RetryAfter(header, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestShortenAndNetworkCause(t *testing.T) {
	if got := Shorten(" a \n b "); got != "a b" {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten(strings.Repeat("é", 400)); len(got) > 310 || !strings.HasSuffix(got, "…") {
		t.Errorf("a long text is kept whole: %d bytes", len(got))
	}
	refused := &url.Error{Op: "Get", URL: "http://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	if got := NetworkCause(fmt.Errorf("call: %w", refused)); got.Error() != "connection refused" {
		t.Errorf("NetworkCause = %v", got)
	}
	if got := NetworkCause(&url.Error{Err: context.DeadlineExceeded}); got.Error() != "no answer in time" {
		t.Errorf("NetworkCause of a timeout = %v", got)
	}
}
