package whatsappsim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook receiver checked the way a driver must: the GET
// handshake with the verify token, and the signature over the raw body.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	posts  []envelope
	raw    [][]byte
	bad    int // posts whose signature did not verify
	// fail answers the next fail posts 500.
	fail int
	hits int
}

func newReceiver(t *testing.T, secret, verifyToken string) *receiver {
	rc := &receiver{t: t, secret: secret}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			q := r.URL.Query()
			if q.Get("hub.mode") != "subscribe" || q.Get("hub.verify_token") != verifyToken {
				http.Error(w, "wrong verify token", http.StatusForbidden)
				return
			}
			io.WriteString(w, q.Get("hub.challenge"))
			return
		}
		raw, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.hits++
		if rc.fail > 0 {
			rc.fail--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		mac := hmac.New(sha256.New, []byte(rc.secret))
		mac.Write(raw)
		if !hmac.Equal([]byte(r.Header.Get("X-Hub-Signature-256")), []byte("sha256="+hex.EncodeToString(mac.Sum(nil)))) {
			rc.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var env envelope
		if err := json.Unmarshal(raw, &env); err != nil {
			t.Errorf("webhook body is not JSON: %v", err)
		}
		rc.posts = append(rc.posts, env)
		rc.raw = append(rc.raw, raw)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// messages and statuses are every item the receiver took, in order.
func (rc *receiver) items() (msgs, stats []map[string]any) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, env := range rc.posts {
		for _, e := range env.Entry {
			for _, c := range e.Changes {
				msgs = append(msgs, c.Value.Messages...)
				stats = append(stats, c.Value.Statuses...)
			}
		}
	}
	return msgs, stats
}

// start serves a simulator with a subscribed receiver.
func start(t *testing.T, cfg Config) (*Sim, *receiver) {
	t.Helper()
	s := New(cfg)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	rc := newReceiver(t, s.Config().AppSecret, s.Config().VerifyToken)
	if err := s.Subscribe(context.Background(), rc.srv.URL+"/v1/channels/1/webhook"); err != nil {
		t.Fatal(err)
	}
	return s, rc
}

// graph calls the Graph API as a driver would, with the token.
func graph(t *testing.T, s *Sim, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL()+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s answered %d %q, not JSON", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// send posts a message to the send API with the right token.
func send(t *testing.T, s *Sim, msg map[string]any) (int, map[string]any) {
	t.Helper()
	if _, ok := msg["messaging_product"]; !ok {
		msg["messaging_product"] = "whatsapp"
	}
	return graph(t, s, "POST", "/v21.0/"+s.Config().PhoneNumberID+"/messages", s.Config().AccessToken, msg)
}

// errCode is a Graph error envelope's code (0 when there is none).
func errCode(out map[string]any) int {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return int(c)
}

func wait(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func text(to, body string) map[string]any {
	return map[string]any{"to": to, "type": "text", "text": map[string]any{"body": body}}
}

func buttons(to string, ids ...string) map[string]any {
	var bs []any
	for _, id := range ids {
		bs = append(bs, map[string]any{"type": "reply", "reply": map[string]any{"id": id, "title": strings.ToUpper(id)}})
	}
	return map[string]any{"to": to, "type": "interactive", "interactive": map[string]any{"type": "button",
		"body": map[string]any{"text": "Pick one"}, "action": map[string]any{"buttons": bs}}}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
