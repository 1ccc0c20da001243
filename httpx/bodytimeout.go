package httpx

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// BodyTimeout bounds how long a request's body may take to arrive: from the
// moment its headers are read, the body must be complete within d, or its
// reads fail and the connection is closed. net/http's ReadTimeout would do
// this for every request but, once the body is read, it goes on counting and
// its expiry cancels the request's context: it would end the desk's event
// streams and long turns. Here the deadline is lifted as soon as the body has
// been read to its end, and requests without a body (WebSocket upgrades, event
// streams) have none.
func BodyTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(d)); err != nil {
			next.ServeHTTP(w, r) // a writer without a connection (tests' recorders)
			return
		}
		r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the connection's read deadline once the body is read.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{}) // the connection may be gone: nothing to lift then
	}
	return n, err
}
