package driverkit

import (
	"net/http"
	"time"
)

// NoRedirectClient is an HTTP client for a platform's API: calls time out
// after timeout, and a redirect is answered as it is rather than followed
// (an API does not redirect, and credentials must not follow one).
func NoRedirectClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
