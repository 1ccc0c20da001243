package teamssim_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"switchboard/channel/teams/teamssim"
	"switchboard/internal/simkit/simtest"
)

func start(t *testing.T, cfg teamssim.Config) *teamssim.Sim {
	t.Helper()
	sim := teamssim.New(cfg)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

// token asks for a bot token with form; it returns the status and answer.
func token(t *testing.T, sim *teamssim.Sim, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, sim.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, out, _ := simtest.Send(t, req)
	m, _ := out.(map[string]any)
	return status, m
}

func grant() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {teamssim.DefaultAppID}, "client_secret": {teamssim.DefaultAppPassword}, "scope": {"https://api.botframework.com/.default"}}
}

func TestMetadataAndKeys(t *testing.T) {
	sim := start(t, teamssim.Config{})
	status, out, _ := simtest.JSON(t, http.MethodGet, sim.MetadataURL(), nil, nil)
	meta, _ := out.(map[string]any)
	if status != 200 || meta["issuer"] != "https://api.botframework.com" || meta["jwks_uri"] != sim.URL()+"/v1/.well-known/keys" {
		t.Fatalf("metadata: %d %v", status, out)
	}
	_, out, _ = simtest.JSON(t, http.MethodGet, meta["jwks_uri"].(string), nil, nil)
	keys, _ := out.(map[string]any)["keys"].([]any)
	if len(keys) != 2 {
		t.Fatalf("keys: %v", out)
	}
	for _, k := range keys {
		k := k.(map[string]any)
		if k["kty"] != "RSA" || k["kid"] == "" || k["n"] == "" || k["e"] != "AQAB" || len(k["endorsements"].([]any)) == 0 {
			t.Errorf("a key: %v", k)
		}
	}
}

func TestTokenEndpointRefusesAsEntra(t *testing.T) {
	sim := start(t, teamssim.Config{})
	for change, want := range map[[2]string]string{
		{"client_secret", "wrong"}: "401 invalid_client",
		{"client_id", "other"}:     "400 unauthorized_client",
		{"scope", "https://x/"}:    "400 invalid_scope",
		{"grant_type", "password"}: "400 unsupported_grant_type",
		{"scope", ""}:              "400 invalid_scope",
		{"client_secret", ""}:      "401 invalid_client",
	} {
		form := grant()
		form.Set(change[0], change[1])
		status, out := token(t, sim, form)
		if got := strconv.Itoa(status) + " " + fmt.Sprint(out["error"]); got != want {
			t.Errorf("%v: %s, want %s", change, got, want)
		}
	}
	status, out := token(t, sim, grant())
	if status != 200 || out["token_type"] != "Bearer" || out["expires_in"] != float64(3600) || out["access_token"] == "" {
		t.Fatalf("a grant: %d %v", status, out)
	}
}

func TestConnectorChecksActivities(t *testing.T) {
	sim := start(t, teamssim.Config{})
	conv := sim.AddUser("Ada", "")
	_, out := token(t, sim, grant())
	auth := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+out["access_token"].(string)) }
	post := sim.ServiceURL() + "v3/conversations/" + url.PathEscape(conv) + "/activities"
	if status, _, _ := simtest.JSON(t, http.MethodPost, post, map[string]any{"type": "message", "text": "hi"}, nil); status != 401 {
		t.Errorf("no token: %d", status)
	}
	if status, _, _ := simtest.JSON(t, http.MethodPost, post, map[string]any{"type": "message", "text": "hi"}, func(r *http.Request) { r.Header.Set("Authorization", "Bearer forged") }); status != 401 {
		t.Errorf("a token the simulator never issued: %d", status)
	}
	for _, c := range []struct {
		body   map[string]any
		status int
		code   string
	}{
		{map[string]any{"type": "message", "text": "hi"}, 201, ""},
		{map[string]any{"type": "typing"}, 201, ""},
		{map[string]any{"type": "message"}, 400, "BadArgument"},
		{map[string]any{"type": "poke", "text": "x"}, 400, "BadArgument"},
		{map[string]any{"type": "message", "text": strings.Repeat("é", 60000)}, 413, "MessageSizeTooBig"},
		{map[string]any{"type": "message", "attachments": []any{map[string]any{"contentType": "application/vnd.microsoft.card.hero", "content": map[string]any{"buttons": []any{map[string]any{"type": "postBack", "title": "X", "value": "x"}}}}}}, 400, "BadArgument"},
	} {
		status, out, _ := simtest.JSON(t, http.MethodPost, post, c.body, auth)
		m, _ := out.(map[string]any)
		e, _ := m["error"].(map[string]any)
		if status != c.status || c.code != "" && e["code"] != c.code || c.status == 201 && c.body["type"] == "message" && m["id"] == nil {
			t.Errorf("%v: %d %v, want %d %s", c.body["type"], status, out, c.status, c.code)
		}
	}
	if status, _, _ := simtest.JSON(t, http.MethodPost, sim.ServiceURL()+"v3/conversations/a:nobody/activities", map[string]any{"type": "message", "text": "hi"}, auth); status != 404 {
		t.Errorf("an unknown conversation: %d", status)
	}
	// Seven operations a second per conversation (two made above).
	statuses := []int{}
	var after string
	for range 6 {
		status, _, h := simtest.JSON(t, http.MethodPost, post, map[string]any{"type": "message", "text": "again"}, auth)
		statuses = append(statuses, status)
		after = h.Get("Retry-After")
	}
	if statuses[len(statuses)-1] != 429 || after == "" {
		t.Errorf("beyond 7 a second: %v (Retry-After %q)", statuses, after)
	}
	gone := sim.AddUser("Bob", "")
	sim.RemoveBot(gone)
	if status, out, _ := simtest.JSON(t, http.MethodPost, sim.ServiceURL()+"v3/conversations/"+url.PathEscape(gone)+"/activities", map[string]any{"type": "message", "text": "hi"}, auth); status != 403 || errorCode(out) != "BotNotInConversationRoster" {
		t.Errorf("after the user removed the bot: %d %v", status, out)
	}
	resp, err := http.Get(sim.URL() + "/")
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
}

// errorCode is the Bot Connector's error code in an answer.
func errorCode(v any) string {
	m, _ := v.(map[string]any)
	e, _ := m["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}
