package gorgiassim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/internal/simkit/simtest"
)

// client calls a simulator's API as a user.
type client struct {
	t    *testing.T
	base string
	user User
}

func start(t *testing.T, cfg Config) (*Server, *client) {
	s := simtest.Start(t, Start, cfg)
	return s, &client{t: t, base: s.URL, user: DefaultUser}
}

// do sends a request and decodes the JSON answer.
func (c *client) do(method, path string, body any) (int, map[string]any, http.Header) {
	c.t.Helper()
	st, out, h := simtest.JSON(c.t, method, c.base+path, body, func(req *http.Request) {
		if c.user.Email != "" {
			req.SetBasicAuth(c.user.Email, c.user.APIKey)
		}
	})
	obj, _ := out.(map[string]any)
	return st, obj, h
}

func errMsg(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	raw, _ := json.Marshal(e)
	return string(raw)
}

func TestAuthentication(t *testing.T) {
	_, c := start(t, Config{Users: []User{DefaultUser, {ID: 2, Email: "ro@example.com", APIKey: "k2", NoAPI: true}}})
	if st, _, _ := c.do("GET", "/api/account", nil); st != 200 {
		t.Errorf("good credentials: %d", st)
	}
	for _, u := range []User{{}, {Email: DefaultUser.Email, APIKey: "wrong"}, {Email: "nobody@example.com", APIKey: DefaultUser.APIKey}} {
		c.user = u
		if st, out, _ := c.do("GET", "/api/tickets", nil); st != 401 || !strings.Contains(errMsg(out), "Invalid credentials") {
			t.Errorf("credentials %+v: %d %v", u, st, out)
		}
	}
	c.user = User{Email: "RO@example.com", APIKey: "k2"}
	if st, _, _ := c.do("GET", "/api/tickets", nil); st != 403 {
		t.Errorf("a user without API access: %d", st)
	}
}

func TestTicketsAreValidatedAsGorgiasDoes(t *testing.T) {
	_, c := start(t, Config{})
	st, out, _ := c.do("POST", "/api/tickets", map[string]any{"channel": "api", "messages": []any{map[string]any{"channel": "api", "body_text": "hi"}}})
	msg := errMsg(out)
	for _, want := range []string{`"Failed to create ticket."`, `"via":["Missing data for required field."]`, `"0":{`, `"from_agent":["Missing data for required field."]`} {
		if st != 400 || !strings.Contains(msg, want) {
			t.Errorf("%d %s: lacks %s", st, msg, want)
		}
	}
	st, out, _ = c.do("POST", "/api/tickets", map[string]any{"via": "api", "messages": []any{}})
	if st != 400 || !strings.Contains(errMsg(out), "cannot be created without a message") {
		t.Errorf("no messages: %d %s", st, errMsg(out))
	}
	note := map[string]any{"channel": "internal-note", "via": "api", "from_agent": true, "public": false, "body_text": "x", "sender": map[string]any{"id": 424242}}
	st, out, _ = c.do("POST", "/api/tickets", map[string]any{"via": "api", "customer": map[string]any{"email": "a@example.com"}, "messages": []any{note}})
	if st != 400 || !strings.Contains(errMsg(out), "sender") {
		t.Errorf("a note by nobody: %d %s", st, errMsg(out))
	}
	// Without application/json, nothing is read.
	req, _ := http.NewRequest("POST", c.base+"/api/customers", strings.NewReader("name=x"))
	req.SetBasicAuth(DefaultUser.Email, DefaultUser.APIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("a form body: %d", resp.StatusCode)
	}
	if st, _, _ := c.do("DELETE", "/api/customers", nil); st != 405 {
		t.Errorf("a wrong method: %d", st)
	}
}

// emailChannel is the channels of a customer reached by email.
func emailChannel(email string) []any {
	return []any{map[string]any{"type": "email", "address": email, "preferred": true}}
}

// TestCustomersNeedChannels creates customers as Gorgias's reference says
// it must be done: channels are required, also for a customer with no email
// and no phone, and their types are Gorgias's; note and data are kept.
func TestCustomersNeedChannels(t *testing.T) {
	s, c := start(t, Config{})
	for _, body := range []map[string]any{{"name": "Anonymous"}, {"name": "Anonymous", "channels": nil}} {
		st, out, _ := c.do("POST", "/api/customers", body)
		data, _ := out["error"].(map[string]any)["data"].(map[string]any)
		if st != 400 || fmt.Sprint(data["channels"]) != "[Missing data for required field.]" {
			t.Errorf("%v: %d %v", body, st, out)
		}
	}
	if st, out, _ := c.do("POST", "/api/customers", map[string]any{"channels": []any{map[string]any{"type": "pigeon", "address": "x"}}}); st != 400 {
		t.Errorf("an unknown channel type: %d %v", st, out)
	}
	st, out, _ := c.do("POST", "/api/customers", map[string]any{
		"name": "Anonymous", "note": "plan: gold", "data": map[string]any{"plan": "gold"},
		"channels": []any{map[string]any{"type": "chat", "address": "switchboard:b/c/u", "preferred": true}},
	})
	if st != 201 {
		t.Fatalf("a customer with a chat channel: %d %v", st, out)
	}
	got := s.Customers()[0]
	if strOr(got.Note) != "plan: gold" || got.Data["plan"] != "gold" || len(got.Channels) != 1 || got.Channels[0].Type != "chat" {
		t.Errorf("customer stored as %+v", got)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000000", got.CreatedDatetime); err != nil {
		t.Errorf("created_datetime %q is not the documented form: %v", got.CreatedDatetime, err)
	}
}

