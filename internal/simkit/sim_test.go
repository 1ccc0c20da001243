package simkit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestInjectionsAnswerAsThePlatformFails drives a simulator skeleton's API
// through its fault switches: each failure is written by the platform's
// fail, a write applied then failed is done once, and a request with
// nothing injected is the route's.
func TestInjectionsAnswerAsThePlatformFails(t *testing.T) {
	s := &Sim{Dispatch: NewDispatcher(DispatcherConfig{})}
	defer s.Close()
	applied := 0
	serve := func(method string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.Inject(method).Serve(w, func(w http.ResponseWriter, status int) { w.WriteHeader(status) },
			func(w http.ResponseWriter) { applied++; w.WriteHeader(http.StatusCreated) })
		return w
	}
	s.Throttle(1, 3*time.Second)
	s.FailNext(http.StatusForbidden, 1)
	s.FailAfterApply(1)
	got := []*httptest.ResponseRecorder{serve("POST"), serve("POST"), serve("POST"), serve("POST")}
	if got[0].Code != 429 || got[0].Header().Get("Retry-After") != "3" || got[1].Code != 403 || got[2].Code != 502 || got[3].Code != 201 {
		t.Errorf("answers %d %d %d %d", got[0].Code, got[1].Code, got[2].Code, got[3].Code)
	}
	if applied != 2 || s.Requests() != 4 {
		t.Errorf("%d writes applied, %d requests counted; want 2 and 4", applied, s.Requests())
	}
}

// TestControlServesTheSharedRoutes calls the control routes every
// simulator has, as its console does.
func TestControlServesTheSharedRoutes(t *testing.T) {
	s := &Sim{Dispatch: NewDispatcher(DispatcherConfig{})}
	defer s.Close()
	type action struct{ Kind string }
	ctl := Control[Switches, action]{
		Sim: s, Switches: s.Switches, SetSwitches: s.SetSwitches,
		Info:    func() any { return map[string]string{"token": "t"} },
		Threads: "tickets", ActHelp: "send an action",
		Act: func(id int64, a action) (any, error) { return map[string]any{"id": id, "kind": a.Kind}, nil },
		Fail: func(w http.ResponseWriter, status int, msg string) {
			WriteJSON(w, status, map[string]string{"error": msg})
		},
	}
	call := func(method, path, body string) (int, map[string]any, bool) {
		w := httptest.NewRecorder()
		served := ctl.Serve(w, httptest.NewRequest(method, "/_sim"+path, strings.NewReader(body)), path)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out, served
	}
	if st, out, _ := call("GET", "/info", ""); st != 200 || out["token"] != "t" {
		t.Errorf("info: %d %v", st, out)
	}
	if st, out, _ := call("POST", "/chaos", `{"outage":true,"reorder":3}`); st != 200 || out["outage"] != true || out["reorder"] != 3.0 {
		t.Errorf("chaos: %d %v", st, out)
	}
	if st, out, _ := call("POST", "/tickets/7/actions", `{"Kind":"reply"}`); st != 200 || out["message"].(map[string]any)["id"] != 7.0 {
		t.Errorf("action: %d %v", st, out)
	}
	if st, out, _ := call("POST", "/tickets/x/actions", `{}`); st != 400 || out["error"] != "send an action" {
		t.Errorf("a bad action: %d %v", st, out)
	}
	if _, _, served := call("GET", "/tickets", ""); served {
		t.Error("a simulator's own route was served")
	}
}

// TestConsoleHasTheSimulatorsParts renders a console from a simulator's
// parts.
func TestConsoleHasTheSimulatorsParts(t *testing.T) {
	page := string(Console(`{{define "title"}}Acme simulator{{end}}{{define "style"}}{{end}}{{define "header"}}<code id="key"></code>{{end}}` +
		`{{define "list"}}<ul class="threads"></ul>{{end}}{{define "thread"}}{{end}}{{define "composer"}}<button data-act="reply">Reply</button>{{end}}` +
		`{{define "side"}}{{end}}{{define "switches"}}<input id="c-x">{{end}}{{define "script"}}const sim = {};{{end}}`))
	for _, want := range []string{"<title>Acme simulator</title>", `<code id="key">`, `data-act="reply"`, `id="c-x"`, "const sim = {};", `id="c-outage"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the console has no %s", want)
		}
	}
}
