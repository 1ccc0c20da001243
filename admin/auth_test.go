package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// adminRoutes are one request of every admin endpoint.
var adminRoutes = []struct{ method, path string }{
	{"GET", "/v1/admin/bots"}, {"POST", "/v1/admin/bots"}, {"POST", "/v1/admin/bots/validate"},
	{"GET", "/v1/admin/bots/livechat-demo"}, {"DELETE", "/v1/admin/bots/livechat-demo"},
	{"GET", "/v1/admin/bots/livechat-demo/versions"}, {"POST", "/v1/admin/bots/livechat-demo/versions/x/activate"},
	{"GET", "/v1/admin/bots/livechat-demo/livechat"}, {"PUT", "/v1/admin/bots/livechat-demo/livechat"},
	{"GET", "/v1/admin/channels"}, {"POST", "/v1/admin/channels"}, {"POST", "/v1/admin/channels/x/rotate"},
	{"GET", "/v1/admin/sessions"}, {"GET", "/v1/admin/sessions/x"}, {"POST", "/v1/admin/sessions/x/end"},
	{"GET", "/v1/admin/agents"}, {"POST", "/v1/admin/agents"}, {"PATCH", "/v1/admin/agents/x"},
	{"GET", "/v1/admin/stats"},
}

func TestAdminRefusesMissingOrWrongCredentials(t *testing.T) {
	f := newFixture(t)
	anonymous := &client{f: f, http: f.script().http, header: http.Header{}}
	wrongToken := &client{f: f, http: f.script().http, header: http.Header{"Authorization": {"Bearer " + strings.Repeat("x", 43)}}}
	basic := &client{f: f, http: f.script().http, header: http.Header{"Authorization": {"Basic YWRtaW46YWRtaW4="}}}
	agent := f.signIn(agentEmail)
	admin := f.signIn(adminEmail)
	noCSRF := &client{f: f, http: admin.http, header: http.Header{}}
	for _, r := range adminRoutes {
		for _, c := range []struct {
			who    string
			c      *client
			status int
		}{
			{"nobody", anonymous, http.StatusUnauthorized},
			{"a wrong token", wrongToken, http.StatusUnauthorized},
			{"basic credentials", basic, http.StatusUnauthorized},
			{"an agent who is not an administrator", agent, http.StatusForbidden},
		} {
			c.c.fails(r.method, r.path, nil, "", c.status)
		}
		if r.method != "GET" {
			if msg := noCSRF.fails(r.method, r.path, nil, "", http.StatusForbidden); !strings.Contains(msg, "X-CSRF-Token") {
				t.Errorf("%s %s without the CSRF token: %q", r.method, r.path, msg)
			}
		}
	}
	// A page of another origin cannot make the administrator's browser
	// change anything, even with the cookie.
	crossSite := &client{f: f, http: admin.http, header: http.Header{"X-CSRF-Token": admin.header["X-Csrf-Token"], "Sec-Fetch-Site": {"cross-site"}}}
	if msg := crossSite.fails("POST", "/v1/admin/channels", map[string]string{}, "", http.StatusForbidden); !strings.Contains(msg, "cross-origin") {
		t.Errorf("cross-site change: %q", msg)
	}
	// The signed-in administrator and the token get in.
	admin.must("GET", "/v1/admin/bots", nil, http.StatusOK, nil)
	f.script().must("GET", "/v1/admin/bots", nil, http.StatusOK, nil)
	// Signing out ends it.
	admin.must("GET", "/v1/admin/me", nil, http.StatusOK, nil)
	res, _ := admin.do("POST", "/v1/admin/logout", nil, "")
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("logout → %d", res.StatusCode)
	}
	admin.fails("GET", "/v1/admin/bots", nil, "", http.StatusUnauthorized)
	// Unknown routes are JSON errors too.
	f.script().fails("GET", "/v1/admin/nothing", nil, "", http.StatusNotFound)

	// The admin token never shows in an answer or a log line.
	for _, ex := range recorder.Exchanges() {
		if strings.Contains(string(ex.ResponseBody), f.token) {
			t.Errorf("%s %s answered the admin token", ex.Method, ex.Path)
		}
	}
	if strings.Contains(f.logs.String(), f.token) {
		t.Error("the admin token is in the logs")
	}
}

func TestPagesAndDocumentAreServed(t *testing.T) {
	f := newFixture(t)
	res, err := http.Get(f.base + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("/admin/ → %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	res, err = http.Get(f.base + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("/v1/openapi.json → %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
