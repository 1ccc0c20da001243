package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard"
	"switchboard/app"
	"switchboard/engine"
)

// The docs' example of modules (docs-language, native-csml-functions.md,
// "Modules"): a module "buttons" given by URL, whose YesNoButtons a flow
// imports from modules/buttons. (The docs' flow calls it YesNotButtons, a
// typo that fails in the reference too; here it is spelled as defined.)
const docsModulesFlow = `import YesNoButtons from modules/buttons

start:
  say Question("Do you like strawberries?", buttons=YesNoButtons("Yes, of course", "Not really"))
  hold
  say "Your answer was: {{event}}"
`

// buttonsModule is this test's module: YesNoButtons as the docs use it.
const buttonsModule = `fn YesNoButtons(yes, no) {
  return [Button(yes, value="yes"), Button(no, value="no")]
}
`

func TestImportDownloadsModulesOnce(t *testing.T) {
	downloads := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		downloads++
		if u, p, ok := r.BasicAuth(); !ok || u != "bot" || p != "s3cret" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Write([]byte(buttonsModule))
	}))
	defer srv.Close()
	f := newFixtureWith(t, func(c *app.Config) { c.BotHTTPAllow = []string{"127.0.0.1"} })
	c := f.script()
	bot := (map[string]any{"id": "strawberries", "name": "Strawberries", "default_flow": "Default",
		"flows":   []map[string]any{{"name": "Default", "commands": []string{}, "content": docsModulesFlow}},
		"modules": []map[string]any{{"name": "buttons", "url": srv.URL + "/modules/buttons.csml", "auth": "bot:s3cret"}}})
	var out struct {
		VersionID string `json:"version_id"`
		Loaded    bool   `json:"loaded"`
	}
	c.must("POST", "/v1/admin/bots", bot, http.StatusCreated, &out)
	if !out.Loaded || downloads != 1 {
		t.Fatalf("import: %+v, %d downloads", out, downloads)
	}
	// Stored with the version, without the credentials.
	var v *switchboard.BotVersion
	err := f.app.Store.View(context.Background(), func(tx switchboard.Tx) (err error) {
		v, err = tx.LatestBot(context.Background(), "strawberries")
		return err
	})
	if err != nil || len(v.Bot.Modules) != 1 || v.Bot.Modules[0].Flow == nil || v.Bot.Modules[0].Flow.Content != buttonsModule {
		t.Fatalf("stored version: %v %+v", err, v)
	}
	if raw, _ := json.Marshal(v.Bot); strings.Contains(string(raw), "s3cret") {
		t.Fatalf("the module's credentials were stored: %s", raw)
	}
	// The module server is gone: the bot runs on what was downloaded.
	srv.Close()
	key := switchboard.ClientKey{BotID: "strawberries", ChannelID: "test", UserID: "u1"}
	reply, err := f.app.Engine.HandleEvent(context.Background(), engine.Request{Client: key,
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil || len(reply.Messages) != 1 {
		t.Fatalf("first turn: %v %+v", err, reply)
	}
	q := string(reply.Messages[0].Payload.Content)
	if reply.Messages[0].Payload.ContentType != "question" || !strings.Contains(q, `"title":"Yes, of course"`) || !strings.Contains(q, `"title":"Not really"`) {
		t.Fatalf("question: %s %s", reply.Messages[0].Payload.ContentType, q)
	}
	reply, err = f.app.Engine.HandleEvent(context.Background(), engine.Request{Client: key,
		Payload: switchboard.Payload{ContentType: "payload", Content: json.RawMessage(`{"payload":"yes"}`)}})
	if err != nil || len(reply.Messages) != 1 || !strings.Contains(string(reply.Messages[0].Payload.Content), "Your answer was: yes") {
		t.Fatalf("answer: %v %+v", err, reply)
	}
	if downloads != 1 {
		t.Fatalf("%d downloads: modules are fetched at import only", downloads)
	}
}

func TestImportRefusesUnreachableModule(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	f := newFixture(t) // no bot_http_allow: loopback is not public
	c := f.script()
	bot, _ := json.Marshal(map[string]any{"id": "mods", "flows": []map[string]any{{"name": "Default", "content": "start:\n  say 1"}},
		"modules": []map[string]any{{"name": "buttons", "url": srv.URL + "/buttons.csml"}}})
	res, data := c.do("POST", "/v1/admin/bots", bot, "application/json")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(data), `module \"buttons\"`) || !strings.Contains(string(data), "not public") {
		t.Fatalf("import → %d %s", res.StatusCode, data)
	}
	if _, ok := f.app.Engine.Bots().Get("mods"); ok {
		t.Fatal("the bot was loaded")
	}
}

// TestServeBotDownloadsModules: a --bot folder whose bot.json gives a
// module by URL gets it at start, stored with the version.
func TestServeBotDownloadsModules(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(buttonsModule)) }))
	defer srv.Close()
	dir := t.TempDir()
	bot := `{"id": "berries", "default_flow": "Default", "flows": [{"name": "Default"}],
	  "modules": [{"name": "buttons", "url": "` + srv.URL + `/buttons.csml"}]}`
	if err := os.MkdirAll(filepath.Join(dir, "flows"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"bot.json": bot, "flows/Default.csml": docsModulesFlow} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixtureWith(t, func(c *app.Config) {
		c.BotHTTPAllow = []string{"127.0.0.1"}
		c.Bots = append(c.Bots, app.BotConfig{Path: dir})
	})
	b, ok := f.app.Engine.Bots().Get("berries")
	if !ok || len(b.Version.Bot.Modules) != 1 || b.Version.Bot.Modules[0].Flow == nil || b.Version.Bot.Modules[0].Flow.Content != buttonsModule {
		t.Fatalf("bot of --bot: %v %+v", ok, b)
	}
}
