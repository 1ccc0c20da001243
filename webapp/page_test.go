package webapp_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/hub"
	"switchboard/webapp"
)

// get fetches a path of the fixture's server and returns the response and body.
func (f *fixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.server.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestConfigNamesTheBot(t *testing.T) {
	f := newFixture(t, nil)
	resp, body := f.get(t, "/v1/webapp/"+channelID+"/config")
	var got map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("config: %d %s", resp.StatusCode, body)
	}
	want := map[string]any{"channel_id": channelID, "bot_id": botID, "bot_name": botName, "default_flow": "main"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, ch := range []string{"nope", apiChan} {
		if resp, _ := f.get(t, "/v1/webapp/"+ch+"/config"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("config of %s: status %d, want 404", ch, resp.StatusCode)
		}
	}
}

func TestVisitorTokenIsTheHMACOfChannelAndUser(t *testing.T) {
	f := newFixture(t, nil)
	user, token := f.visitor(t)
	mac := hmac.New(sha256.New, []byte("test secret"))
	mac.Write([]byte(channelID + "/" + user))
	if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); token != want {
		t.Fatalf("token %q, want %q", token, want)
	}
	if other, _ := f.visitor(t); other == user {
		t.Fatal("two visitors got the same user id")
	}
	resp, err := http.Post(f.server.URL+"/v1/webapp/nope/visitors", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("visitor of an unknown channel: %d", resp.StatusCode)
	}
}

func TestChatPage(t *testing.T) {
	f := newFixture(t, nil)
	resp, body := f.get(t, "/chat/"+channelID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>"+botName+"</h1>") ||
		!strings.Contains(body, `data-default-flow="main"`) || !strings.Contains(body, `id="meta-toggle"`) {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Fatalf("page CSP: %q", csp)
	}
	resp, body = f.get(t, "/chat/"+channelID+"?embed=1")
	if !strings.Contains(body, `class="embed"`) || strings.Contains(body, "meta-toggle") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Fatalf("embedded page: %s", body)
	}
	for _, ch := range []string{"nope", apiChan} {
		resp, body := f.get(t, "/chat/"+ch)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "does not exist") {
			t.Errorf("page of %s: %d %s", ch, resp.StatusCode, body)
		}
	}
}

func TestAssetsRevalidateByETag(t *testing.T) {
	f := newFixture(t, nil)
	for path, ctype := range map[string]string{
		"/webapp/static/app.js":   "javascript",
		"/webapp/static/chat.css": "text/css",
		"/webapp/widget.js":       "javascript",
	} {
		resp, body := f.get(t, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), ctype) || etag == "" || body == "" {
			t.Fatalf("%s: %d %q %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), etag)
		}
		if resp, _ := f.get(t, path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", path, resp.StatusCode)
		}
	}
	if resp, _ := f.get(t, "/webapp/static/nope.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset: %d", resp.StatusCode)
	}
}

func TestPanicIsA500NotACrash(t *testing.T) {
	f := newFixture(t, nil)
	// A handler without an engine panics on the first lookup of a bot.
	broken := httptest.NewServer(webapp.New(webapp.Config{Store: f.store, Subscriber: hub.New()}))
	defer broken.Close()
	for range 2 {
		resp, err := http.Get(broken.URL + "/v1/webapp/" + channelID + "/config")
		if err != nil {
			t.Fatalf("the server died: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500", resp.StatusCode)
		}
	}
}
