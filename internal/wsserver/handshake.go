package wsserver

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// acceptGUID is the constant of RFC 6455 §1.3 that the server appends to the
// client's key before hashing it into Sec-WebSocket-Accept.
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Upgrade checks a WebSocket handshake request, answers it with 101
// Switching Protocols and takes the connection over from net/http. A request
// that is not a valid handshake, or comes from a page of another origin
// (the Origin header, when there is one, must name the request's host), is
// answered with an error status and a text saying what is wrong, and the
// error is returned.
func Upgrade(w http.ResponseWriter, r *http.Request) (*Conn, error) {
	if status, err := checkRequest(w, r); err != nil {
		http.Error(w, err.Error(), status)
		return nil, err
	}
	h := w.Header()
	h.Set("Upgrade", "websocket")
	h.Set("Connection", "Upgrade")
	h.Set("Sec-WebSocket-Accept", acceptKey(strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key"))))
	w.WriteHeader(http.StatusSwitchingProtocols)
	nc, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, fmt.Errorf("websocket upgrade: take the connection over: %w", err)
	}
	c := newConn(nc)
	// What the page sent right after its handshake, which net/http may
	// already have read.
	if n := brw.Reader.Buffered(); n > 0 {
		early, _ := brw.Reader.Peek(n)
		c.early = append([]byte(nil), early...)
	}
	return c, nil
}

// acceptKey is the Sec-WebSocket-Accept answering a client's key.
func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + acceptGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// checkRequest says what makes r not a WebSocket handshake this server
// accepts, with the status to answer.
func checkRequest(w http.ResponseWriter, r *http.Request) (int, error) {
	if r.Method != http.MethodGet {
		return http.StatusMethodNotAllowed, fmt.Errorf("a WebSocket handshake is a GET request, not %s", r.Method)
	}
	if !r.ProtoAtLeast(1, 1) {
		return http.StatusUpgradeRequired, fmt.Errorf("a WebSocket handshake needs HTTP/1.1 or later, not %s", r.Proto)
	}
	if !hasToken(r.Header, "Connection", "upgrade") || !hasToken(r.Header, "Upgrade", "websocket") {
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Upgrade", "websocket")
		return http.StatusUpgradeRequired, errors.New("this is a WebSocket endpoint: the request needs the headers Connection: Upgrade and Upgrade: websocket")
	}
	if v := r.Header.Get("Sec-WebSocket-Version"); v != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		return http.StatusBadRequest, fmt.Errorf("WebSocket version %q is not supported: only 13 is", v)
	}
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 {
		return http.StatusBadRequest, fmt.Errorf("a WebSocket handshake has one Sec-WebSocket-Key header, not %d", len(keys))
	}
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keys[0])); err != nil || len(k) != 16 {
		return http.StatusBadRequest, fmt.Errorf("Sec-WebSocket-Key %q is not 16 bytes in base64", keys[0])
	}
	if err := checkOrigin(r); err != nil {
		return http.StatusForbidden, err
	}
	return 0, nil
}

// checkOrigin refuses a browser page of another origin: a WebSocket is not
// bound by the same-origin policy, so without this any site could open a
// connection with the visitor's credentials. Clients that are not browsers
// send no Origin.
func checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the Origin header %q is not a URL with a host", origin)
	}
	if !strings.EqualFold(u.Host, r.Host) {
		return fmt.Errorf("a page of %s may not open a WebSocket to %s: open it from a page of the same origin", u.Host, r.Host)
	}
	return nil
}

// hasToken reports whether a comma-separated header holds token, ignoring
// case.
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
