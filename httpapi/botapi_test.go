package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The Bot API, from CSML Studio's reference (docs-studio,
// api/api-reference/bot-api.md): its routes, bodies and answers.

type flowDoc struct {
	ID          string    `json:"id"`
	BotID       string    `json:"bot_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Commands    []string  `json:"commands"`
	Content     string    `json:"content"`
	CreatedAt   time.Time `json:"created_at"`
}

type botDoc struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	DefaultFlow string    `json:"default_flow"`
	Flows       []flowDoc `json:"flows"`
}

type buildDoc struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	DefaultFlow   string    `json:"default_flow"`
	VersionID     string    `json:"version_id"`
	EngineVersion string    `json:"engine_version"`
	Flows         []flowDoc `json:"flows"`
}

// ok sends a signed request and wants a 200 answer decoded into out.
func (f *fixture) ok(method, path string, body string, out any) {
	f.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	if res := f.call(method, path, f.studioSigned(), b, out); res.StatusCode != http.StatusOK {
		f.t.Fatalf("%s %s → %d, want 200", method, path, res.StatusCode)
	}
}

func TestBotAPIEditsBuildsAndRuns(t *testing.T) {
	f := newFixture(t)
	// The Bot API changes the bot: never with the public key alone.
	f.errorOf("GET", "/v1/api/bot", f.public(), nil, http.StatusUnauthorized)
	f.errorOf("POST", "/v1/api/bot/build", f.public(), nil, http.StatusUnauthorized)

	var bot botDoc
	f.ok("GET", "/v1/api/bot", "", &bot)
	if bot.ID != "echo" || bot.Name != "Echo" || bot.DefaultFlow != "some-flow-id" || len(bot.Flows) != 2 || !strings.Contains(bot.Flows[0].Content, "say") {
		t.Fatalf("GET /bot: %+v", bot)
	}
	f.ok("PUT", "/v1/api/bot", `{"name": "MyBot", "description": "This is my bot"}`, &bot)
	if bot.Name != "MyBot" || bot.Description != "This is my bot" || bot.DefaultFlow != "some-flow-id" {
		t.Errorf("PUT /bot: %+v", bot)
	}
	if _, msg := f.errorOf("PUT", "/v1/api/bot", f.studioSigned(), []byte(`{"default_flow": "fd2e74e5-1305-4650-a300-8097d71df01f"}`), http.StatusBadRequest); !strings.Contains(msg, "default_flow") {
		t.Errorf("an unknown default flow: %q", msg)
	}

	// The reference's "Create Flow" example.
	var flow flowDoc
	f.ok("POST", "/v1/api/bot/flows", `{"name": "SomeFlow", "commands": ["/someflow", "some command"], "content": "start:\n  say \"Hi!\"\n  goto end"}`, &flow)
	if flow.ID == "" || flow.BotID != "echo" || flow.Name != "SomeFlow" || len(flow.Commands) != 2 || flow.CreatedAt.IsZero() {
		t.Fatalf("POST /bot/flows: %+v", flow)
	}
	f.errorOf("POST", "/v1/api/bot/flows", f.studioSigned(), []byte(`{"name": "someflow", "content": "start:\n  goto end"}`), http.StatusConflict)
	var flows []flowDoc
	f.ok("GET", "/v1/api/bot/flows", "", &flows)
	if len(flows) != 3 || flows[2].ID != flow.ID {
		t.Errorf("GET /bot/flows: %+v", flows)
	}
	// Edits run nothing until a build.
	if got := f.chat(f.public(), event("ci", "text", map[string]any{"text": "/someflow"}, nil)).texts(); len(got) != 1 || got[0] != "text|/someflow|-" {
		t.Errorf("before the build the command ran %q", got)
	}
	f.ok("PUT", "/v1/api/bot/flows/"+flow.ID, `{"content": "start:\n  say \"Hi again!\"\n  goto end", "description": "greets"}`, &flow)
	var got flowDoc
	f.ok("GET", "/v1/api/bot/flows/"+flow.ID, "", &got)
	if got.Content != "start:\n  say \"Hi again!\"\n  goto end" || got.Description != "greets" || len(got.Commands) != 2 {
		t.Errorf("GET /bot/flows/:id after PUT: %+v", got)
	}
	f.errorOf("GET", "/v1/api/bot/flows/nope", f.studioSigned(), nil, http.StatusNotFound)

	// Validate: the draft, then a bot object as GET /bot answers it.
	var valid struct {
		Valid  bool `json:"valid"`
		Errors []struct {
			Flow    string `json:"flow"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	f.ok("POST", "/v1/api/bot/validate", "{}", &valid)
	if !valid.Valid {
		t.Errorf("the draft is invalid: %+v", valid)
	}
	f.ok("POST", "/v1/api/bot/validate", `{"bot": {"name": "b", "default_flow": "x", "flows": [{"id": "x", "name": "Broken", "content": "start:\n  say \"unclosed\n  goto end"}]}}`, &valid)
	if valid.Valid || len(valid.Errors) == 0 || valid.Errors[0].Flow != "Broken" || valid.Errors[0].Line == 0 {
		t.Errorf("a broken bot: %+v", valid)
	}

	// Build: a new version that runs.
	var before, build, latest buildDoc
	f.ok("GET", "/v1/api/bot/build", "", &before)
	f.ok("POST", "/v1/api/bot/build", "", &build)
	if build.VersionID == "" || build.VersionID == before.VersionID || build.Name != "MyBot" || build.EngineVersion == "" || len(build.Flows) != 3 || build.DefaultFlow != "some-flow-id" {
		t.Fatalf("POST /bot/build: %+v (before: %s)", build, before.VersionID)
	}
	if got := f.chat(f.public(), event("ci", "text", map[string]any{"text": "some command"}, nil)).texts(); len(got) != 1 || got[0] != "Hi again!" {
		t.Errorf("after the build the command ran %q", got)
	}
	f.ok("GET", "/v1/api/bot/build", "", &latest)
	if latest.VersionID != build.VersionID {
		t.Errorf("GET /bot/build: %s, want the latest %s", latest.VersionID, build.VersionID)
	}
	f.ok("GET", "/v1/api/bot/build?version_id="+before.VersionID, "", &latest)
	if latest.VersionID != before.VersionID || len(latest.Flows) != 2 {
		t.Errorf("GET /bot/build?version_id=: %+v", latest)
	}
	f.errorOf("GET", "/v1/api/bot/build?version_id=nope", f.studioSigned(), nil, http.StatusNotFound)

	// A build that does not compile changes nothing.
	f.ok("PUT", "/v1/api/bot/flows/"+flow.ID, `{"content": "start:\n  say \"unclosed\n  goto end"}`, &flow)
	if _, msg := f.errorOf("POST", "/v1/api/bot/build", f.studioSigned(), nil, http.StatusBadRequest); !strings.Contains(msg, "SomeFlow") {
		t.Errorf("a broken build: %q", msg)
	}
	f.ok("GET", "/v1/api/bot/build", "", &latest)
	if latest.VersionID != build.VersionID {
		t.Errorf("a broken build changed the latest version to %s", latest.VersionID)
	}
	if got := f.chat(f.public(), event("ci", "text", map[string]any{"text": "/someflow"}, nil)).texts(); len(got) != 1 || got[0] != "Hi again!" {
		t.Errorf("after a broken build the bot said %q", got)
	}
}

func TestBotUsage(t *testing.T) {
	f := newFixture(t)
	f.chat(f.public(), event("u1", "text", map[string]any{"text": "a"}, nil))
	f.chat(f.public(), event("u2", "text", map[string]any{"text": "b"}, nil))
	f.chat(f.public(), event("u2", "text", map[string]any{"text": "c"}, nil))
	type counts struct{ Messages, Clients int }
	var u struct {
		CurrentMonth counts `json:"currentmonth"`
		Last30d      counts `json:"last30d"`
		LastMonth    counts `json:"lastmonth"`
	}
	f.ok("GET", "/v1/api/bot/usage", "", &u)
	if u.Last30d != (counts{6, 2}) || u.LastMonth != (counts{}) {
		t.Errorf("usage %+v, want 6 messages of 2 clients in the last 30 days", u)
	}
}
