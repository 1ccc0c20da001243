package admin_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"switchboard"
)

// invitedOut is the answer of an invitation or a password reset.
type invitedOut struct {
	Agent    switchboard.Agent `json:"agent"`
	Password string            `json:"password"`
}

func TestInviteAndDisableAgents(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var inv invitedOut
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
	c.must("PATCH", "/v1/admin/agents/"+agentID(t, c, "kim@example.com"), map[string]any{"disabled": true, "name": "Kim B."}, http.StatusOK, &changed)
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

func TestAgentsBotsSignOutEverywhereAndPasswordReset(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var inv invitedOut
	c.must("POST", "/v1/admin/agents", map[string]any{"email": "kim@example.com", "name": "Kim", "bots": []string{"livechat-demo"}}, http.StatusCreated, &inv)
	if inv.Agent.AllBots || len(inv.Agent.Bots) != 1 || inv.Agent.Bots[0] != "livechat-demo" {
		t.Fatalf("invited with a bot: %+v", inv.Agent)
	}
	if msg := c.fails("POST", "/v1/admin/agents", map[string]any{"email": "x@example.com", "name": "X", "bots": []string{"nope"}}, "", 400); !strings.Contains(msg, `"nope"`) {
		t.Errorf("invited with an unknown bot: %q", msg)
	}
	var changed switchboard.Agent
	c.must("PATCH", "/v1/admin/agents/"+inv.Agent.ID, map[string]any{"bots": []string{}}, http.StatusOK, &changed)
	if changed.AllBots || len(changed.Bots) != 0 {
		t.Errorf("given no bot: %+v", changed)
	}
	c.must("PATCH", "/v1/admin/agents/"+inv.Agent.ID, map[string]any{"all_bots": true}, http.StatusOK, &changed)
	if !changed.AllBots {
		t.Errorf("given all bots: %+v", changed)
	}

	// Sign out everywhere: both of the administrator's sign-ins end.
	adminID := agentID(t, c, adminEmail)
	one, two := f.signIn(adminEmail), f.signIn(adminEmail)
	c.must("POST", "/v1/admin/agents/"+adminID+"/signout", nil, http.StatusNoContent, nil)
	one.fails("GET", "/v1/admin/agents", nil, "", http.StatusUnauthorized)
	two.fails("GET", "/v1/admin/me", nil, "", http.StatusUnauthorized)
	c.fails("POST", "/v1/admin/agents/nope/signout", nil, "", http.StatusNotFound)

	// A password reset: generated and shown once, or chosen; it ends the
	// sign-ins, and the old password no longer works.
	admin := f.signIn(adminEmail)
	var reset invitedOut
	admin.must("POST", "/v1/admin/agents/"+adminID+"/password", map[string]any{}, http.StatusOK, &reset)
	if reset.Agent.ID != adminID || len(reset.Password) < 12 {
		t.Fatalf("reset: %+v", reset)
	}
	admin.fails("GET", "/v1/admin/agents", nil, "", http.StatusUnauthorized)
	f.script().fails("POST", "/v1/admin/login", map[string]string{"email": adminEmail, "password": agentPassword}, "", http.StatusUnauthorized)
	f.signInAs(adminEmail, reset.Password)
	reset.Password = ""
	c.must("POST", "/v1/admin/agents/"+adminID+"/password", map[string]any{"password": "chosen by the admin"}, http.StatusOK, &reset)
	if reset.Password != "" {
		t.Errorf("a chosen password was answered back")
	}
	f.signInAs(adminEmail, "chosen by the admin")
	if msg := c.fails("POST", "/v1/admin/agents/"+adminID+"/password", map[string]any{"password": "short"}, "", 400); !strings.Contains(msg, "at least 8") {
		t.Errorf("a short password: %q", msg)
	}
	if strings.Contains(f.logs.String(), inv.Password) {
		t.Error("a generated password is in the logs")
	}
}

// The administration's sign-in cookie is scoped to its API, and a desk
// sign-in (scoped to /desk) does not reach it.
func TestSignInCookiesAreScopedToTheirArea(t *testing.T) {
	f := newFixture(t)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	res, err := hc.Post(f.base+"/v1/admin/login", "application/json", strings.NewReader(`{"email":"`+adminEmail+`","password":"`+agentPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ck := res.Cookies(); len(ck) != 1 || ck[0].Path != "/v1/admin" || !ck[0].HttpOnly {
		t.Errorf("admin sign-in cookies %+v: want one, HttpOnly, Path=/v1/admin", ck)
	}
	desk, _ := cookiejar.New(nil)
	hc = &http.Client{Jar: desk, Timeout: 10 * time.Second}
	res, err = hc.Post(f.base+"/desk/api/login", "application/json", strings.NewReader(`{"email":"`+adminEmail+`","password":"`+agentPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ck := res.Cookies(); len(ck) != 1 || ck[0].Path != "/desk" {
		t.Errorf("desk sign-in cookies %+v: want one with Path=/desk", ck)
	}
	res, err = hc.Get(f.base + "/v1/admin/agents")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the admin API with a desk sign-in: status %d, want 401", res.StatusCode)
	}
}

func agentID(t *testing.T, c *client, email string) string {
	t.Helper()
	var list struct{ Agents []switchboard.Agent }
	c.must("GET", "/v1/admin/agents", nil, http.StatusOK, &list)
	for _, a := range list.Agents {
		if a.Email == email {
			return a.ID
		}
	}
	t.Fatalf("no agent %s", email)
	return ""
}
