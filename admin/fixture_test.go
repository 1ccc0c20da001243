package admin_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/apidoc"
	"switchboard/app"
	"switchboard/engine"
	"switchboard/examples"
	"switchboard/internal/background"
	"switchboard/internal/openapitest"
	"switchboard/internal/syncbuf"
	"switchboard/livechat/desk"
)

var recorder = &openapitest.Recorder{}

func TestMain(m *testing.M) { openapitest.Main(m, apidoc.JSON, recorder, "/v1/admin/") }

const (
	adminEmail    = "ada@example.com"
	agentEmail    = "sam@example.com"
	agentPassword = "correct horse battery"
)

// fixture is a server as users run it, with the demo bot, an administrator
// and an agent; its logs are kept, to be searched for secrets.
type fixture struct {
	t     *testing.T
	app   *app.App
	base  string
	token string
	logs  *syncbuf.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with a configuration that change adjusts.
func newFixtureWith(t *testing.T, change func(*app.Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	logs := &syncbuf.Buffer{}
	cfg := app.Config{
		Addr: "127.0.0.1:0", DataDir: dir, WorkerPoll: 20 * time.Millisecond,
		Log:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}},
	}
	if change != nil {
		change(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	background.Run(t, a.Serve)
	ctx := context.Background()
	token, err := os.ReadFile(filepath.Join(dir, app.AdminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, app: a, base: a.URL(), token: strings.TrimSpace(string(token)), logs: logs}
	for _, c := range []struct {
		email string
		admin bool
	}{{adminEmail, true}, {agentEmail, false}} {
		ag, err := desk.CreateAgent(ctx, a.Store, nil, c.email, strings.Split(c.email, "@")[0], agentPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := desk.ChangeAgent(ctx, a.Store, ag.ID, desk.AgentChange{Admin: &c.admin}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// client talks to the admin API as a script (with the token) or as a page
// (with a sign-in's cookie and CSRF token).
type client struct {
	f      *fixture
	http   *http.Client
	header http.Header
}

// script is a client with the admin token. Its timeout leaves room for
// bcrypt under the race detector on a loaded machine (agents' passwords).
func (f *fixture) script() *client {
	return &client{f: f, http: &http.Client{Transport: recorder, Timeout: 30 * time.Second},
		header: http.Header{"Authorization": {"Bearer " + f.token}}}
}

// signIn is a client signed in as a page is, with its CSRF token.
func (f *fixture) signIn(email string) *client {
	f.t.Helper()
	return f.signInAs(email, agentPassword)
}

func (f *fixture) signInAs(email, password string) *client {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{f: f, http: &http.Client{Transport: recorder, Jar: jar, Timeout: 30 * time.Second}, header: http.Header{}}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	c.must("POST", "/v1/admin/login", map[string]string{"email": email, "password": password}, http.StatusOK, &me)
	c.header.Set("X-CSRF-Token", me.CSRFToken)
	return c
}

// do sends a request: body is JSON unless it is []byte with a content type.
func (c *client) do(method, path string, body any, contentType string) (*http.Response, []byte) {
	c.f.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
		contentType = "application/json"
	}
	req, err := http.NewRequest(method, c.f.base+path, r)
	if err != nil {
		c.f.t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, data
}

// must sends a JSON request, wants the status, and decodes the answer.
func (c *client) must(method, path string, body any, status int, out any) {
	c.f.t.Helper()
	res, data := c.do(method, path, body, "")
	if res.StatusCode != status {
		c.f.t.Fatalf("%s %s → %d %s, want %d", method, path, res.StatusCode, data, status)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.f.t.Fatalf("%s %s: %s: %v", method, path, data, err)
		}
	}
}

// fails sends a request, wants the status and an error body, and returns
// the error's message.
func (c *client) fails(method, path string, body any, contentType string, status int) string {
	c.f.t.Helper()
	res, data := c.do(method, path, body, contentType)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if res.StatusCode != status || json.Unmarshal(data, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
		c.f.t.Fatalf("%s %s → %d %s, want %d with an error code and message", method, path, res.StatusCode, data, status)
	}
	return e.Error.Message
}

// zipBot zips the demo bot as a CSML Studio export under a folder, with its
// id and first flow changed.
func zipBot(t *testing.T, id, flow string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := fs.WalkDir(examples.FS, examples.Livechat, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(examples.FS, path)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(path, examples.Livechat+"/")
		switch {
		case rel == "bot.json":
			data = bytes.Replace(data, []byte(`"livechat-demo"`), []byte(`"`+id+`"`), 1)
		case strings.HasSuffix(rel, ".csml") && flow != "":
			data = []byte(flow)
		}
		w, err := zw.Create("export/" + rel)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// liveSession starts a livechat session of a user of the demo bot's chat
// page, as a user who clicked "Talk to a human" does, and returns it.
func (f *fixture) liveSession(user string) switchboard.Session {
	f.t.Helper()
	ctx := context.Background()
	chat, err := f.app.ChatURL(ctx, "livechat-demo")
	if err != nil {
		f.t.Fatal(err)
	}
	key := switchboard.ClientKey{BotID: "livechat-demo", ChannelID: chat[strings.LastIndex(chat, "/")+1:], UserID: user}
	// The user greets the bot first, which holds on its menu.
	hello, _ := json.Marshal(map[string]string{"text": "hello"})
	if _, err := f.app.Engine.HandleEvent(ctx, engine.Request{Client: key, Payload: switchboard.Payload{ContentType: "text", Content: hello}}); err != nil {
		f.t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]string{"payload": switchboard.PayloadSessionStart})
	r, err := f.app.Engine.HandleEvent(ctx, engine.Request{Client: key, Payload: switchboard.Payload{ContentType: "payload", Content: raw}})
	if err != nil || r.Session == nil {
		f.t.Fatalf("start a session: %v %+v", err, r)
	}
	return *r.Session
}
