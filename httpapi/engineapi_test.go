package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard/app"
)

// The CSML engine server API, tested with the requests of the reference's
// own tests and documentation (csml-engine: csml_server/src/routes/*.rs and
// csml_server/swagger.yaml), sent to switchboard's /v1/engine.

// engine sends a request to the engine API with a key and returns the
// status, decoding a JSON answer into out when not nil.
func (f *fixture) engine(method, path, body string, out any) int {
	f.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return f.call(method, "/v1/engine"+path, http.Header{"X-Api-Key": {engineKey}}, b, out).StatusCode
}

// The bot of the reference's run.rs, validate.rs and bot_versions.rs tests.
const referenceBot = `{
    "id": "test_run",
    "name": "test_run",
    "flows": [
      {
        "id": "Default",
        "name": "Default",
        "content": "start: say \"Hello\" goto end",
        "commands": []
      }
    ],
    "default_flow": "Default"
}`

type runAnswer struct {
	Messages []struct {
		Payload          enginePayload `json:"payload"`
		InteractionOrder int           `json:"interaction_order"`
		ConversationID   string        `json:"conversation_id"`
		Direction        string        `json:"direction"`
	} `json:"messages"`
	ConversationEnd bool   `json:"conversation_end"`
	RequestID       string `json:"request_id"`
	InteractionID   string `json:"interaction_id"`
	Client          struct {
		BotID     string `json:"bot_id"`
		ChannelID string `json:"channel_id"`
		UserID    string `json:"user_id"`
	} `json:"client"`
}

type enginePayload struct {
	ContentType string `json:"content_type"`
	Content     struct {
		Text string `json:"text"`
	} `json:"content"`
}

func TestEngineAPIRunsABotFromItsJSON(t *testing.T) {
	f := newFixture(t)
	// run.rs's test_run, literally.
	run := `{
        "bot": ` + referenceBot + `,
        "event": {
            "request_id": "request_id",
            "client": {
                "user_id": "user_id",
                "channel_id": "channel_id",
                "bot_id": "test_run"
            },
            "payload": {
              "content_type": "text" ,
              "content": {
                "text": "toto"
              }
            },
            "metadata": null
        }
    }`
	var out runAnswer
	if status := f.engine("POST", "/run", run, &out); status != http.StatusOK {
		t.Fatalf("POST /run → %d", status)
	}
	if len(out.Messages) != 1 || out.Messages[0].Payload.Content.Text != "Hello" || out.Messages[0].Direction != "SEND" || out.Messages[0].InteractionOrder != 0 ||
		!out.ConversationEnd || out.RequestID != "request_id" || out.InteractionID == "" || out.Client.BotID != "test_run" || out.Client.ChannelID != "channel_id" {
		t.Errorf("POST /run: %+v", out)
	}
	// The bot is now stored: run it by id (RunRequestLatestVersion), and by
	// its version (RunRequestSpecificVersion).
	var latest struct {
		ID        string `json:"id"`
		VersionID string `json:"version_id"`
		Flows     []struct {
			Content string `json:"content"`
		} `json:"flows"`
	}
	if status := f.engine("GET", "/bots/test_run", "", &latest); status != http.StatusOK || latest.ID != "test_run" || latest.VersionID == "" || len(latest.Flows) != 1 {
		t.Fatalf("GET /bots/test_run → %d %+v", status, latest)
	}
	byID := `{"bot_id": "test_run", "event": {"client": {"user_id": "u2", "channel_id": "c"}, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`
	if status := f.engine("POST", "/run", byID, &out); status != http.StatusOK || len(out.Messages) != 1 {
		t.Errorf("POST /run with bot_id → %d %+v", status, out)
	}
	byVersion := `{"bot_id": "test_run", "version_id": "` + latest.VersionID + `", "event": {"client": {"user_id": "u2", "channel_id": "c", "bot_id": "test_run"}, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`
	if status := f.engine("POST", "/run", byVersion, &out); status != http.StatusOK {
		t.Errorf("POST /run with version_id → %d", status)
	}
	// What switchboard cannot do is refused, saying why.
	for _, c := range []struct{ body, says string }{
		{strings.Replace(byVersion, latest.VersionID, "86ba492a-b6fe-4c22-95ec-55be4e1c83f0", 1), "latest version"},
		{`{"bot_id": "nobot", "event": {"client": {"user_id": "u", "channel_id": "c"}, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`, "has no version"},
		{`{"bot_id": "test_run", "event": {"client": {"user_id": "u", "channel_id": "c"}, "callback_url": "https://example.com", "payload": {"content_type": "text", "content": {"text": "hi"}}}}`, "callback_url"},
	} {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		if status := f.engine("POST", "/run", c.body, &e); status < 400 || !strings.Contains(e.Error.Message, c.says) {
			t.Errorf("POST /run %s → %d %q, want it to say %q", c.body, status, e.Error.Message, c.says)
		}
	}
}

