package badinput_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/httpapi"
	"switchboard/internal/background"
	"switchboard/livechat/desk"
	"switchboard/store/postgres/pgtest"
)

// deadline bounds every answer: longer is a hang.
const deadline = slowdown * 10 * time.Second

// adminToken is the test server's admin token.
const adminToken = "badinput-admin-token-0123456789"

// server is a running switchboard with what a caller needs to reach every
// route: the admin token, an API channel's key and secret, a webapp
// channel, and a signed-in agent (administrator) of the desk.
type server struct {
	t         *testing.T
	app       *app.App
	url       string
	botID     string
	webapp    string // the webapp channel's id
	apiKey    string
	apiSecret string
	desk      *http.Client // carries the agent's sign-in cookie
	csrf      string
	stamp     atomic.Int64 // the last signature's time, in milliseconds
	plain     *http.Client
}

// stores are the stores the suite runs on: SQLite always, PostgreSQL when
// the test database is set.
var stores = []struct {
	name     string
	database func(t *testing.T) string
}{
	{"sqlite", func(*testing.T) string { return "" }},
	{"postgres", func(t *testing.T) string { return pgtest.Schema(t) }},
}

// start starts a server on a fresh data folder (and schema) with the demo
// bot, and makes its channels and its agent.
func start(t *testing.T, database string) *server {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), Database: database, AdminToken: adminToken,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), WorkerPoll: 50 * time.Millisecond,
		Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}},
		// The Chat API's throttle would answer most attacks with 429 before
		// their input is read: the suite is about what the checks do. So
		// would the bound on one address's connections: a connection whose
		// request body was refused unread stays open half a second after
		// the answer (net/http's lingering close), and on a fast machine
		// the attacks of four workers keep over 256 of them open.
		ChatAPIRate: -1, MaxConnsPerAddr: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	background.Run(t, a.Serve)
	s := &server{t: t, app: a, url: a.URL(), botID: "livechat-demo", plain: &http.Client{Timeout: deadline}}
	chat, err := a.ChatURL(ctx, s.botID)
	if err != nil {
		t.Fatal(err)
	}
	s.webapp = chat[strings.LastIndex(chat, "/")+1:]

	var created struct {
		Channel struct {
			APIKey string `json:"api_key"`
		} `json:"channel"`
		APISecret string `json:"api_secret"`
	}
	s.mustJSON(s.admin(s.request("POST", "/v1/admin/channels", `{"bot_id":"livechat-demo","type":"api"}`)), http.StatusCreated, &created)
	s.apiKey, s.apiSecret = created.Channel.APIKey, created.APISecret

	const email, password = "agent@example.com", "correct horse battery"
	agent, err := desk.CreateAgent(ctx, a.Store, switchboard.SystemClock{}, email, "Agent", password)
	if err != nil {
		t.Fatal(err)
	}
	admin := true
	if _, err := desk.ChangeAgent(ctx, a.Store, agent.ID, desk.AgentChange{Admin: &admin}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	s.desk = &http.Client{Timeout: deadline, Jar: jar}
	var login struct {
		CSRFToken string `json:"csrf_token"`
	}
	s.mustJSON(s.request("POST", "/desk/api/login", `{"email":"`+email+`","password":"`+password+`"}`), http.StatusOK, &login)
	s.csrf = login.CSRFToken
	return s
}

// request builds a request with a JSON body (none when body is empty).
func (s *server) request(method, path, body string) *http.Request {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// mustJSON sends a request of the set-up and reads its answer into out.
func (s *server) mustJSON(req *http.Request, status int, out any) {
	s.t.Helper()
	client := s.plain
	if strings.HasPrefix(req.URL.Path, "/desk/") {
		client = s.desk
	}
	res, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		s.t.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
}

// Credentials a request can carry.

func (s *server) admin(req *http.Request) *http.Request {
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return req
}

func (s *server) public(req *http.Request) *http.Request {
	req.Header.Set("X-Api-Key", s.apiKey)
	return req
}

// signed signs a request with a time of its own (milliseconds), so that no
// two requests share a signature, which the server refuses as a replay.
func (s *server) signed(req *http.Request) *http.Request {
	now := time.Now().UnixMilli()
	ms := s.stamp.Add(1)
	if ms < now {
		s.stamp.CompareAndSwap(ms, now)
		ms = s.stamp.Add(1)
	}
	key := s.apiKey + "|" + strconv.FormatInt(ms, 10)
	req.Header.Set("X-Api-Key", key)
	req.Header.Set("X-Api-Signature", "sha256="+hex.EncodeToString(httpapi.Sign([]byte(s.apiSecret), key)))
	return req
}

// signedIn marks a request to go with the agent's sign-in and CSRF token.
func (s *server) signedIn(req *http.Request) *http.Request {
	req.Header.Set("X-CSRF-Token", s.csrf)
	return req
}

// answer is what the suite keeps of a response.
type answer struct {
	status  int
	body    string
	elapsed time.Duration
	err     error
}

// do sends a request, with the agent's sign-in when withSignIn, and reads
// the whole answer.
func (s *server) do(req *http.Request, withSignIn bool) answer {
	client := s.plain
	if withSignIn {
		client = s.desk
	}
	began := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return answer{elapsed: time.Since(began), err: err}
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, err = io.Copy(&buf, io.LimitReader(res.Body, 1<<20))
	return answer{status: res.StatusCode, body: buf.String(), elapsed: time.Since(began), err: err}
}
