package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type botOut struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	VersionID   string `json:"version_id"`
	Loaded      bool   `json:"loaded"`
	Flows       []struct{ Name, Content string }
	Diagnostics []struct {
		Flow     string `json:"flow"`
		Line     int    `json:"start_line"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
}

const shopFlow = "start:\n  say \"Welcome to the shop\"\n  goto end\n"

func TestImportValidateVersionsAndDelete(t *testing.T) {
	f := newFixture(t)
	c := f.script()

	// A zipped CSML Studio export.
	var b botOut
	res, data := c.do("POST", "/v1/admin/bots", zipBot(t, "shop", shopFlow), "application/zip")
	if res.StatusCode != http.StatusCreated || json.Unmarshal(data, &b) != nil || b.ID != "shop" || !b.Loaded || len(b.Flows) != 1 {
		t.Fatalf("zip import → %d %s", res.StatusCode, data)
	}
	first := b.VersionID
	// The same bot as JSON with its flows inline: a new version, running.
	inline, _ := json.Marshal(map[string]any{"id": "shop", "name": "Shop", "default_flow": "Default",
		"flows": []map[string]any{{"name": "Default", "commands": []string{}, "content": "start:\n  say \"Version two\"\n  goto end\n"}}})
	res, data = c.do("POST", "/v1/admin/bots", inline, "application/json")
	if res.StatusCode != http.StatusCreated || json.Unmarshal(data, &b) != nil || b.VersionID == first || b.Name != "Shop" {
		t.Fatalf("JSON import → %d %s", res.StatusCode, data)
	}
	var list struct{ Bots []botOut }
	c.must("GET", "/v1/admin/bots", nil, http.StatusOK, &list)
	if len(list.Bots) != 2 || list.Bots[1].ID != "shop" || list.Bots[1].VersionID != b.VersionID {
		t.Fatalf("bots: %+v", list.Bots)
	}
	var versions struct{ Versions []botOut }
	c.must("GET", "/v1/admin/bots/shop/versions", nil, http.StatusOK, &versions)
	if len(versions.Versions) != 2 || !versions.Versions[0].Loaded || versions.Versions[1].VersionID != first || versions.Versions[1].Loaded {
		t.Fatalf("versions: %+v", versions.Versions)
	}
	// Roll back to the first version.
	c.must("POST", "/v1/admin/bots/shop/versions/"+first+"/activate", nil, http.StatusOK, &b)
	c.must("GET", "/v1/admin/bots/shop", nil, http.StatusOK, &b)
	if b.VersionID != first || !b.Loaded || !strings.Contains(b.Flows[0].Content, "Welcome to the shop") {
		t.Fatalf("after activating the first version: %+v", b)
	}
	c.fails("POST", "/v1/admin/bots/shop/versions/nope/activate", nil, "", http.StatusNotFound)

	// Validation lists every error with its place, and stores nothing.
	broken := zipBot(t, "broken", "start:\n  say \"a\"\n  goto nowhere\n  say (\n")
	var v struct {
		Valid bool   `json:"valid"`
		Bot   botOut `json:"bot"`
	}
	res, data = c.do("POST", "/v1/admin/bots/validate", broken, "application/zip")
	if res.StatusCode != http.StatusOK || json.Unmarshal(data, &v) != nil || v.Valid || len(v.Bot.Diagnostics) == 0 || v.Bot.Diagnostics[0].Line == 0 {
		t.Fatalf("validate → %d %s", res.StatusCode, data)
	}
	res, data = c.do("POST", "/v1/admin/bots/validate", zipBot(t, "fine", shopFlow), "application/zip")
	if json.Unmarshal(data, &v) != nil || !v.Valid {
		t.Fatalf("validate a good bot → %d %s", res.StatusCode, data)
	}
	// Importing the broken bot is refused with the same errors.
	if msg := c.fails("POST", "/v1/admin/bots", broken, "application/zip", http.StatusBadRequest); !strings.Contains(msg, "line") || !strings.Contains(msg, "Default") {
		t.Errorf("importing a broken bot: %q", msg)
	}
	c.fails("GET", "/v1/admin/bots/broken", nil, "", http.StatusNotFound)

	// Uploads that are not a bot say what is wrong.
	for _, u := range []struct {
		body        []byte
		contentType string
		says        string
	}{
		{[]byte("PK not really a zip"), "application/zip", "not a valid zip"},
		{[]byte(`{"name": "no id", "flows": []}`), "application/json", `no "id"`},
		{[]byte(`{"id": "x", "flows": [{"name": "Default"}]}`), "application/json", `no "content"`},
		{[]byte("hello"), "text/plain", "application/zip"},
		{nil, "application/zip", "empty"},
	} {
		if msg := c.fails("POST", "/v1/admin/bots", u.body, u.contentType, http.StatusBadRequest); !strings.Contains(msg, u.says) {
			t.Errorf("%s upload: %q, want it to say %q", u.contentType, msg, u.says)
		}
	}
	// Over the size limit: 413.
	c.fails("POST", "/v1/admin/bots", make([]byte, 17<<20), "application/zip", http.StatusRequestEntityTooLarge)

	// A bot with a live session cannot be deleted; once it ended, it can.
	s := f.liveSession("deleting")
	if msg := c.fails("DELETE", "/v1/admin/bots/livechat-demo", nil, "", http.StatusConflict); !strings.Contains(msg, "live livechat sessions") {
		t.Errorf("delete with a live session: %q", msg)
	}
	c.must("POST", "/v1/admin/sessions/"+s.ID+"/end", nil, http.StatusOK, nil)
	res, _ = c.do("DELETE", "/v1/admin/bots/shop", nil, "")
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete → %d", res.StatusCode)
	}
	c.fails("GET", "/v1/admin/bots/shop", nil, "", http.StatusNotFound)
	c.fails("DELETE", "/v1/admin/bots/shop", nil, "", http.StatusNotFound)
	if _, loaded := f.app.Engine.Bots().Get("shop"); loaded {
		t.Error("the deleted bot still runs")
	}
}
