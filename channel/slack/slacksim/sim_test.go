package slacksim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/channel/slack"
	"switchboard/channel/slack/slacksim"
	"switchboard/internal/simkit/simtest"
)

func start(t *testing.T, cfg slacksim.Config) *slacksim.Sim {
	t.Helper()
	s := slacksim.New(cfg)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// call calls a Web API method with the token ("" for none) and returns
// the HTTP status, the answer and its headers.
func call(t *testing.T, s *slacksim.Sim, method, token string, args any) (int, map[string]any, http.Header) {
	t.Helper()
	status, out, h := simtest.JSON(t, http.MethodPost, s.URL()+"/api/"+method, args, func(r *http.Request) {
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
	})
	m, _ := out.(map[string]any)
	return status, m, h
}

// verified checks a delivery's signature as the driver does.
func verified(t *testing.T, c simtest.Call) bool {
	ts := c.Header.Get("X-Slack-Request-Timestamp")
	return c.Header.Get("X-Slack-Signature") == slack.Signature(slacksim.DefaultSigningSecret, ts, c.Body)
}

func TestWebAPIAnswersAsSlackDoes(t *testing.T) {
	s := start(t, slacksim.Config{ChannelBurst: 3, RefuseLongText: true})
	ada := s.AddUser(slacksim.User{Name: "Ada"})
	tok := slacksim.DefaultBotToken
	section := func(n int) map[string]any {
		return map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": strings.Repeat("a", n)}}
	}
	button := func(text, id string) map[string]any {
		return map[string]any{"type": "button", "action_id": id, "value": "v", "text": map[string]any{"type": "plain_text", "text": text}}
	}
	var fifty []any
	for range 51 {
		fifty = append(fifty, section(1))
	}
	var many []any
	for i := range 26 {
		many = append(many, button("b", string(rune('a'+i))))
	}
	cases := []struct {
		token string
		args  map[string]any
		want  string
	}{
		{"", map[string]any{"channel": ada.DM, "text": "hi"}, "not_authed"},
		{"xoxb-another", map[string]any{"channel": ada.DM, "text": "hi"}, "invalid_auth"},
		{tok, map[string]any{"channel": "C404", "text": "hi"}, "channel_not_found"},
		{tok, map[string]any{"channel": s.AddChannel("random", false), "text": "hi"}, "not_in_channel"},
		{tok, map[string]any{"channel": ada.DM}, "no_text"},
		{tok, map[string]any{"channel": ada.DM, "blocks": fifty}, "invalid_blocks"},
		{tok, map[string]any{"channel": ada.DM, "blocks": []any{section(3001)}}, "invalid_blocks"},
		{tok, map[string]any{"channel": ada.DM, "blocks": []any{map[string]any{"type": "actions", "elements": many}}}, "invalid_blocks"},
		{tok, map[string]any{"channel": ada.DM, "blocks": []any{map[string]any{"type": "actions", "elements": []any{button(strings.Repeat("b", 76), "x")}}}}, "invalid_blocks"},
		{tok, map[string]any{"channel": ada.DM, "blocks": []any{map[string]any{"type": "actions", "elements": []any{button("b", "x"), button("c", "x")}}}}, "invalid_blocks"},
		{tok, map[string]any{"channel": ada.DM, "text": strings.Repeat("a", 40001)}, "msg_too_long"},
	}
	for _, c := range cases {
		status, out, _ := call(t, s, "chat.postMessage", c.token, c.args)
		if status != http.StatusOK || out["ok"] != false || out["error"] != c.want {
			t.Errorf("chat.postMessage %.80v: %d %v, want 200 ok:false %s", c.args, status, out, c.want)
		}
	}
	_, out, _ := call(t, s, "chat.postMessage", tok, map[string]any{"channel": ada.DM, "blocks": []any{section(3001)}})
	if msgs, _ := json.Marshal(out["response_metadata"]); !strings.Contains(string(msgs), "json-pointer:/blocks/0/text/text") {
		t.Errorf("invalid_blocks says %s, want where", msgs)
	}
	// A user id posts to their DM; the burst, then ratelimited with
	// Retry-After.
	for i := range 4 {
		status, out, h := call(t, s, "chat.postMessage", tok, map[string]any{"channel": ada.ID, "text": "hi"})
		if i < 3 && (status != 200 || out["ok"] != true || out["channel"] != ada.DM || out["ts"] == "") {
			t.Fatalf("post %d: %d %v", i, status, out)
		}
		if i == 3 && (status != http.StatusTooManyRequests || out["error"] != "ratelimited" || h.Get("Retry-After") == "") {
			t.Errorf("past the burst: %d %v %v", status, out, h)
		}
	}
	if _, out, _ := call(t, s, "conversations.open", tok, map[string]any{"users": ada.ID}); simLookup(out, "channel", "id") != ada.DM {
		t.Errorf("conversations.open: %v", out)
	}
	if _, out, _ := call(t, s, "no.such", tok, map[string]any{}); out["error"] != "unknown_method" {
		t.Errorf("an unknown method: %v", out)
	}
	// An outage: every call 503 service_unavailable, until it ends.
	s.SetOutage(true)
	if status, out, _ := call(t, s, "auth.test", tok, map[string]any{}); status != http.StatusServiceUnavailable || out["error"] != "service_unavailable" {
		t.Errorf("during an outage: %d %v", status, out)
	}
	s.SetOutage(false)
	if status, out, _ := call(t, s, "auth.test", tok, map[string]any{}); status != http.StatusOK || out["ok"] != true {
		t.Errorf("after the outage: %d %v", status, out)
	}
}

func simLookup(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, _ := v.(map[string]any)
		v = mm[k]
	}
	return v
}

