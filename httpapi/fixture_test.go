package httpapi_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/apidoc"
	"switchboard/app"
	"switchboard/httpapi"
	"switchboard/internal/openapitest"
	"switchboard/internal/syncbuf"
)

// recorder records every exchange of every test, checked against the
// OpenAPI document when the tests are done.
var recorder = &openapitest.Recorder{}

func TestMain(m *testing.M) { openapitest.Main(m, apidoc.JSON, recorder, "/v1/api/", "/v1/engine/") }

// engineKey is a key of the CSML engine server API of the fixtures.
const engineKey = "test-engine-key-0123456789"

// fixture is a switchboard server as users run it, with the echo bot and an
// API channel, and a client that records what it exchanges.
type fixture struct {
	t       *testing.T
	app     *app.App
	base    string
	client  *http.Client
	channel switchboard.Channel
	key     string
	secret  []byte
	logs    *syncbuf.Buffer
	dir     string
	stamp   int64 // the last millisecond timestamp fresh signed
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith is newFixture with a configuration that change adjusts.
// By default callbacks may reach this host, where the tests' receivers listen.
func newFixtureWith(t *testing.T, change func(*app.Config)) *fixture {
	t.Helper()
	logs := &syncbuf.Buffer{}
	f := &fixture{t: t, logs: logs, dir: t.TempDir()}
	cfg := app.Config{
		Addr: "127.0.0.1:0", DataDir: f.dir, WorkerPoll: 20 * time.Millisecond,
		// Long enough for a callback to a local server on a loaded machine
		// (a timeout is a retry the tests count), short for the "slow" ones.
		CallbackTimeout: 2 * time.Second,
		CallbackAllow:   []string{"127.0.0.0/8", "::1"},
		Log:             slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Bots:            []app.BotConfig{{Path: "testdata/echo"}},
		EngineAPIKeys:   engineKey + ",another-engine-key-0123",
	}
	if change != nil {
		change(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	f.app, f.base = a, a.URL()
	f.client = &http.Client{Transport: recorder, Timeout: 10 * time.Second}
	f.channel = switchboard.Channel{ID: "api-1", BotID: "echo", Type: switchboard.ChannelAPI, Name: "App", CreatedAt: time.Now()}
	f.secret = []byte(httpapi.NewCredentials(a.Livechat.Sealer, &f.channel))
	f.key = f.channel.APIKey
	if err := a.Store.Update(ctx, func(tx switchboard.Tx) error { return tx.PutChannel(ctx, &f.channel) }); err != nil {
		t.Fatal(err)
	}
	return f
}

// call sends a request and decodes a JSON answer into out (when not nil).
func (f *fixture) call(method, path string, header http.Header, body []byte, out any) *http.Response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.base+path, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := f.client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			f.t.Fatalf("%s %s → %d: %s is not JSON: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res
}

// public is the header of a public-mode request.
func (f *fixture) public() http.Header { return http.Header{"X-Api-Key": {f.key}} }

// signed is the header of a private-mode request signed at time at.
func (f *fixture) signed(at time.Time) http.Header {
	return signedWith(f.key, f.secret, at)
}

// fresh is the header of a private-mode request signed now, with a
// timestamp in milliseconds never used before: the same request may be
// sent again.
func (f *fixture) fresh() http.Header {
	f.stamp = max(f.stamp+1, time.Now().UnixMilli())
	return signedValue(f.key+"|"+strconv.FormatInt(f.stamp, 10), f.secret)
}

func signedWith(key string, secret []byte, at time.Time) http.Header {
	return signedValue(key+"|"+strconv.FormatInt(at.Unix(), 10), secret)
}

func signedValue(value string, secret []byte) http.Header {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(value))
	return http.Header{"X-Api-Key": {value}, "X-Api-Signature": {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
}

// chatResponse is the answer of POST /v1/api/chat.
type chatResponse struct {
	RequestID     string `json:"request_id"`
	InteractionID string `json:"interaction_id"`
	Messages      []struct {
		ID               int64               `json:"id"`
		ConversationID   string              `json:"conversation_id"`
		Direction        string              `json:"direction"`
		InteractionOrder int                 `json:"interaction_order"`
		Payload          switchboard.Payload `json:"payload"`
	} `json:"messages"`
	Client struct {
		BotID     string `json:"bot_id"`
		ChannelID string `json:"channel_id"`
		UserID    string `json:"user_id"`
	} `json:"client"`
	ReceivedAt      time.Time `json:"received_at"`
	IsAuthorized    bool      `json:"is_authorized"`
	ConversationEnd bool      `json:"conversation_end"`
	Livechat        *struct {
		SessionID string `json:"session_id"`
		State     string `json:"state"`
	} `json:"livechat"`
}

// texts returns the text of each message of an answer.
func (r chatResponse) texts() []string {
	out := []string{}
	for _, m := range r.Messages {
		out = append(out, textOf(m.Payload))
	}
	return out
}

func textOf(p switchboard.Payload) string {
	var c struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(p.Content, &c)
	if c.Text == "" {
		return p.ContentType
	}
	return c.Text
}

// event is a chat request body.
func event(user, contentType string, content any, extra map[string]any) []byte {
	raw, _ := json.Marshal(content)
	body := map[string]any{"client": map[string]string{"user_id": user}, "payload": map[string]any{"content_type": contentType, "content": json.RawMessage(raw)}}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	return b
}

// chat sends an event and wants a 200.
func (f *fixture) chat(header http.Header, body []byte) chatResponse {
	f.t.Helper()
	var out chatResponse
	if res := f.call("POST", "/v1/api/chat", header, body, &out); res.StatusCode != http.StatusOK {
		f.t.Fatalf("chat → %d, want 200", res.StatusCode)
	}
	return out
}

// errorOf sends a request, wants the status and returns the error body.
func (f *fixture) errorOf(method, path string, header http.Header, body []byte, status int) (code, message string) {
	f.t.Helper()
	var out struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	res := f.call(method, path, header, body, &out)
	if res.StatusCode != status {
		f.t.Fatalf("%s %s → %d (%+v), want %d", method, path, res.StatusCode, out.Error, status)
	}
	if out.Error.Code == "" || out.Error.Message == "" {
		f.t.Fatalf("%s %s → %d without an error code and message", method, path, status)
	}
	return out.Error.Code, out.Error.Message
}

// waitFor polls cond until it holds or 10 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rotate rotates the channel's keys through the admin API, as an
// administrator does, and returns the channel and its new secret.
func (f *fixture) rotate() (switchboard.Channel, []byte) {
	f.t.Helper()
	token, err := os.ReadFile(filepath.Join(f.dir, app.AdminTokenFile))
	if err != nil {
		f.t.Fatal(err)
	}
	var out struct {
		Channel   switchboard.Channel `json:"channel"`
		APISecret string              `json:"api_secret"`
	}
	header := http.Header{"Authorization": {"Bearer " + strings.TrimSpace(string(token))}}
	if res := f.call("POST", "/v1/admin/channels/"+f.channel.ID+"/rotate", header, nil, &out); res.StatusCode != http.StatusOK {
		f.t.Fatalf("rotate → %d", res.StatusCode)
	}
	return out.Channel, []byte(out.APISecret)
}
