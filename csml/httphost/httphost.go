// Package httphost is the production HTTP hook of CSML runs (csml.Host.HTTP):
// the bots' HTTP(...).send() and App() calls go through it. It bounds every
// call (a timeout, a response size cap) and refuses to reach private,
// loopback, link-local and other non-public addresses unless an allowlist
// says otherwise. The check is made on the address actually dialled, for
// every connection (redirects included), so a hostname that resolves to a
// private address, or one whose DNS answer changes between a check and the
// call, cannot get through.
package httphost

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"switchboard/csml"
)

// Config sets what bots may reach; its zero value is the safe default.
type Config struct {
	// Timeout bounds one call, from dialling to the end of the body
	// (default 10s).
	Timeout time.Duration
	// MaxResponseBytes bounds a response body (default 2 MiB).
	MaxResponseBytes int64
	// Allow lists the non-public address ranges bots may reach anyway
	// (for example 10.0.0.0/8 for an internal API, 127.0.0.1/32 in tests).
	Allow []netip.Prefix
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

// ErrRefused is the error of a call to an address the configuration does
// not allow.
var ErrRefused = errors.New("address not allowed")

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
	dialer := &net.Dialer{Timeout: h.cfg.Timeout, Control: h.control}
	transport := &http.Transport{
		// No proxy from the environment: the guard must see the real
		// destination.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   h.cfg.Timeout,
		ResponseHeaderTimeout: h.cfg.Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	if insecure {
		// Only used when the configuration allows it.
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return &http.Client{
		Transport: transport,
		Timeout:   h.cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return checkScheme(req.URL)
		},
	}
}

// control runs before every connection: the dialled address must be
// public or allowed.
func (h *Host) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, address)
	}
	if !h.Allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s is not a public address", ErrRefused, ap.Addr())
	}
	return nil
}

// Allowed reports whether calls may reach addr: a public unicast address,
// or one in the allowlist.
func (h *Host) Allowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range h.cfg.Allow {
		if p.Contains(addr) {
			return true
		}
	}
	return isPublic(addr)
}

// nonPublic are ranges that are not global unicast destinations beyond
// what the netip predicates cover: shared address space (RFC 6598), IETF
// protocol assignments, documentation and benchmarking ranges, 6to4 and
// NAT64 prefixes that can embed private IPv4 addresses.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

func isPublic(addr netip.Addr) bool {
	if !addr.IsValid() || addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() || addr.IsMulticast() ||
		addr.IsUnspecified() || !addr.IsGlobalUnicast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q (use http or https)", ErrRefused, u.Scheme)
	}
	return nil
}

// Do performs a bot's call. Its signature is csml.Host.HTTP's.
func (h *Host) Do(ctx context.Context, r csml.HTTPRequest) (csml.HTTPResponse, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return csml.HTTPResponse{}, fmt.Errorf("invalid URL %q: %w", r.URL, err)
	}
	if err := checkScheme(u); err != nil {
		return csml.HTTPResponse{}, err
	}
	var body io.Reader
	if r.Body != nil {
		body = strings.NewReader(string(r.Body))
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), body)
	if err != nil {
		return csml.HTTPResponse{}, fmt.Errorf("request %s: %w", r.URL, err)
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
		return csml.HTTPResponse{}, fmt.Errorf("%s %s: %w", r.Method, r.URL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, h.cfg.MaxResponseBytes+1))
	if err != nil {
		return csml.HTTPResponse{}, fmt.Errorf("%s %s: read response: %w", r.Method, r.URL, err)
	}
	if int64(len(data)) > h.cfg.MaxResponseBytes {
		return csml.HTTPResponse{}, fmt.Errorf("%s %s: the response is larger than %d bytes", r.Method, r.URL, h.cfg.MaxResponseBytes)
	}
	out := csml.HTTPResponse{Status: resp.StatusCode, Body: data, Header: make(map[string]string, len(resp.Header))}
	for k, v := range resp.Header {
		out.Header[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out, nil
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
