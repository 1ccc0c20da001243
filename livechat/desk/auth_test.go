package desk_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat/desk"
)

func TestCreateAgentChecksItsInput(t *testing.T) {
	f := newFixture(t, desk.Config{})
	for _, c := range []struct {
		email, name, password string
		code                  switchboard.Code
		says                  string
	}{
		{"not-an-email", "Jo", "long enough", switchboard.EINVALID, "email"},
		{"Jo <jo@example.com>", "Jo", "long enough", switchboard.EINVALID, "email"},
		{"jo@example.com", " ", "long enough", switchboard.EINVALID, "name"},
		{"jo@example.com", "Jo", "short", switchboard.EINVALID, "at least 8"},
		{"jo@example.com", "Jo", strings.Repeat("x", 73), switchboard.EINVALID, "72 bytes"},
		{"ADA@example.com", "Ada again", "long enough", switchboard.ECONFLICT, "already in use"},
	} {
		_, err := desk.CreateAgent(context.Background(), f.store, nil, c.email, c.name, c.password)
		if switchboard.ErrorCode(err) != c.code || !strings.Contains(switchboard.ErrorMessage(err), c.says) {
			t.Errorf("CreateAgent(%q, %q, %q) = %v, want %s saying %q", c.email, c.name, c.password, err, c.code, c.says)
		}
	}
	a, err := desk.CreateAgent(context.Background(), f.store, nil, " jo@example.com ", " Jo ", "long enough")
	if err != nil || a.Email != "jo@example.com" || a.Name != "Jo" || a.PasswordHash == "long enough" {
		t.Fatalf("CreateAgent = %+v, %v: want a trimmed agent with a hashed password", a, err)
	}
}

func TestSignInSetsASafeCookieAndSignOutEndsIt(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.newClient()
	var out struct {
		Agent struct {
			ID, Name, Email string
		} `json:"agent"`
		CSRFToken string `json:"csrf_token"`
	}
	res := a.call("POST", "/desk/api/login", map[string]string{"email": "ADA@example.com", "password": passwordA}, http.StatusOK, &out)
	if out.Agent.ID != f.agentA.ID || out.Agent.Name != nameA || out.CSRFToken == "" {
		t.Fatalf("login answered %+v", out)
	}
	cookies := res.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("login set %d cookies, want 1", len(cookies))
	}
	ck := cookies[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/desk" || ck.Secure ||
		ck.MaxAge != int((12*time.Hour).Seconds()) || len(ck.Value) < 43 {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/desk, not Secure over http, 12h, a 32-byte token", ck)
	}
	var hashed *switchboard.AgentLogin
	_ = f.store.View(f.ctx, func(tx switchboard.Tx) error {
		hashed, _ = tx.FindLogin(f.ctx, ck.Value, time.Now())
		return nil
	})
	if hashed != nil {
		t.Error("the store holds the cookie token itself; it must hold only its hash")
	}

	a.csrf = out.CSRFToken
	var me struct {
		Agent     struct{ ID string } `json:"agent"`
		CSRFToken string              `json:"csrf_token"`
	}
	a.call("GET", "/desk/api/me", nil, http.StatusOK, &me)
	if me.Agent.ID != f.agentA.ID || me.CSRFToken != out.CSRFToken {
		t.Errorf("me = %+v", me)
	}
	a.call("POST", "/desk/api/logout", nil, http.StatusNoContent, nil)
	a.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	a.fails("GET", "/desk/api/sessions", nil, http.StatusUnauthorized)
}

func TestSecureCookiesSetsTheSecureFlag(t *testing.T) {
	f := newFixture(t, desk.Config{SecureCookies: true})
	res := f.newClient().call("POST", "/desk/api/login", map[string]string{"email": emailA, "password": passwordA}, http.StatusOK, nil)
	if ck := res.Cookies(); len(ck) != 1 || !ck[0].Secure {
		t.Fatalf("cookies %+v: want one with Secure", ck)
	}
}

