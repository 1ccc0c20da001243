package gorgias

import (
	"testing"
	"time"
)

// TestParseDatetime reads every form of datetime Gorgias documents or
// sends: naive UTC with and without a fraction, and RFC 3339.
func TestParseDatetime(t *testing.T) {
	want := time.Date(2020, 1, 27, 10, 42, 21, 468912000, time.UTC)
	for _, s := range []string{
		"2020-01-27T10:42:21.468912",
		"2020-01-27T10:42:21.468912Z",
		"2020-01-27T10:42:21.468912+00:00",
		"2020-01-27T11:42:21.468912+01:00",
		"2020-01-27 10:42:21.468912",
	} {
		got, err := parseDatetime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDatetime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := parseDatetime("2020-01-27T10:42:21"); err != nil || !got.Equal(want.Truncate(time.Second)) {
		t.Errorf("without a fraction: %v, %v", got, err)
	}
	for _, s := range []string{"", "None", "27/01/2020 10:42", "2020-01-27"} {
		if _, err := parseDatetime(s); err == nil {
			t.Errorf("parseDatetime(%q) succeeded", s)
		}
	}
}