func TestCustomersAreUniqueByEmailAndPaginated(t *testing.T) {
	_, c := start(t, Config{})
	for i := range 5 {
		email := "c" + string(rune('a'+i)) + "@example.com"
		if st, _, _ := c.do("POST", "/api/customers/", map[string]any{"name": "c", "email": email, "channels": emailChannel(email)}); st != 201 {
			t.Fatalf("create %d: %d", i, st)
		}
	}
	st, out, _ := c.do("POST", "/api/customers", map[string]any{"email": "CA@example.com", "channels": emailChannel("CA@example.com")})
	if st != 409 || !strings.Contains(errMsg(out), "The resource already exists.") {
		t.Errorf("duplicate email: %d %s", st, errMsg(out))
	}
	var seen []float64
	path := "/api/customers?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		st, out, _ := c.do("GET", path, nil)
		if st != 200 {
			t.Fatalf("list: %d", st)
		}
		for _, d := range out["data"].([]any) {
			seen = append(seen, d.(map[string]any)["id"].(float64))
		}
		next, _ := out["meta"].(map[string]any)["next_cursor"].(string)
		path = ""
		if next != "" {
			path = "/api/customers?limit=2&cursor=" + next
		}
	}
	if len(seen) != 5 || seen[0] >= seen[4] {
		t.Errorf("paged ids %v", seen)
	}
	if st, out, _ := c.do("GET", "/api/customers?email=CB@EXAMPLE.COM", nil); st != 200 || len(out["data"].([]any)) != 1 {
		t.Errorf("search by email: %d %v", st, out)
	}
	if st, _, _ := c.do("GET", "/api/customers?limit=500", nil); st != 400 {
		t.Errorf("limit 500: %d", st)
	}
}

func TestRateLimitAndInjectedFailures(t *testing.T) {
	s, c := start(t, Config{RateLimit: 3, RateWindow: time.Hour})
	for i := 1; i <= 3; i++ {
		st, _, h := c.do("GET", "/api/account", nil)
		if st != 200 || h.Get("X-Gorgias-Account-Api-Call-Limit") != string(rune('0'+i))+"/3" {
			t.Fatalf("request %d: %d %q", i, st, h.Get("X-Gorgias-Account-Api-Call-Limit"))
		}
	}
	st, _, h := c.do("GET", "/api/account", nil)
	if st != 429 || h.Get("Retry-After") != "1200" {
		t.Fatalf("over the limit: %d, Retry-After %q", st, h.Get("Retry-After"))
	}

	s, c = start(t, Config{RateLimit: -1})
	s.Throttle(2, 3*time.Second)
	for range 2 {
		if st, _, h := c.do("GET", "/api/account", nil); st != 429 || h.Get("Retry-After") != "3" {
			t.Errorf("throttled: %d %q", st, h.Get("Retry-After"))
		}
	}
	s.FailNext(404, 1)
	if st, out, _ := c.do("GET", "/api/account", nil); st != 404 || !strings.Contains(errMsg(out), "Resource not found.") {
		t.Errorf("injected 404: %d %v", st, out)
	}
	s.SetOutage(true)
	if st, out, _ := c.do("GET", "/api/account", nil); st != 503 || !strings.Contains(errMsg(out), "An external service had an issue.") {
		t.Errorf("outage: %d %v", st, out)
	}
	s.SetOutage(false)
	s.FailAfterApply(1)
	if st, _, _ := c.do("POST", "/api/customers", map[string]any{"email": "z@example.com", "channels": emailChannel("z@example.com")}); st != 502 {
		t.Errorf("applied then failed: %d", st)
	}
	if len(s.Customers()) != 1 {
		t.Errorf("the failed write was not applied: %d customers", len(s.Customers()))
	}
	if st, _, _ := c.do("GET", "/api/account", nil); st != 200 {
		t.Errorf("after the switches: %d", st)
	}
}