func TestEngineAPIKeys(t *testing.T) {
	f := newFixture(t)
	for _, h := range []http.Header{{}, {"X-Api-Key": {"wrong"}}, {"X-Api-Key": {f.key}}} {
		if res := f.call("GET", "/v1/engine/state?user_id=test&channel_id=state-channel&bot_id=botid", h, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("X-Api-Key %q → %d, want 403", h.Get("X-Api-Key"), res.StatusCode)
		}
	}
	// Any of the configured keys.
	if res := f.call("GET", "/v1/engine/state?user_id=test&channel_id=state-channel&bot_id=botid", http.Header{"X-Api-Key": {"another-engine-key-0123"}}, nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("the second key → %d", res.StatusCode)
	}
	var status struct {
		ServerReady bool   `json:"server_ready"`
		Auth        bool   `json:"server_auth_enabled"`
		Version     string `json:"engine_version"`
	}
	if res := f.call("GET", "/v1/engine/status", nil, nil, &status); res.StatusCode != http.StatusOK || !status.ServerReady || !status.Auth || status.Version == "" {
		t.Errorf("GET /status → %d %+v", res.StatusCode, status)
	}
	// The routes switchboard does not serve say so.
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	if status := f.engine("DELETE", "/bots/test_run", "", &e); status != http.StatusNotFound || !strings.Contains(e.Error.Message, "docs/api.md") {
		t.Errorf("DELETE /bots/test_run → %d %q", status, e.Error.Message)
	}
	// Without keys, the engine API is off.
	off := newFixtureWith(t, func(c *app.Config) { c.EngineAPIKeys = "" })
	if res := off.call("GET", "/v1/engine/memories?user_id=test&channel_id=c&bot_id=b", http.Header{"X-Api-Key": {engineKey}}, nil, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("without keys → %d, want 403", res.StatusCode)
	}
}

func TestEngineAPIBotsAndVersions(t *testing.T) {
	f := newFixture(t)
	// validate.rs's test_validate, then a broken bot.
	var valid struct {
		Valid  bool              `json:"valid"`
		Errors []json.RawMessage `json:"errors"`
	}
	if status := f.engine("POST", "/validate", referenceBot, &valid); status != http.StatusOK || !valid.Valid {
		t.Errorf("POST /validate → %d %+v", status, valid)
	}
	broken := strings.Replace(referenceBot, `say \"Hello\" goto end`, `say \"Hello goto end`, 1)
	if f.engine("POST", "/validate", broken, &valid); valid.Valid || len(valid.Errors) == 0 {
		t.Errorf("a broken bot is valid: %+v", valid)
	}
	// bot_versions.rs's test_add_bot_version and test_get_bot_version.
	add := strings.Replace(referenceBot, `"id": "test_run",`, `"id": "bot_id_test",`, 1)
	var created struct {
		VersionID     string `json:"version_id"`
		EngineVersion string `json:"engine_version"`
	}
	if status := f.engine("POST", "/bots", add, &created); status != http.StatusCreated || created.VersionID == "" || created.EngineVersion == "" {
		t.Fatalf("POST /bots → %d %+v", status, created)
	}
	var v struct {
		ID        string            `json:"id"`
		VersionID string            `json:"version_id"`
		Flows     []json.RawMessage `json:"flows"`
	}
	if status := f.engine("GET", "/bots/bot_id_test/versions/"+created.VersionID, "", &v); status != http.StatusOK || v.ID != "bot_id_test" || v.VersionID != created.VersionID || len(v.Flows) != 1 {
		t.Errorf("GET /bots/bot_id_test/versions/%s → %d %+v", created.VersionID, status, v)
	}
	second := strings.Replace(add, `say \"Hello\"`, `say \"Hello again\"`, 1)
	f.engine("POST", "/bots", second, &created)
	var versions struct {
		Bots []struct {
			VersionID string `json:"version_id"`
		} `json:"bots"`
		PaginationKey string `json:"pagination_key"`
	}
	if status := f.engine("GET", "/bots/bot_id_test/versions?limit=1", "", &versions); status != http.StatusOK || len(versions.Bots) != 1 || versions.Bots[0].VersionID != created.VersionID || versions.PaginationKey == "" {
		t.Errorf("GET /bots/bot_id_test/versions?limit=1 → %d %+v", status, versions)
	}
	next := versions.PaginationKey
	versions.PaginationKey = ""
	f.engine("GET", "/bots/bot_id_test/versions?limit=1&pagination_key="+next, "", &versions)
	if len(versions.Bots) != 1 || versions.Bots[0].VersionID == created.VersionID || versions.PaginationKey != "" {
		t.Errorf("the next page: %+v", versions)
	}
	if status := f.engine("POST", "/bots", broken, nil); status != http.StatusBadRequest {
		t.Errorf("POST /bots with a broken bot → %d, want 400", status)
	}
	if status := f.engine("GET", "/bots/botid/versions/60b872d1009d9aa600b108ea", "", nil); status != http.StatusNotFound {
		t.Errorf("an unknown version → %d", status)
	}
}

