package httpx

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"switchboard"
)

// ConnLimits bound the connections a server holds, so that no client can
// take the process's file descriptors: a connection is a descriptor for as
// long as it is open, whatever it is doing (sending a body slowly, waiting,
// holding a WebSocket).
type ConnLimits struct {
	// Total bounds the open connections; 0 means no bound.
	Total int
	// PerAddr bounds the open connections of one client address (IPv6
	// addresses of one /64 count as one); 0 means no bound.
	PerAddr int
	// Reserve is the last part of Total kept for the requests Reserved lets
	// through (health probes, the desk, the administration): once Total -
	// Reserve connections are open, the next ones answer only those.
	Reserve int
}

// LimitListener is a listener that refuses connections over its limits: a
// refused connection is answered 429 (its address is over PerAddr) or 503
// (the server is over Total) when the answer can be sent at once, and
// closed.
type LimitListener struct {
	net.Listener
	lim ConnLimits
	// refused, when set, is told each refusal (for the log; it must be quick).
	refused func(addr string, err error)

	mu     sync.Mutex
	open   int
	byAddr map[string]int
}

// NewLimitListener wraps l with lim; refused may be nil.
func NewLimitListener(l net.Listener, lim ConnLimits, refused func(addr string, err error)) *LimitListener {
	return &LimitListener{Listener: l, lim: lim, refused: refused, byAddr: map[string]int{}}
}

// Accept returns the next connection within the limits, refusing the others.
func (l *LimitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := clientAddr(c.RemoteAddr())
		reserve, err := l.admit(addr)
		if err == nil {
			return &limitedConn{Conn: c, l: l, addr: addr, reserve: reserve}, nil
		}
		refuse(c, err)
		if l.refused != nil {
			l.refused(addr, err)
		}
	}
}

// Open answers the connections open now.
func (l *LimitListener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// admit counts a new connection from addr, or says which limit refuses it;
// reserve tells that it is in the reserve.
func (l *LimitListener) admit(addr string) (reserve bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lim.PerAddr > 0 && l.byAddr[addr] >= l.lim.PerAddr {
		return false, switchboard.Errorf(switchboard.ETOOMANY, "this address has %d connections open, the most the server takes from one address: close some, then retry", l.byAddr[addr])
	}
	if l.lim.Total > 0 && l.open >= l.lim.Total {
		return false, switchboard.Errorf(switchboard.EUNAVAILABLE, "the server has all the connections it takes (%d) open: retry in a moment", l.open)
	}
	l.open++
	l.byAddr[addr]++
	return l.lim.Total > 0 && l.open > l.lim.Total-l.lim.Reserve, nil
}

// release uncounts a connection from addr.
func (l *LimitListener) release(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byAddr[addr]--; l.byAddr[addr] <= 0 {
		delete(l.byAddr, addr)
	}
}

// refuseWrite bounds the write of a refusal: the answer is small and the
// connection new, so it fits its socket's buffer at once or not at all.
const refuseWrite = 50 * time.Millisecond

// refuse answers a refused connection with err, as a JSON error, and closes
// it. It does not wait for the request: the client may see the answer, or
// only the connection closed.
func refuse(c net.Conn, err error) {
	var body ErrorBody
	body.Error.Code = switchboard.ErrorCode(err)
	body.Error.Message = switchboard.ErrorMessage(err)
	data, _ := json.Marshal(body) // strings only: it always encodes
	status := Status(body.Error.Code)
	_ = c.SetWriteDeadline(time.Now().Add(refuseWrite))
	_, _ = fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 10\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s",
		status, http.StatusText(status), len(data), data)
	c.Close()
}

// clientAddr is the address a connection is counted under: its IP, or the
// /64 prefix of an IPv6 address (one site's hosts share one).
func clientAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if ip4 := tcp.IP.To4(); ip4 != nil {
		return ip4.String()
	}
	return tcp.IP.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// PeerOf is the address a request's peer is counted under, as its
// connection is (clientAddr).
func PeerOf(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return clientAddr(net.TCPAddrFromAddrPort(ap))
}

// limitedConn is an admitted connection: closing it frees its place.
type limitedConn struct {
	net.Conn
	l       *LimitListener
	addr    string
	reserve bool
	once    sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.release(c.addr) })
	return c.Conn.Close()
}

// CloseWrite lets net/http close a connection gracefully (its answer sent
// before the close), as it does a *net.TCPConn.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// SyscallConn reaches the socket under the connection, as a *net.TCPConn
// lets one: a chat page's WebSocket is parked on it (internal/wsserver).
func (c *limitedConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, fmt.Errorf("connection from %s: %T has no socket to reach", c.addr, c.Conn)
}

// reserveKey marks, in a connection's context, that it is in the reserve.
type reserveKey struct{}

// ConnContext is the http.Server's ConnContext that lets Reserved know the
// connections admitted into the reserve.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if lc, ok := c.(*limitedConn); ok && lc.reserve {
		return context.WithValue(ctx, reserveKey{}, true)
	}
	return ctx
}

// Reserved serves the requests of connections in the reserve only when keep
// says so (health probes, the desk, the administration), and answers the
// others 503 and closes their connection, so that a flood that fills the
// server leaves room for those.
func Reserved(keep func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(reserveKey{}) != nil && !keep(r) {
			w.Header().Set("Connection", "close")
			w.Header().Set("Retry-After", "10")
			WriteError(w, r, nil, switchboard.Errorf(switchboard.EUNAVAILABLE, "the server has all the connections it takes open: retry in a moment"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
