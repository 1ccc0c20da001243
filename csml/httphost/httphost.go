// Package httphost is the production HTTP hook of CSML runs (csml.Host.HTTP):
// the bots' HTTP(...).send() and App() calls go through it. It bounds every
// call (a timeout, a response size cap) and refuses to reach private,
// loopback, link-local and other non-public addresses unless an allowlist
// says otherwise. The check is made on the address actually dialled, for
// every connection (redirects included), so a hostname that resolves to a
// private address, or one whose DNS answer changes between a check and the
// call, cannot get through: the policy is internal/netpolicy's, which the
// Chat API's callbacks share.
package httphost

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"switchboard/csml"
	"switchboard/internal/netpolicy"
)

// Config sets what bots may reach; its zero value is the safe default.
type Config struct {
	// Timeout bounds one call, from dialling to the end of the body
	// (default 10s).
	Timeout time.Duration
	// MaxResponseBytes bounds a response body (default 2 MiB).
	MaxResponseBytes int64
	// Allow lists the non-public addresses bots may reach anyway (for
	// example 10.0.0.0/8 for an internal API, 127.0.0.1 in tests).
	Allow []netpolicy.Rule
	// AllowInsecureTLS lets a bot's disable_ssl_verify() skip certificate
	// checks; by default it is ignored (the reference honours it only when
	// its DISABLE_SSL_VERIFY variable is set).
	AllowInsecureTLS bool
}

// Defaults of Config.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 2 << 20
	maxRedirects            = 10
)

// errRedirects stops a call redirected too many times.
var errRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

// ErrRefused is the error of a call to an address the configuration does
// not allow, or with a scheme other than http and https.
var ErrRefused = netpolicy.ErrRefused

// Host performs HTTP calls for CSML runs.
type Host struct {
	cfg      Config
	client   *http.Client
	insecure *http.Client
}

// New returns a host with cfg's limits.
func New(cfg Config) *Host {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	h := &Host{cfg: cfg}
	h.client = h.newClient(false)
	h.insecure = h.newClient(true)
	return h
}

func (h *Host) newClient(insecure bool) *http.Client {
	transport := netpolicy.Policy{Allow: h.cfg.Allow}.Transport(h.cfg.Timeout)
	if insecure {
		// Only used when the configuration allows it.
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return &http.Client{
		Transport: transport,
		Timeout:   h.cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return errRedirects
			}
			return checkScheme(req.URL)
		},
	}
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q (use http or https)", ErrRefused, u.Scheme)
	}
	return nil
}

// Do performs a bot's call. Its signature is csml.Host.HTTP's; its
// errors are csml.HTTPError, whose reason users may read.
func (h *Host) Do(ctx context.Context, r csml.HTTPRequest) (csml.HTTPResponse, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: "invalid URL", Err: fmt.Errorf("invalid URL %q: %w", r.URL, err)}
	}
	if err := checkScheme(u); err != nil {
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: "only http and https URLs are allowed", Err: err}
	}
	where := u.Scheme + "://" + u.Host // never the path or query: they may hold tokens
	var body io.Reader
	if r.Body != nil {
		body = strings.NewReader(string(r.Body))
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), body)
	if err != nil {
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: "invalid request", Err: fmt.Errorf("request %s: %w", where, err)}
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	client := h.client
	if r.InsecureSkipVerify && h.cfg.AllowInsecureTLS {
		client = h.insecure
	}
	resp, err := client.Do(req)
	if err != nil {
		err = unwrapURLError(err)
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: reason(err), Err: fmt.Errorf("%s %s: %w", r.Method, where, err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, h.cfg.MaxResponseBytes+1))
	if err != nil {
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: "the response could not be read", Err: fmt.Errorf("%s %s: read response: %w", r.Method, where, err)}
	}
	if int64(len(data)) > h.cfg.MaxResponseBytes {
		msg := fmt.Sprintf("the response is larger than %d bytes", h.cfg.MaxResponseBytes)
		return csml.HTTPResponse{}, &csml.HTTPError{Reason: msg, Err: fmt.Errorf("%s %s: %s", r.Method, where, msg)}
	}
	out := csml.HTTPResponse{Status: resp.StatusCode, Body: data, Header: make(map[string]string, len(resp.Header))}
	for k, v := range resp.Header {
		out.Header[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out, nil
}

// reason says in a few words why a call got no answer, naming no address
// or resolver.
func reason(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, ErrRefused):
		return "address not allowed"
	case errors.As(err, &dns):
		return "host not found"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, errRedirects):
		return "too many redirects"
	}
	return "no answer"
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the
// method and URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
