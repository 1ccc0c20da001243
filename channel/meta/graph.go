package meta

import (
	"net/http"
	"time"

	"switchboard/internal/driverkit"
)

// Client makes the Graph API's calls; one serves every channel of a
// driver.
type Client struct {
	HTTP *http.Client
}

// NewClient returns a client whose calls time out after timeout (no
// redirects: a Graph API never redirects, and a token must not follow one).
func NewClient(timeout time.Duration) *Client {
	return &Client{HTTP: driverkit.NoRedirectClient(timeout)}
}

// DefaultClient is the client of a driver given none: 30 s per call.
var DefaultClient = NewClient(30 * time.Second)
