package obs

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequestIDsReachLogLinesAndTheAnswer(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "handled")
	}))
	for _, c := range []struct{ sent, want string }{
		{"abc-123.x_y", "abc-123.x_y"},
		{"bad id\nwith a newline", ""},
		{"", ""},
	} {
		buf.Reset()
		r := httptest.NewRequest("GET", "/", nil)
		if c.sent != "" {
			r.Header.Set(Header, c.sent)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get(Header)
		if c.want != "" && got != c.want || c.want == "" && (len(got) != 16 || got == c.sent) {
			t.Errorf("sent %q: answered %s %q", c.sent, Header, got)
		}
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if line["request_id"] != got || line["component"] != "test" {
			t.Errorf("sent %q: log line %v, want request_id %q", c.sent, line, got)
		}
	}
}