func TestLongTextIsTruncatedWithAWarning(t *testing.T) {
	s := start(t, slacksim.Config{})
	ada := s.AddUser(slacksim.User{Name: "Ada"})
	_, out, _ := call(t, s, "chat.postMessage", slacksim.DefaultBotToken, map[string]any{"channel": ada.DM, "text": strings.Repeat("a", 40010)})
	c, _ := s.Conversation(ada.DM)
	if out["ok"] != true || out["warning"] != "message_truncated" || len(c.Messages[0].Text) != 40000 {
		t.Errorf("a 40,010-character text: %v, kept %d", out["warning"], len(c.Messages[0].Text))
	}
}

func TestPrivateFilesNeedTheToken(t *testing.T) {
	s := start(t, slacksim.Config{})
	ada := s.AddUser(slacksim.User{Name: "Ada"})
	s.SetURLs("", "")
	if _, err := s.UserFile(ada.ID, "a.png", "image/png", []byte("PNG"), ""); err != nil {
		t.Fatal(err)
	}
	_, out, _ := call(t, s, "files.info", slacksim.DefaultBotToken, map[string]any{"file": "F00000001"})
	u, _ := simLookup(out, "file", "url_private_download").(string)
	for token, want := range map[string]string{slacksim.DefaultBotToken: "PNG", "": "Sign in"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), want) {
			t.Errorf("the download with token %q: %q", token, body)
		}
	}
}

func TestSubscribeChecksTheChallenge(t *testing.T) {
	s := start(t, slacksim.Config{})
	var mu sync.Mutex
	echo := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var v struct{ Challenge string }
		_ = json.Unmarshal(body, &v)
		ts := r.Header.Get("X-Slack-Request-Timestamp")
		if r.Header.Get("X-Slack-Signature") != slack.Signature(slacksim.DefaultSigningSecret, ts, body) {
			http.Error(w, "unsigned", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if echo {
			_, _ = io.WriteString(w, v.Challenge)
		}
	}))
	t.Cleanup(srv.Close)
	if err := s.Subscribe(t.Context(), srv.URL); err != nil {
		t.Fatalf("a URL that answers the challenge: %v", err)
	}
	mu.Lock()
	echo = false
	mu.Unlock()
	if err := s.Subscribe(t.Context(), srv.URL); err == nil {
		t.Error("a URL that does not answer the challenge was taken")
	}
}

