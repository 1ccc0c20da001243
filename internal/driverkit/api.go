package driverkit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// API is a platform's or a channel's JSON REST API as its driver calls it:
// one attempt per call, every failure an *APIError classified for the
// outbox (see Classify). Credentials come with each call, so one API serves
// every account.
type API struct {
	Platform string // "gorgias": the errors' prefix
	Name     string // "the Gorgias API", named when an answer is not its
	Fix      string // what to check then: "check the domain"
	Options
	// Hints say in a few words what a status usually means with this API
	// (a 429 is "rate limited" unless they say otherwise).
	Hints map[int]string
	// ParseError reads what the API says in an error answer into e: its
	// message, and its code and complaints per field when it has them.
	ParseError func(e *APIError, body []byte)
	// Classify, when set, classifies a failed answer instead of the
	// package's Classify: an API that says "rate limited" or "try again"
	// with a code rather than a status classifies by its code, and leaves
	// the rest to Classify.
	Classify func(e *APIError, h http.Header, now time.Time) error
}

// Options are what a driver's user may set; the zero value works.
type Options struct {
	// HTTP makes the requests; nil means a client with a DefaultTimeout.
	// Redirects are never followed (see NewAPI).
	HTTP *http.Client
	// Clock reads Retry-After dates, and dates what the driver posts.
	Clock switchboard.Clock
}

// DefaultTimeout bounds one call when the driver is given no HTTP client.
const DefaultTimeout = 20 * time.Second

// NewAPI fills in what a is given without: an HTTP client with a
// DefaultTimeout, the system clock. Redirects are never followed, on a copy
// of the client: an API does not redirect, a wrong address (a login page)
// does.
func NewAPI(a API) *API {
	if a.HTTP == nil {
		a.HTTP = &http.Client{Timeout: DefaultTimeout, Transport: Transport}
	}
	hc := *a.HTTP
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	a.HTTP = &hc
	if a.Clock == nil {
		a.Clock = switchboard.SystemClock{}
	}
	a.Hints = maps.Clone(a.Hints)
	if a.Hints == nil {
		a.Hints = map[int]string{}
	}
	if _, ok := a.Hints[http.StatusTooManyRequests]; !ok {
		a.Hints[http.StatusTooManyRequests] = "rate limited"
	}
	if a.ParseError == nil {
		a.ParseError = func(e *APIError, body []byte) { e.Msg = Shorten(PageText(string(body))) }
	}
	if a.Classify == nil {
		a.Classify = Classify
	}
	return &a
}

// Call is one request of an API: Op names it in errors ("create ticket").
type Call struct {
	Op, Method, Path string
	Query            url.Values
	Body, Out        any
}

// Do sends c to base+c.Path with auth's credentials and decodes a 2xx
// answer into c.Out. A failure is an *APIError wrapped by its class (see
// Classify); a network failure or a timeout is transient. Errors name base.
func (a *API) Do(ctx context.Context, base string, auth func(*http.Request), c Call) error {
	u := base + c.Path
	if len(c.Query) > 0 {
		u += "?" + c.Query.Encode()
	}
	return JSONCall{
		Platform: a.Platform, API: a.Name, Fix: a.Fix, Base: base,
		Op: c.Op, Method: c.Method, URL: u, Body: c.Body, Out: c.Out, Auth: auth,
		Classify: func(resp *http.Response, raw []byte) error {
			e := &APIError{Platform: a.Platform, Op: c.Op, Status: resp.StatusCode, Hint: a.Hints[resp.StatusCode]}
			a.ParseError(e, raw)
			return a.Classify(e, resp.Header, a.Clock.Now())
		},
	}.Do(ctx, a.HTTP)
}

// APIError is an answer of an API other than a success: what switchboard
// was doing (Op), the status and what it usually means (Hint), and what
// the platform said (Msg, its own error Code, its complaints per field).
type APIError struct {
	Platform string
	Op       string
	Status   int
	Hint     string
	Msg      string
	Code     string
	Fields   map[string]string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %d %s", e.Platform, e.Op, e.Status, http.StatusText(e.Status))
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for i, k := range names {
		sep := "; "
		if i == 0 {
			sep = " — "
		}
		b.WriteString(sep + k + ": " + e.Fields[k])
	}
	return b.String()
}

// Classify turns a failed answer into the error the outbox understands:
// 429 carries its Retry-After (a default delay when the API sends none);
// 408 and 5xx are transient; any other status is permanent, since sending
// the same request again gets the same answer.
func Classify(e *APIError, h http.Header, now time.Time) error {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return livechat.RetryAfter(e, RetryAfter(h.Get("Retry-After"), now))
	case e.Status == http.StatusRequestTimeout || e.Status >= 500:
		return e
	default:
		return livechat.Permanent(e)
	}
}

// StatusOf returns the status of the *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
