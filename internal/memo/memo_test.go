package memo

import (
	"fmt"
	"testing"
)

func TestCacheDecodesEachInputOnceAndStaysBounded(t *testing.T) {
	c := Cache[string]{Max: 2}
	calls := 0
	upper := func(b []byte) (string, bool) {
		calls++
		return fmt.Sprintf("<%s>", b), len(b) > 0
	}
	for range 3 {
		if got := c.Get([]byte("a"), upper); got != "<a>" {
			t.Fatalf("Get(a) = %q", got)
		}
	}
	if calls != 1 {
		t.Fatalf("a decoded %d times, want once", calls)
	}
	c.Get([]byte(""), upper)
	c.Get([]byte(""), upper)
	if calls != 3 {
		t.Fatalf("a failed decode was remembered: %d calls, want 3", calls)
	}
	c.Get([]byte("b"), upper)
	c.Get([]byte("c"), upper) // full: forgets a and b
	if len(c.m) > 2 {
		t.Fatalf("%d entries, want at most 2", len(c.m))
	}
	before := calls
	c.Get([]byte("a"), upper)
	if calls != before+1 {
		t.Fatalf("a was still remembered after the cache filled")
	}
}