func TestEngineAPIConversationsMemoriesAndState(t *testing.T) {
	f := newFixture(t)
	client := `{"user_id": "test", "channel_id": "open-conversations-channel", "bot_id": "echo"}`
	q := "?user_id=test&channel_id=open-conversations-channel&bot_id=echo"
	// No conversation yet: an empty answer (conversations.rs).
	if res := f.call("POST", "/v1/engine/conversations/open", http.Header{"X-Api-Key": {engineKey}}, []byte(client), nil); res.StatusCode != http.StatusOK || res.ContentLength > 0 {
		t.Errorf("POST /conversations/open without one → %d (%d bytes)", res.StatusCode, res.ContentLength)
	}
	f.engine("POST", "/run", `{"bot_id": "echo", "event": {"client": `+client+`, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`, nil)
	var conv struct {
		ID     string `json:"id"`
		FlowID string `json:"flow_id"`
		StepID string `json:"step_id"`
		Status string `json:"status"`
		Client struct {
			UserID string `json:"user_id"`
		} `json:"client"`
	}
	if status := f.engine("POST", "/conversations/open", client, &conv); status != http.StatusOK || conv.ID == "" || conv.Status != "OPEN" || conv.Client.UserID != "test" {
		t.Errorf("POST /conversations/open → %d %+v", status, conv)
	}
	var state struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}
	if status := f.engine("GET", "/state"+q, "", &state); status != http.StatusOK || state.Type != "hold" || len(state.Value) == 0 {
		t.Errorf("GET /state → %d %+v", status, state)
	}
	var msgs struct {
		Messages []struct {
			Direction string `json:"direction"`
		} `json:"messages"`
	}
	if status := f.engine("GET", "/messages"+q, "", &msgs); status != http.StatusOK || len(msgs.Messages) != 2 || msgs.Messages[0].Direction != "SEND" {
		t.Errorf("GET /messages → %d %+v", status, msgs)
	}
	if status := f.engine("POST", "/conversations/close", client, nil); status != http.StatusOK {
		t.Errorf("POST /conversations/close → %d", status)
	}
	if res := f.call("POST", "/v1/engine/conversations/open", http.Header{"X-Api-Key": {engineKey}}, []byte(client), nil); res.ContentLength > 0 {
		t.Error("the conversation is still open after /conversations/close")
	}
	// conversations.rs's test_get_conversations, then this client's.
	var list struct {
		Conversations []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"conversations"`
		PaginationKey string `json:"pagination_key"`
	}
	if status := f.engine("GET", "/conversations?user_id=test&channel_id=conversations-channel&bot_id=botid", "", &list); status != http.StatusOK || len(list.Conversations) != 0 {
		t.Errorf("GET /conversations of nobody → %d %+v", status, list)
	}
	f.engine("POST", "/run", `{"bot_id": "echo", "event": {"client": `+client+`, "payload": {"content_type": "text", "content": {"text": "again"}}}}`, nil)
	if status := f.engine("GET", "/conversations"+q+"&limit=1", "", &list); status != http.StatusOK || len(list.Conversations) != 1 || list.Conversations[0].Status != "OPEN" || list.PaginationKey == "" {
		t.Errorf("GET /conversations?limit=1 → %d %+v", status, list)
	}
	next := list.PaginationKey
	list.PaginationKey = ""
	if f.engine("GET", "/conversations"+q+"&limit=1&pagination_key="+next, "", &list); len(list.Conversations) != 1 || list.Conversations[0].ID != conv.ID || list.Conversations[0].Status != "CLOSED" || list.PaginationKey != "" {
		t.Errorf("the next page: %+v, want the closed conversation %s", list, conv.ID)
	}

	// memories.rs's test_memories and test_memory.
	mq := "?user_id=test&channel_id=memories-channel&bot_id=botid"
	if status := f.engine("DELETE", "/memories"+mq, "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE /memories → %d", status)
	}
	if status := f.engine("POST", "/memories"+mq, `{"key": "val", "value": 42}`, nil); status != http.StatusCreated {
		t.Errorf("POST /memories → %d", status)
	}
	var all []struct {
		Key   string `json:"key"`
		Value int    `json:"value"`
	}
	if status := f.engine("GET", "/memories"+mq, "", &all); status != http.StatusOK || len(all) != 1 || all[0].Key != "val" || all[0].Value != 42 {
		t.Errorf("GET /memories → %d %+v", status, all)
	}
	var one struct {
		Key   string `json:"key"`
		Value int    `json:"value"`
	}
	if status := f.engine("GET", "/memories/val"+mq, "", &one); status != http.StatusOK || one.Value != 42 {
		t.Errorf("GET /memories/val → %d %+v", status, one)
	}
	if status := f.engine("DELETE", "/memories/val"+mq, "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE /memories/val → %d", status)
	}
	if status := f.engine("GET", "/memories/val"+mq, "", nil); status != http.StatusNotFound {
		t.Errorf("GET /memories/val after its deletion → %d", status)
	}
	if status := f.engine("POST", "/memories"+mq, `{"key": "9lives", "value": 1}`, nil); status != http.StatusBadRequest {
		t.Errorf("a memory named 9lives → %d", status)
	}
}

// TestEngineAPIMemoriesAreWhatTheBotRemembers: a memory written through the
// API is read by the next turn, and one the bot remembers is listed.
func TestEngineAPIMemoriesAreWhatTheBotRemembers(t *testing.T) {
	f := newFixture(t)
	bot := `{"id": "mem", "name": "mem", "default_flow": "Default", "flows": [{"id": "Default", "name": "Default", "commands": [],
	  "content": "start:\n  say \"Hello {{name}}\"\n  remember seen = true\n  goto end"}]}`
	if status := f.engine("POST", "/bots", bot, nil); status != http.StatusCreated {
		t.Fatalf("POST /bots → %d", status)
	}
	q := "?bot_id=mem&channel_id=app&user_id=ada"
	if status := f.engine("POST", "/memories"+q, `{"key": "name", "value": "Ada"}`, nil); status != http.StatusCreated {
		t.Fatalf("POST /memories → %d", status)
	}
	var out runAnswer
	f.engine("POST", "/run", `{"bot_id": "mem", "event": {"client": {"bot_id": "mem", "channel_id": "app", "user_id": "ada"}, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`, &out)
	if len(out.Messages) != 1 || out.Messages[0].Payload.Content.Text != "Hello Ada" {
		t.Errorf("the bot said %+v, want Hello Ada", out.Messages)
	}
	var all []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	f.engine("GET", "/memories"+q, "", &all)
	keys := []string{}
	for _, m := range all {
		keys = append(keys, m.Key+"="+string(m.Value))
	}
	if strings.Join(keys, ",") != `name="Ada",seen=true` {
		t.Errorf("memories %v", keys)
	}
}
