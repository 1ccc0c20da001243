package loadtest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The tools' requests reuse their connection as a browser does: an answer
// decoded (its JSON followed by a newline, as the server writes it) or
// ignored is read to the end, so the next request finds the connection idle.
// A tool that closed an ignored answer unread (an agent's reply) opened a
// connection for the next request, and its latencies counted a TCP handshake
// the pages it stands for never make.
func TestRequestsReuseTheirConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{\"ok\":true}\n"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{}}
	for range 5 {
		if err := postJSON(c, srv.URL, http.Header{}, struct{}{}, nil); err != nil {
			t.Fatal(err)
		}
		var out struct{ OK bool }
		if err := postJSON(c, srv.URL, http.Header{}, struct{}{}, &out); err != nil || !out.OK {
			t.Fatalf("%+v, %v", out, err)
		}
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		err = decodeOK(resp, &out)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("15 requests one after the other opened %d connections, want 1", n)
	}
}
