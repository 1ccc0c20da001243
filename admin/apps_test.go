package admin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard"
	"switchboard/app"
	"switchboard/engine"
)

// appsFlow calls the apps service as the reference's docs show App():
// App("name", key=value) answers the service's data.
const appsFlow = `start:
  do weather = App("get-weather", city="Paris")
  say "{{weather.temp}} degrees in {{weather.city}}"
  goto end
`

// TestAppCallsTheAppsEndpoint runs a bot imported with an apps_endpoint on
// the server: App() POSTs {function_id, data, client} as JSON to the
// endpoint, through the bots' address policy, and reads the answer's data.
func TestAppCallsTheAppsEndpoint(t *testing.T) {
	type call struct {
		Header http.Header
		Body   map[string]any
	}
	calls := make(chan call, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c call
		c.Header = r.Header
		raw, _ := io.ReadAll(r.Body)
		json.Unmarshal(raw, &c.Body)
		calls <- c
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data": {"temp": 21, "city": "Paris"}}`))
	}))
	defer srv.Close()
	f := newFixtureWith(t, func(c *app.Config) { c.BotHTTPAllow = []string{"127.0.0.1"} })
	bot := map[string]any{"id": "weather", "default_flow": "Default", "apps_endpoint": srv.URL + "/apps",
		"flows": []map[string]any{{"name": "Default", "commands": []string{}, "content": appsFlow}}}
	f.script().must("POST", "/v1/admin/bots", bot, http.StatusCreated, nil)

	key := switchboard.ClientKey{BotID: "weather", ChannelID: "web", UserID: "u1"}
	reply, err := f.app.Engine.HandleEvent(context.Background(), engine.Request{Client: key,
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil || len(reply.Messages) != 1 || !strings.Contains(string(reply.Messages[0].Payload.Content), "21 degrees in Paris") {
		t.Fatalf("reply: %v %+v", err, reply)
	}
	c := <-calls
	// The reference's headers (csml_interpreter builtins/api.rs).
	if c.Header.Get("Content-Type") != "application/json" || c.Header.Get("Accept") != "application/json,text/*" {
		t.Errorf("Content-Type %q, Accept %q", c.Header.Get("Content-Type"), c.Header.Get("Accept"))
	}
	got, _ := json.Marshal(c.Body)
	want := `{"client":{"bot_id":"weather","channel_id":"web","user_id":"u1"},"data":{"city":"Paris"},"function_id":"get-weather"}`
	if string(got) != want {
		t.Errorf("App() sent %s, want %s", got, want)
	}
}

// TestAppRefusedPrivateEndpoint: without bot_http_allow, an apps_endpoint
// on a private address is not called, and the bot hears why.
func TestAppRefusedPrivateEndpoint(t *testing.T) {
	called := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	defer srv.Close()
	f := newFixture(t)
	bot := map[string]any{"id": "weather", "default_flow": "Default", "apps_endpoint": srv.URL + "/apps",
		"flows": []map[string]any{{"name": "Default", "commands": []string{}, "content": appsFlow}}}
	f.script().must("POST", "/v1/admin/bots", bot, http.StatusCreated, nil)
	reply, err := f.app.Engine.HandleEvent(context.Background(), engine.Request{Client: switchboard.ClientKey{BotID: "weather", ChannelID: "web", UserID: "u1"},
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil || called || len(reply.Messages) == 0 || reply.Messages[0].Payload.ContentType != "error" {
		t.Fatalf("reply: %v called=%v %+v", err, called, reply)
	}
}
