package driverkit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of the delay a 429 asks for.
const (
	DefaultRetryAfter = 5 * time.Second
	MaxRetryAfter     = 10 * time.Minute
)

// RetryAfter reads a Retry-After header: seconds or an HTTP date; a missing
// or unreadable one means DefaultRetryAfter. The delay is kept between a
// second and MaxRetryAfter.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	d := DefaultRetryAfter
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, time.Second), MaxRetryAfter)
}

// Shorten keeps an error text to a readable length, on one line.
func Shorten(s string) string {
	const limit = 300
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// NetworkCause keeps what went wrong on the network, without the request
// around it ("connection refused", "no answer in time").
func NetworkCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("no answer in time")
	}
	return err
}
