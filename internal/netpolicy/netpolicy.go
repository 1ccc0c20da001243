// Package netpolicy is the one address policy of switchboard's outbound
// connections to addresses that others choose: the bots' HTTP calls
// (csml/httphost) and the Chat API's callbacks (httpapi). Only public
// unicast addresses may be reached, unless an allowlist names a range (or
// one host's port) anyway. The check runs when a connection is dialled, on
// the address actually dialled (net.Dialer.Control), so a name that
// resolves to a private address, or whose DNS answer changes between a
// check and the call (DNS rebinding), cannot get through.
package netpolicy

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrRefused is the error of a connection to an address the policy does not
// allow.
var ErrRefused = errors.New("address not allowed")

// Rule allows an address range, on every port or on one.
type Rule struct {
	Prefix netip.Prefix
	// Port, when not 0, is the only port the rule allows.
	Port uint16
}

// ParseRule reads a rule: a range (10.0.0.0/8, fd00::/8), an address
// (127.0.0.1, ::1), or an address and port (127.0.0.1:9000, [::1]:9000).
func ParseRule(s string) (Rule, error) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return Rule{Prefix: p.Masked()}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return Rule{Prefix: netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())}, nil
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Port() != 0 {
		a := ap.Addr().Unmap()
		return Rule{Prefix: netip.PrefixFrom(a, a.BitLen()), Port: ap.Port()}, nil
	}
	return Rule{}, fmt.Errorf("%q is not an address range (10.0.0.0/8), an address (127.0.0.1) or an address and port (127.0.0.1:9000, [::1]:9000)", s)
}

// ParseRules reads rules separated by commas; empty items are skipped.
func ParseRules(list ...string) ([]Rule, error) {
	var out []Rule
	for _, l := range list {
		for _, s := range strings.Split(l, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			r, err := ParseRule(s)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// MustParseRules is ParseRules for constant lists; it panics on a bad one.
func MustParseRules(list ...string) []Rule {
	rules, err := ParseRules(list...)
	if err != nil {
		panic(err)
	}
	return rules
}

// String writes the rule as ParseRule reads it.
func (r Rule) String() string {
	if r.Port == 0 {
		return r.Prefix.String()
	}
	return netip.AddrPortFrom(r.Prefix.Addr(), r.Port).String()
}

// Policy says which addresses outbound connections may reach: public
// unicast addresses, and those its rules allow. The zero value allows
// public addresses only.
type Policy struct {
	Allow []Rule
}

// Allowed reports whether a connection may reach addr on port: a public
// unicast address, or one a rule allows.
func (p Policy) Allowed(addr netip.Addr, port uint16) bool {
	addr = addr.Unmap()
	for _, r := range p.Allow {
		if r.Prefix.Contains(addr) && (r.Port == 0 || r.Port == port) {
			return true
		}
	}
	return IsPublic(addr)
}

// Control is a net.Dialer.Control: it refuses to connect to an address the
// policy does not allow.
func (p Policy) Control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, address)
	}
	if !p.Allowed(ap.Addr(), ap.Port()) {
		return fmt.Errorf("%w: %s is not a public address", ErrRefused, ap.Addr())
	}
	return nil
}

// Transport returns an HTTP transport whose every connection the policy
// checks. It takes no proxy from the environment: the check must see the
// real destination.
func (p Policy) Transport(timeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: timeout, Control: p.Control}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// CheckHost refuses early a URL host that names an address the policy does
// not allow without any lookup: an address literal, or localhost. Other
// names pass: their addresses are checked when dialled.
func (p Policy) CheckHost(hostport string) error {
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		host, portText = strings.Trim(hostport, "[]"), ""
	}
	port, _ := strconv.ParseUint(portText, 10, 16)
	var addrs []netip.Addr
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		addrs = []netip.Addr{netip.IPv6Loopback(), netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	}
	for _, a := range addrs {
		if p.Allowed(a, uint16(port)) {
			return nil
		}
	}
	if len(addrs) > 0 {
		return fmt.Errorf("%w: %s is not a public address", ErrRefused, host)
	}
	return nil
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

// IsPublic reports whether addr is a public unicast address: not loopback,
// private, link-local (169.254.169.254, the cloud metadata service),
// unspecified, multicast, shared, documentation, 6to4 or NAT64.
func IsPublic(addr netip.Addr) bool {
	addr = addr.Unmap()
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