func TestWrongCredentialsAreRefusedAlike(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.newClient()
	wrongPassword := a.fails("POST", "/desk/api/login", map[string]string{"email": emailA, "password": "not the password"}, http.StatusUnauthorized)
	unknownEmail := a.fails("POST", "/desk/api/login", map[string]string{"email": "nobody@example.com", "password": "not the password"}, http.StatusUnauthorized)
	if wrongPassword != unknownEmail {
		t.Errorf("wrong password says %+v but unknown email says %+v: they must not differ", wrongPassword, unknownEmail)
	}
	a.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)

	res, _ := a.request("POST", "/desk/api/login", strings.NewReader(`{"email":"`+emailA+`","password":"`+passwordA+`"}`),
		map[string]string{"Content-Type": "text/plain"})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("login as text/plain: status %d, want 400", res.StatusCode)
	}
	res, _ = a.request("POST", "/desk/api/login", strings.NewReader(`{"email":"`+emailA+`","password":"`+passwordA+`"}`),
		map[string]string{"Origin": "https://evil.example"})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("login from another origin: status %d, want 403", res.StatusCode)
	}
}

func TestDisabledAgentsCannotSignIn(t *testing.T) {
	f := newFixture(t, desk.Config{})
	b := f.signIn(emailB, passwordB)
	f.agentB.Disabled = true
	if err := f.store.Update(f.ctx, func(tx switchboard.Tx) error { return tx.UpdateAgent(f.ctx, f.agentB) }); err != nil {
		t.Fatal(err)
	}
	b.fails("GET", "/desk/api/me", nil, http.StatusUnauthorized)
	res := f.newClient().call("POST", "/desk/api/login", map[string]string{"email": emailB, "password": passwordB}, http.StatusForbidden, nil)
	if len(res.Cookies()) != 0 {
		t.Error("a disabled agent got a sign-in cookie")
	}
}

func TestRepeatedFailuresAreThrottled(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a := f.newClient()
	for i := 0; i < 10; i++ {
		a.fails("POST", "/desk/api/login", map[string]string{"email": emailA, "password": "guess " + strconv.Itoa(i)}, http.StatusUnauthorized)
	}
	// Even the right password is refused now, with when to come back.
	res, body := a.request("POST", "/desk/api/login", strings.NewReader(`{"email":"`+emailA+`","password":"`+passwordA+`"}`), nil)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), "try again in") {
		t.Fatalf("11th sign-in: status %d %s, want 429 saying when to try again", res.StatusCode, body)
	}
	if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 300 {
		t.Errorf("Retry-After %q, want 1..300 seconds", res.Header.Get("Retry-After"))
	}
	// The address is throttled too: guessing other emails from it is refused.
	a.fails("POST", "/desk/api/login", map[string]string{"email": emailB, "password": passwordB}, http.StatusTooManyRequests)

	f.clock.Advance(5*time.Minute + time.Second)
	f.signIn(emailA, passwordA)
}

func TestStateChangesNeedTheCSRFTokenAndTheSameOrigin(t *testing.T) {
	f := newFixture(t, desk.Config{})
	id := f.startSession("csrf-user")
	a := f.signIn(emailA, passwordA)
	claim := "/desk/api/sessions/" + id + "/claim"
	for _, c := range []struct {
		name    string
		headers map[string]string
	}{
		{"no token", map[string]string{"X-CSRF-Token": ""}},
		{"wrong token", map[string]string{"X-CSRF-Token": "forged"}},
		{"other origin", map[string]string{"Origin": "https://evil.example"}},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		res, body := a.request("POST", claim, nil, c.headers)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `"forbidden"`) {
			t.Errorf("%s: status %d %s, want 403", c.name, res.StatusCode, body)
		}
	}
	if s := f.session(id); s.AgentID != "" {
		t.Fatalf("a refused request claimed the session for %q", s.AgentName)
	}
	res, _ := a.request("POST", claim, nil, map[string]string{"Origin": a.base})
	if res.StatusCode != http.StatusOK {
		t.Errorf("same-origin claim with the token: status %d, want 200", res.StatusCode)
	}
	f.newClient().fails("POST", claim, nil, http.StatusUnauthorized)
}
