package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard"
)

func TestInviteAndDisableAgents(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var inv struct {
		Agent    switchboard.Agent `json:"agent"`
		Password string            `json:"password"`
	}
	c.must("POST", "/v1/admin/agents", map[string]any{"email": "kim@example.com", "name": "Kim", "admin": true}, http.StatusCreated, &inv)
	if !inv.Agent.Admin || len(inv.Password) < 12 {
		t.Fatalf("invited: %+v", inv)
	}
	// Kim can sign in with the generated password, and administer.
	kimPassword := inv.Password
	kim := f.signInAs("kim@example.com", kimPassword)
	kim.must("GET", "/v1/admin/agents", nil, http.StatusOK, nil)

	inv.Password = ""
	c.must("POST", "/v1/admin/agents", map[string]any{"email": "lee@example.com", "name": "Lee", "password": "a long enough one"}, http.StatusCreated, &inv)
	if inv.Agent.Admin || inv.Password != "" {
		t.Fatalf("invited with a password: %+v", inv)
	}
	for _, bad := range []struct {
		body map[string]any
		code int
		says string
	}{
		{map[string]any{"email": "not an email", "name": "X"}, 400, "email"},
		{map[string]any{"email": "x@example.com", "name": ""}, 400, "name"},
		{map[string]any{"email": "x@example.com", "name": "X", "password": "short"}, 400, "password"},
		{map[string]any{"email": "KIM@example.com", "name": "Kim again"}, 409, "already in use"},
	} {
		if msg := c.fails("POST", "/v1/admin/agents", bad.body, "", bad.code); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q", bad.body, msg)
		}
	}

	// Disabling Kim signs her out at her next request.
	var changed switchboard.Agent
	c.must("PATCH", "/v1/admin/agents/"+kimID(t, c), map[string]any{"disabled": true, "name": "Kim B."}, http.StatusOK, &changed)
	if !changed.Disabled || changed.Name != "Kim B." {
		t.Fatalf("changed: %+v", changed)
	}
	kim.fails("GET", "/v1/admin/agents", nil, "", http.StatusUnauthorized)
	c.must("PATCH", "/v1/admin/agents/"+changed.ID, map[string]any{"disabled": false, "admin": false}, http.StatusOK, &changed)
	if changed.Disabled || changed.Admin {
		t.Fatalf("re-enabled: %+v", changed)
	}
	c.fails("PATCH", "/v1/admin/agents/"+changed.ID, map[string]any{"name": " "}, "", http.StatusBadRequest)
	c.fails("PATCH", "/v1/admin/agents/nope", map[string]any{"disabled": true}, "", http.StatusNotFound)
	var list struct{ Agents []map[string]any }
	c.must("GET", "/v1/admin/agents", nil, http.StatusOK, &list)
	for _, a := range list.Agents {
		for k := range a {
			if strings.Contains(k, "password") {
				t.Errorf("an agent's %s is listed", k)
			}
		}
	}
	if strings.Contains(f.logs.String(), kimPassword) {
		t.Error("a generated password is in the logs")
	}
}

func kimID(t *testing.T, c *client) string {
	t.Helper()
	var list struct{ Agents []switchboard.Agent }
	c.must("GET", "/v1/admin/agents", nil, http.StatusOK, &list)
	for _, a := range list.Agents {
		if a.Email == "kim@example.com" {
			return a.ID
		}
	}
	t.Fatal("no Kim")
	return ""
}
