package app

import (
	"net/http/httptest"
	"testing"
)

// The total follows the open file limit, leaving a tenth (at least 64) for
// the rest; a tenth of it is the reserve.
func TestConnLimits(t *testing.T) {
	for _, c := range []struct {
		files uint64
		want  int
	}{{0, 10_000}, {1024, 922}, {500, 436}, {20_000, 18_000}, {1 << 20, 50_000}} {
		if got := autoConns(c.files); got != c.want {
			t.Errorf("autoConns(%d) = %d, want %d", c.files, got, c.want)
		}
	}
	lim := Config{MaxConns: 2000, MaxConnsPerAddr: -1}.connLimits()
	if lim.Total != 2000 || lim.PerAddr != 0 || lim.Reserve != 200 {
		t.Errorf("limits of max_conns 2000 and no per-address limit: %+v", lim)
	}
}

// Probes, the desk and the administration are served on the reserve; chat
// pages and the Chat API are not.
func TestReservedRequests(t *testing.T) {
	for path, want := range map[string]bool{
		"/healthz": true, "/readyz": true, "/metrics": true, "/desk/": true, "/desk/api/sessions": true,
		"/admin": true, "/admin/": true, "/v1/admin/bots": true,
		"/v1/api/chat": false, "/chat/x": false, "/v1/webapp/x/ws": false, "/": false, "/deskx": false,
	} {
		if got := reserved(httptest.NewRequest("GET", path, nil)); got != want {
			t.Errorf("reserved(%s) = %v, want %v", path, got, want)
		}
	}
}
