package httpx

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveLimited serves a handler that answers its path on a listener with lim.
func serveLimited(t *testing.T, lim ConnLimits) (*LimitListener, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ll := NewLimitListener(l, lim, nil)
	keep := func(r *http.Request) bool { return r.URL.Path == "/healthz" }
	srv := &http.Server{
		Handler:     Reserved(keep, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) })),
		ConnContext: ConnContext,
	}
	go srv.Serve(ll)
	t.Cleanup(func() { srv.Close() })
	return ll, l.Addr().String()
}

// get sends a GET on c and answers the status line.
func get(t *testing.T, c net.Conn, path string) string {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return "write: " + err.Error()
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "read: " + err.Error()
	}
	return strings.TrimSpace(line)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Once the connections outside the reserve are taken, the next ones answer
// only the reserved requests; over the total, connections are refused with
// 503, and a closed connection frees its place.
func TestLimitListenerKeepsAReserve(t *testing.T) {
	ll, addr := serveLimited(t, ConnLimits{Total: 4, Reserve: 2})
	var held []net.Conn
	for range 2 {
		c := dial(t, addr)
		if got := get(t, c, "/v1/api/chat"); got != "HTTP/1.1 200 OK" {
			t.Fatalf("a connection within the limit: %q", got)
		}
		held = append(held, c)
	}
	inReserve := dial(t, addr)
	if got := get(t, inReserve, "/v1/api/chat"); got != "HTTP/1.1 503 Service Unavailable" {
		t.Errorf("a request that is not reserved, in the reserve: %q", got)
	}
	waitOpen(t, ll, 2) // the server closed it
	for range 2 {
		if got := get(t, dial(t, addr), "/healthz"); got != "HTTP/1.1 200 OK" {
			t.Errorf("/healthz in the reserve: %q", got)
		}
	}
	if got := get(t, dial(t, addr), "/healthz"); got != "HTTP/1.1 503 Service Unavailable" {
		t.Errorf("over the total: %q", got)
	}
	held[0].Close()
	waitOpen(t, ll, 3)
	if got := get(t, dial(t, addr), "/healthz"); got != "HTTP/1.1 200 OK" {
		t.Errorf("after a connection closed: %q", got)
	}
}

// waitOpen waits until the listener has at most n connections open.
func waitOpen(t *testing.T, ll *LimitListener, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for ll.Open() > n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want %d", ll.Open(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// One address is held to PerAddr connections, answered 429 over it.
func TestLimitListenerPerAddress(t *testing.T) {
	_, addr := serveLimited(t, ConnLimits{PerAddr: 2})
	dial(t, addr)
	dial(t, addr)
	c := dial(t, addr)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	data, _ := io.ReadAll(c) // the answer comes without a request
	if !strings.HasPrefix(string(data), "HTTP/1.1 429 Too Many Requests") || !strings.Contains(string(data), `"code":"rate_limited"`) || !strings.Contains(string(data), "from one address") {
		t.Errorf("over the limit of an address: %q", data)
	}
}

// IPv6 addresses of one /64 count as one address.
func TestClientAddr(t *testing.T) {
	a := clientAddr(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1")})
	b := clientAddr(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::2")})
	if a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("%q and %q", a, b)
	}
	if got := clientAddr(&net.TCPAddr{IP: net.IPv4(10, 0, 0, 1)}); got != "10.0.0.1" {
		t.Errorf("IPv4: %q", got)
	}
}

// A connection under the limits is still a socket a handler can reach
// (chat pages park theirs on it); its descriptor is the accepted one's.
func TestLimitedConnReachesItsSocket(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ll := NewLimitListener(l, ConnLimits{Total: 4}, nil)
	dial(t, l.Addr().String())
	c, err := ll.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc, ok := c.(syscall.Conn)
	if !ok {
		t.Fatalf("%T hides its socket", c)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fd uintptr
	if err := rc.Control(func(d uintptr) { fd = d }); err != nil || fd == 0 {
		t.Fatalf("no descriptor: %v", err)
	}
	var want uintptr
	inner, _ := c.(*limitedConn).Conn.(syscall.Conn).SyscallConn()
	_ = inner.Control(func(d uintptr) { want = d })
	if fd != want {
		t.Fatalf("descriptor %d, want the accepted socket's %d", fd, want)
	}
}
