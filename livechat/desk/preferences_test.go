package desk_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard/livechat/desk"
)

// TestTheDesksLanguageIsTheAgentsOrTheBrowsers checks the language routes: the
// browser's language until the agent chooses one, a clear refusal of one
// the desk does not speak, and each agent's choice their own.
func TestTheDesksLanguageIsTheAgentsOrTheBrowsers(t *testing.T) {
	f := newFixture(t, desk.Config{})
	a, b := f.signIn(emailA, passwordA), f.signIn(emailB, passwordB)
	type prefs struct {
		Language  string `json:"language"`
		Effective string `json:"effective_language"`
	}
	get := func(c *agentClient, accept string) prefs {
		t.Helper()
		res, body := c.request("GET", "/desk/api/preferences", nil, map[string]string{"Accept-Language": accept})
		var p prefs
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
			t.Fatalf("GET preferences: %d %s", res.StatusCode, body)
		}
		return p
	}
	if p := get(a, "fr-CA,fr;q=0.8"); p.Language != "" || p.Effective != "fr" {
		t.Errorf("a French browser without a choice: %+v, want French", p)
	}
	if p := get(a, "de"); p.Effective != "en" {
		t.Errorf("a German browser: %+v, want English", p)
	}
	a.call("PUT", "/desk/api/preferences", map[string]string{"language": "fr"}, http.StatusOK, nil)
	if p := get(a, "en"); p.Language != "fr" || p.Effective != "fr" {
		t.Errorf("after choosing French in an English browser: %+v", p)
	}
	if p := get(b, "en"); p.Language != "" || p.Effective != "en" {
		t.Errorf("the other agent: %+v, want their browser's", p)
	}
	if e := a.fails("PUT", "/desk/api/preferences", map[string]string{"language": "xx"}, http.StatusBadRequest); !strings.Contains(e.Error.Message, `"xx"`) || !strings.Contains(e.Error.Message, "fr") {
		t.Errorf("an unknown language says %q", e.Error.Message)
	}
	a.fails("PUT", "/desk/api/preferences", map[string]any{}, http.StatusBadRequest)
	if p := get(a, "en"); p.Language != "fr" {
		t.Errorf("refused changes changed the choice: %+v", p)
	}

	var lang struct {
		Code      string            `json:"code"`
		Messages  map[string]string `json:"messages"`
		Languages []struct{ Code, Name string }
	}
	res, body := f.newClient().request("GET", "/desk/api/languages/auto", nil, map[string]string{"Accept-Language": "fr"})
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &lang) != nil || lang.Code != "fr" || lang.Messages["Sign in"] != "Se connecter" || len(lang.Languages) < 2 {
		t.Errorf("the French catalogue without a sign-in: %d %s", res.StatusCode, body)
	}
	if res, _ := f.newClient().request("GET", "/desk/api/languages/xx", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown language: %d, want 404", res.StatusCode)
	}
}
