package metrics

import (
	"net/http"
	"strconv"
)

// Webhook counts the calls of a platform's receive endpoint that h refuses
// with a 4xx status (a wrong token or signature, a ticket that is not the
// session's, a malformed delivery).
func (m *Metrics) Webhook(platform string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status >= 400 && sw.status < 500 {
			m.rejects.WithLabelValues(platform, strconv.Itoa(sw.status)).Inc()
		}
	})
}

// statusWriter remembers the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
