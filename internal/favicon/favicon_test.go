package favicon_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/internal/favicon"
)

func TestTheIconIsAnSVG(t *testing.T) {
	for _, p := range favicon.Paths {
		rec := httptest.NewRecorder()
		favicon.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(rec.Body.String(), "<svg") {
			t.Fatalf("GET %s: %d %q %.40q, want 200 image/svg+xml <svg…", p, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
}
