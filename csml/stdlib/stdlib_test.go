package stdlib

import (
	"slices"
	"testing"
	"time"
)

func TestStrftime(t *testing.T) {
	tm := time.Date(2024, 2, 3, 14, 5, 6, 789e6, time.UTC)
	for layout, want := range map[string]string{
		"%Y-%m-%d %H:%M:%S":   "2024-02-03 14:05:06",
		"%y %b %B %a %A %e":   "24 Feb February Sat Saturday  3",
		"%I%p %j %F %T %D %%": "02PM 034 2024-02-03 14:05:06 02/03/24 %",
		"%S%.3f %s %Z%z %Q":   "06.789 1706969106 UTC+0000 %Q",
	} {
		if got := strftime(tm, layout); got != want {
			t.Errorf("strftime(%q) = %q, want %q", layout, got, want)
		}
	}
}

func TestSplitRust(t *testing.T) {
	if got := splitRust("ab", ""); !slices.Equal(got, []string{"", "a", "b", ""}) {
		t.Errorf("empty separator: %q", got)
	}
	if got := splitRust("a,b,", ","); !slices.Equal(got, []string{"a", "b", ""}) {
		t.Errorf("comma: %q", got)
	}
}

func TestURIComponents(t *testing.T) {
	if got := encodeComponent("a b/é~"); got != "a%20b%2F%C3%A9~" {
		t.Errorf("encode %q", got)
	}
	if got, ok := decodeComponent("a%20b%2F%C3%A9%zz%"); !ok || got != "a b/é%zz%" {
		t.Errorf("decode %q %v", got, ok)
	}
	if _, ok := decodeComponent("%FF"); ok {
		t.Error("invalid UTF-8 accepted")
	}
}
