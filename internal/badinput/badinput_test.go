package badinput_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestEveryRouteSurvivesBadInput sends every hostile request of every
// operation (attacks_test.go) to a real server on each store: no answer may
// be a server error or come later than the deadline, and the server must
// still be healthy and serve a plain request afterwards.
func TestEveryRouteSurvivesBadInput(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := start(t, st.database(t))
			var all []attack
			for _, o := range append(document(t), unlisted...) {
				all = append(all, attacks(o, s.valid(o.path))...)
			}
			results := s.send(all, 4)
			var failed []string
			statuses := map[int]int{}
			for i, r := range results {
				statuses[r.status]++
				a := all[i]
				switch {
				case r.err != nil:
					failed = append(failed, fmt.Sprintf("%s %s (%s): no answer after %v: %v", a.method, cut(a.path), a.what, r.elapsed.Round(1e6), r.err))
				case r.status >= 500:
					failed = append(failed, fmt.Sprintf("%s %s (%s): %d %s", a.method, cut(a.path), a.what, r.status, cut(r.body)))
				case r.elapsed > deadline:
					failed = append(failed, fmt.Sprintf("%s %s (%s): answered after %v", a.method, cut(a.path), a.what, r.elapsed.Round(1e6)))
				}
			}
			t.Logf("%d hostile requests, %d failed; answers by status: %v", len(all), len(failed), statuses)
			for i, f := range failed {
				if i == 60 {
					t.Errorf("… and %d more", len(failed)-i)
					break
				}
				t.Error(f)
			}
			s.healthy()
		})
	}
}

// valid returns, for the operations of a path, the values of its path
// parameters that exist (or that plausibly could), so that the hostile
// query or body reaches its own checks.
func (s *server) valid(path string) func(string) string {
	return func(param string) string {
		switch {
		case param == "channel":
			return s.webapp
		case param == "file":
			return "app.js"
		case param == "id" && strings.HasPrefix(path, "/v1/admin/bots/"):
			return s.botID
		}
		return "nope"
	}
}

// send sends the attacks on workers and returns their answers, in order.
func (s *server) send(all []attack, workers int) []answer {
	out := make([]answer, len(all))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.attack(all[i])
			}
		}()
	}
	for i := range all {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// attack sends one hostile request with the credentials its route wants
// (or the bad ones it carries).
func (s *server) attack(a attack) answer {
	req, err := http.NewRequest(a.method, s.url+a.path, strings.NewReader(a.body))
	if err != nil {
		return answer{err: fmt.Errorf("cannot build the request: %w", err)}
	}
	if a.ctype != "" {
		req.Header.Set("Content-Type", a.ctype)
	}
	if a.header != nil {
		for k, v := range a.header {
			req.Header[k] = v
		}
		return s.do(req, false)
	}
	switch a.auth {
	case admin:
		s.admin(req)
	case public:
		s.public(req)
	case signed:
		s.signed(req)
	case signIn:
		return s.do(s.signedIn(req), true)
	}
	return s.do(req, false)
}

// healthy checks that the server still answers its health checks and a
// plain event of the Chat API.
func (s *server) healthy() {
	s.t.Helper()
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := s.do(s.request("GET", path, ""), false); r.err != nil || r.status != http.StatusOK {
			s.t.Errorf("GET %s after the attacks: %d %v %s", path, r.status, r.err, r.body)
		}
	}
	r := s.do(s.public(s.request("POST", "/v1/api/chat", bases["EventRequest"])), false)
	if r.err != nil || r.status != http.StatusOK {
		s.t.Errorf("a plain event after the attacks: %d %v %s", r.status, r.err, r.body)
	}
}

// cut shortens a path or a body for a report.
func cut(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
