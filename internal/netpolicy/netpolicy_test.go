package netpolicy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestPublicAddresses(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "1.1.1.1": true, "2606:4700:4700::1111": true,
		"127.0.0.1": false, "10.0.0.1": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "255.255.255.255": false,
		"224.0.0.1": false, "::1": false, "fe80::1": false, "fc00::1": false, "::ffff:10.0.0.1": false,
		"2002:a00:1::": false, "64:ff9b::a00:1": false,
	} {
		if got := (Policy{}).Allowed(netip.MustParseAddr(addr), 443); got != want {
			t.Errorf("%s: allowed %v, want %v", addr, got, want)
		}
	}
}

func TestRules(t *testing.T) {
	p := Policy{Allow: MustParseRules("10.0.0.0/8, 127.0.0.1:9000", "[::1]:9001,192.168.1.7")}
	for _, tc := range []struct {
		addr string
		port uint16
		want bool
	}{
		{"10.1.2.3", 80, true}, {"127.0.0.1", 9000, true}, {"127.0.0.1", 9001, false},
		{"::ffff:127.0.0.1", 9000, true}, {"::1", 9001, true}, {"::1", 9000, false},
		{"192.168.1.7", 1, true}, {"192.168.1.8", 1, false}, {"169.254.169.254", 80, false},
	} {
		if got := p.Allowed(netip.MustParseAddr(tc.addr), tc.port); got != tc.want {
			t.Errorf("%s port %d: allowed %v, want %v", tc.addr, tc.port, got, tc.want)
		}
	}
	if got := strings.Join([]string{p.Allow[0].String(), p.Allow[1].String(), p.Allow[2].String()}, " "); got != "10.0.0.0/8 127.0.0.1:9000 [::1]:9001" {
		t.Errorf("rules written as %s", got)
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "127.0.0.1:0", "example.com:80", "1.2.3"} {
		if _, err := ParseRules(bad); err == nil || !strings.Contains(err.Error(), "is not an address range") {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestCheckHost(t *testing.T) {
	none, local := Policy{}, Policy{Allow: MustParseRules("127.0.0.1:9000")}
	for _, tc := range []struct {
		p       Policy
		host    string
		refused bool
	}{
		{none, "127.0.0.1:8080", true}, {none, "[::1]:80", true}, {none, "169.254.169.254", true},
		{none, "LOCALHOST:9000", true}, {none, "app.localhost", true}, {none, "10.0.0.1:443", true},
		{none, "app.example.com", false}, {none, "93.184.216.34:443", false},
		{local, "127.0.0.1:9000", false}, {local, "localhost:9000", false}, {local, "127.0.0.1:9001", true},
	} {
		err := tc.p.CheckHost(tc.host)
		if (err != nil) != tc.refused || (err != nil && !errors.Is(err, ErrRefused)) {
			t.Errorf("%s (allow %v): err %v, want refused %v", tc.host, tc.p.Allow, err, tc.refused)
		}
	}
}

// TestTransportChecksTheDialledAddress: a name that resolves to loopback
// is refused when dialled, and allowed once a rule names its port.
func TestTransportChecksTheDialledAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	get := func(p Policy) error {
		c := &http.Client{Transport: p.Transport(5 * time.Second)}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://localhost"+port, nil)
		res, err := c.Do(req)
		if err == nil {
			res.Body.Close()
		}
		return err
	}
	if err := get(Policy{}); !errors.Is(err, ErrRefused) {
		t.Errorf("localhost without a rule: %v", err)
	}
	host, _, _ := net.SplitHostPort(srv.Listener.Addr().String())
	if err := get(Policy{Allow: MustParseRules(host + port)}); err != nil {
		t.Errorf("localhost with a rule for its port: %v", err)
	}
}