// TestEventsAreRetriedAsSlackDoes: an event answered 500 is sent four
// times, with the same event_id, the retries numbered 1 to 3 with their
// reason; a slow answer is a timeout; a press is never retried.
func TestEventsAreRetriedAsSlackDoes(t *testing.T) {
	s := start(t, slacksim.Config{AckTimeout: 300 * time.Millisecond, RetryDelays: []time.Duration{0, 20 * time.Millisecond, 40 * time.Millisecond}})
	var mu sync.Mutex
	rc := simtest.NewReceiver(t)
	rc.Answer = func(int) int { return http.StatusInternalServerError }
	s.SetURLs(rc.URL, rc.URL)
	ada := s.AddUser(slacksim.User{Name: "Ada"})
	posted, err := s.UserText(ada.ID, "hi")
	if err != nil {
		t.Fatal(err)
	}
	simtest.WaitIdle(t, s)
	calls := rc.Calls()
	if len(calls) != 4 {
		t.Fatalf("%d attempts, want 4", len(calls))
	}
	for i, c := range calls {
		var env struct {
			EventID string `json:"event_id"`
		}
		_ = json.Unmarshal(c.Body, &env)
		num, reason := c.Header.Get("X-Slack-Retry-Num"), c.Header.Get("X-Slack-Retry-Reason")
		if env.EventID != posted.EventID || !verified(t, c) || (i == 0) != (num == "") || (i > 0 && (num != string(rune('0'+i)) || reason != "http_error")) {
			t.Errorf("attempt %d: event %s, retry %q %q", i+1, env.EventID, num, reason)
		}
	}

	// A receiver slower than the ack timeout: retried for http_timeout.
	var reasons []string
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reasons = append(reasons, r.Header.Get("X-Slack-Retry-Reason"))
		mu.Unlock()
		if r.Header.Get("X-Slack-Retry-Num") == "" {
			time.Sleep(time.Second)
		}
	}))
	t.Cleanup(slow.Close)
	s.SetURLs(slow.URL, rc.URL)
	if _, err := s.UserText(ada.ID, "again"); err != nil {
		t.Fatal(err)
	}
	simtest.WaitIdle(t, s)
	ds := s.Deliveries()
	mu.Lock()
	if last := ds[len(ds)-1]; !last.OK() || len(reasons) != 2 || reasons[1] != "http_timeout" {
		t.Errorf("the retry after a timeout: %+v, reasons %q", last, reasons)
	}
	mu.Unlock()

	// A press: one attempt, even when it fails.
	before := len(rc.Calls())
	if _, out, _ := call(t, s, "chat.postMessage", slacksim.DefaultBotToken, map[string]any{"channel": ada.DM, "text": "Pick",
		"blocks": []any{map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "button", "action_id": "a", "value": "YES", "text": map[string]any{"type": "plain_text", "text": "Yes"}}}}}}); out["ok"] != true {
		t.Fatal(out)
	}
	c, _ := s.Conversation(ada.DM)
	if err := s.UserPress(ada.ID, ada.DM, c.Messages[len(c.Messages)-1].TS, "YES"); err != nil {
		t.Fatal(err)
	}
	simtest.WaitIdle(t, s)
	presses := rc.Calls()[before:]
	if len(presses) != 1 || !verified(t, presses[0]) || presses[0].Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Fatalf("a press was sent %d times", len(presses))
	}
	form, _ := url.ParseQuery(string(presses[0].Body))
	if !strings.Contains(form.Get("payload"), `"type":"block_actions"`) || !strings.Contains(form.Get("payload"), `"value":"YES"`) {
		t.Errorf("the press's payload: %s", form.Get("payload"))
	}
}

func TestConsoleServes(t *testing.T) {
	s := start(t, slacksim.Config{})
	resp, err := http.Get(s.URL() + "/")
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("console: %v %v", err, resp)
	}
	resp.Body.Close()
	status, out, _ := simtest.JSON(t, http.MethodPost, s.URL()+"/_sim/users", map[string]string{"name": "Ada"}, nil)
	if status != http.StatusOK {
		t.Fatalf("add a user: %d %v", status, out)
	}
	status, out, _ = simtest.JSON(t, http.MethodGet, s.URL()+"/_sim/state", nil, nil)
	st, _ := out.(map[string]any)
	if status != http.StatusOK || st["bot_token"] != slacksim.DefaultBotToken || len(st["users"].([]any)) != 1 {
		t.Errorf("state: %d %v", status, out)
	}
}

// TestChaosSwitches: held, reordered and duplicated deliveries, as every
// simulator has them.
func TestChaosSwitches(t *testing.T) {
	s := start(t, slacksim.Config{})
	rc := simtest.NewReceiver(t)
	s.SetURLs(rc.URL, rc.URL)
	ada := s.AddUser(slacksim.User{Name: "Ada"})
	simtest.ChaosSwitches(t, s, func(text string) {
		if _, err := s.UserText(ada.ID, text); err != nil {
			t.Fatal(err)
		}
	}, func() []string {
		var out []string
		for _, c := range rc.Calls() {
			var env struct {
				Event struct{ Text string } `json:"event"`
			}
			_ = json.Unmarshal(c.Body, &env)
			out = append(out, env.Event.Text)
		}
		return out
	})
}
