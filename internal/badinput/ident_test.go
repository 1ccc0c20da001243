package badinput_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestIdentifiersAreCheckedTheSameOnBothStores: one validation per kind of
// identifier and text, at the edge, the same on SQLite and PostgreSQL: a
// clear 400 that names the field, and nothing stored. Before, bot ids took
// NUL, invisible characters, invalid UTF-8 (collapsed, so ids collided)
// and 100,000 characters; SQLite stored NUL in names, saved replies and
// request ids that PostgreSQL refused; /chat/%00 was a 500 on PostgreSQL.
func TestIdentifiersAreCheckedTheSameOnBothStores(t *testing.T) {
	bot := func(id string) string {
		return strings.Replace(botBody, `"id":"fuzz-bot"`, `"id":`+id, 1)
	}
	cases := []struct {
		what, method, path, body string
		auth                     auth
		says                     string
	}{
		{"NUL in a chat link", "GET", "/chat/%00", "", none, ""},
		{"invalid UTF-8 in a chat link", "GET", "/chat/%FF", "", none, ""},
		{"a zero-width space in a bot id", "POST", "/v1/admin/bots", bot(`"fuzz\u200bbot"`), admin, "U+200B"},
		{"a bidi override in a bot id", "POST", "/v1/admin/bots", bot(`"fuzz\u202ebot"`), admin, "U+202E"},
		{"NUL in a bot id", "POST", "/v1/admin/bots", bot(`"fuzz\u0000bot"`), admin, "U+0000"},
		{"invalid UTF-8 in a bot id", "POST", "/v1/admin/bots", bot("\"fuzz\xffbot\""), admin, "U+FFFD"},
		{"another invalid UTF-8 bot id", "POST", "/v1/admin/bots", bot("\"fuzz\xfebot\""), admin, "U+FFFD"},
		{"a bot id of 100,000 characters", "POST", "/v1/admin/bots", bot(`"` + huge + `"`), admin, "longer than 200 characters"},
		{"NUL in a channel name", "POST", "/v1/admin/channels", `{"bot_id":"livechat-demo","type":"webapp","name":"a\u0000b"}`, admin, "name contains U+0000"},
		{"NUL in an agent name", "POST", "/v1/admin/agents", `{"email":"nul@example.com","name":"a\u0000b"}`, admin, "name contains U+0000"},
		{"a bidi override in an agent name", "POST", "/v1/admin/agents", `{"email":"bidi@example.com","name":"Sam\u202e"}`, admin, "name contains U+202E"},
		{"NUL in a saved reply", "POST", "/desk/api/saved-replies", `{"title":"a\u0000b","text":"t"}`, signIn, "title contains U+0000"},
		{"NUL in a saved reply's text", "POST", "/desk/api/saved-replies", `{"title":"t","text":"a\u0000b"}`, signIn, "text contains U+0000"},
		{"NUL in a request id", "POST", "/v1/api/chat", `{"client":{"user_id":"u1"},"request_id":"r\u0000","payload":{"content_type":"text","content":{"text":"hi"}}}`, public, "request_id"},
		{"NUL in a user id", "POST", "/v1/api/chat", `{"client":{"user_id":"u\u0000"},"payload":{"content_type":"text","content":{"text":"hi"}}}`, public, "client.user_id"},
		{"a zero-width joiner in a user id", "GET", "/v1/api/messages?user_id=u%E2%80%8D1", "", signed, "user_id"},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := start(t, st.database(t))
			for _, c := range cases {
				req := s.request(c.method, c.path, c.body)
				if strings.HasPrefix(c.path, "/v1/admin/bots") {
					req.Header.Set("Content-Type", "application/json")
				}
				r := s.attack(attack{method: c.method, path: c.path, body: c.body, ctype: req.Header.Get("Content-Type"), auth: c.auth})
				if r.status != http.StatusBadRequest || !strings.Contains(r.body, c.says) {
					t.Errorf("%s: %d %s, want 400 saying %q", c.what, r.status, cut(r.body), c.says)
				}
			}
			// Nothing was stored.
			var bots struct {
				Bots []struct {
					ID string `json:"id"`
				} `json:"bots"`
			}
			s.mustJSON(s.admin(s.request("GET", "/v1/admin/bots", "")), http.StatusOK, &bots)
			if len(bots.Bots) != 1 {
				t.Errorf("bots after the refusals: %+v, want the demo bot alone", bots.Bots)
			}
			var replies struct {
				SavedReplies []json.RawMessage `json:"saved_replies"`
			}
			s.mustJSON(s.signedIn(s.request("GET", "/desk/api/saved-replies", "")), http.StatusOK, &replies)
			if len(replies.SavedReplies) != 0 {
				t.Errorf("saved replies after the refusals: %s", replies.SavedReplies)
			}
		})
	}
}
