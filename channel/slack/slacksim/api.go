package slacksim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/internal/simkit"
)

// args are a call's arguments however they came: JSON, a form or a query.
type args map[string]any

// str reads an argument as text.
func (a args) str(k string) string {
	switch v := a[k].(type) {
	case string:
		return v
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		raw, _ := json.Marshal(v)
		return string(raw)
	}
}

// maxArgs bounds a call's body.
const maxArgs = 1 << 20

// readArgs reads a call's arguments and its token.
func readArgs(r *http.Request) (args, string, error) {
	a := args{}
	for k, v := range r.URL.Query() {
		a[k] = v[0]
	}
	if r.Method == http.MethodPost {
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxArgs))
		if err != nil {
			return nil, "", err
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			if len(raw) > 0 && json.Unmarshal(raw, &a) != nil {
				return nil, "", fmt.Errorf("invalid_json")
			}
		} else {
			form, err := url.ParseQuery(string(raw))
			if err != nil {
				return nil, "", fmt.Errorf("invalid_form_data")
			}
			for k, v := range form {
				a[k] = v[0]
			}
		}
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = a.str("token")
	}
	return a, token, nil
}

// failure is an ok:false answer.
type failure struct {
	status  int
	err     string
	extra   map[string]any
	retryIn time.Duration
}

func fail(code string) *failure { return &failure{status: http.StatusOK, err: code} }

// methods are the Web API methods the simulator serves.
var methods = map[string]func(*Sim, args) (map[string]any, *failure){
	"auth.test":          (*Sim).authTest,
	"chat.postMessage":   (*Sim).postMessage,
	"chat.update":        (*Sim).update,
	"conversations.open": (*Sim).open,
	"files.info":         (*Sim).fileInfo,
	"users.info":         (*Sim).userInfo,
}

// serveAPI answers a Web API call: HTTP 200 with ok true or false (429
// for a rate limit), after the faults switched on.
func (s *Sim) serveAPI(w http.ResponseWriter, r *http.Request, method string) {
	write := func(status int, body map[string]any, f *failure) {
		call := Call{Method: method, Status: status, At: s.cfg.Now()}
		if f != nil {
			call.Error = f.err
			if f.retryIn > 0 {
				call.RetryAfter = int(math.Ceil(f.retryIn.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(call.RetryAfter))
			}
		}
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.notify()
		s.mu.Unlock()
		simkit.WriteJSON(w, status, body)
	}
	answerFailure := func(f *failure) {
		body := map[string]any{"ok": false, "error": f.err}
		for k, v := range f.extra {
			body[k] = v
		}
		write(f.status, body, f)
	}
	in := s.faults.Take(r.Method)
	time.Sleep(in.Latency)
	if in.Outage {
		answerFailure(&failure{status: http.StatusServiceUnavailable, err: "service_unavailable"})
		return
	}
	a, token, err := readArgs(r)
	if err != nil {
		answerFailure(fail(err.Error()))
		return
	}
	run, ok := methods[method]
	switch {
	case !ok:
		answerFailure(&failure{status: http.StatusNotFound, err: "unknown_method"})
		return
	case token == "":
		answerFailure(fail("not_authed"))
		return
	case subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.BotToken)) != 1:
		answerFailure(fail("invalid_auth"))
		return
	}
	in.Serve(w, func(w http.ResponseWriter, status int) {
		f := &failure{status: status, err: "internal_error"}
		if status == http.StatusTooManyRequests {
			f.err, f.retryIn = "ratelimited", in.Throttle
		}
		answerFailure(f)
	}, func(http.ResponseWriter) {
		out, f := run(s, a)
		if f != nil {
			answerFailure(f)
			return
		}
		out["ok"] = true
		write(http.StatusOK, out, nil)
	})
}

func (s *Sim) authTest(args) (map[string]any, *failure) {
	return map[string]any{"url": "https://simulated.slack.com/", "team": "Simulated", "user": "switchboard", "team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false}, nil
}

// conv finds where to post: a conversation by id, or a user's DM. s.mu is
// held.
func (s *Sim) conv(id string) (*Conversation, *failure) {
	if u, ok := s.users[id]; ok {
		id = u.DM
	}
	c, ok := s.convs[id]
	switch {
	case !ok:
		return nil, fail("channel_not_found")
	case !c.Member:
		return nil, fail("not_in_channel")
	}
	return c, nil
}

// Slack's limits on a message.
const (
	maxText        = 40000
	maxBlocks      = 50
	maxSection     = 3000
	maxElements    = 25
	maxButtonText  = 75
	maxValue       = 2000
	maxActionID    = 255
	maxURL         = 3000
	maxAlt         = 2000
	maxBlocksTotal = 13000
)

// postMessage posts a message as the bot, then tells the app of it (a
// message event with bot_id, as Slack does).
func (s *Sim) postMessage(a args) (map[string]any, *failure) {
	var blocks []map[string]any
	if raw := a.str("blocks"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
			return nil, fail("invalid_blocks_format")
		}
	}
	text := a.str("text")
	if strings.TrimSpace(text) == "" && len(blocks) == 0 {
		return nil, fail("no_text")
	}
	m := Message{User: BotUserID, Bot: true, Text: text, Blocks: blocks, ThreadTS: a.str("thread_ts")}
	if f := checkBlocks(blocks, &m); f != nil {
		return nil, f
	}
	if utf8.RuneCountInString(text) > maxText {
		if s.cfg.RefuseLongText {
			return nil, fail("msg_too_long")
		}
		m.Text, m.Warning = string([]rune(text)[:maxText]), "message_truncated"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, f := s.conv(a.str("channel"))
	if f != nil {
		return nil, f
	}
	if wait := s.take(c.ID); wait > 0 {
		return nil, &failure{status: http.StatusTooManyRequests, err: "ratelimited", retryIn: max(wait, time.Second)}
	}
	m.TS = s.nextTS()
	c.Messages = append(c.Messages, m)
	s.echo(c, m)
	s.notify()
	out := map[string]any{"channel": c.ID, "ts": m.TS, "message": map[string]any{"type": "message", "text": m.Text, "user": BotUserID, "bot_id": BotID, "ts": m.TS, "blocks": blocks}}
	if m.Warning != "" {
		out["warning"] = m.Warning
		out["response_metadata"] = map[string]any{"warnings": []string{m.Warning}}
	}
	return out, nil
}

// invalid is invalid_blocks pointing at where the blocks are wrong.
func invalid(msg, pointer string) *failure {
	return &failure{status: http.StatusOK, err: "invalid_blocks", extra: map[string]any{"response_metadata": map[string]any{"messages": []string{"[ERROR] " + msg + " [json-pointer:" + pointer + "]"}}}}
}

// checkBlocks checks blocks as Block Kit does and reads what they show
// into m.
func checkBlocks(blocks []map[string]any, m *Message) *failure {
	if len(blocks) > maxBlocks {
		return invalid(fmt.Sprintf("no more than %d items allowed", maxBlocks), "/blocks")
	}
	total := 0
	for i, b := range blocks {
		at := fmt.Sprintf("/blocks/%d", i)
		if id, _ := b["block_id"].(string); utf8.RuneCountInString(id) > maxActionID {
			return invalid("must be less than 256 characters", at+"/block_id")
		}
		switch b["type"] {
		case "section":
			t, _ := simkit.Lookup(b, "text.text").(string)
			kind, _ := simkit.Lookup(b, "text.type").(string)
			if kind != "mrkdwn" && kind != "plain_text" || t == "" {
				return invalid("must provide a text object with a type and text", at+"/text")
			}
			if utf8.RuneCountInString(t) > maxSection {
				return invalid(fmt.Sprintf("must be less than %d characters", maxSection+1), at+"/text/text")
			}
			total += utf8.RuneCountInString(t)
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > maxElements {
				return invalid(fmt.Sprintf("must provide between 1 and %d items", maxElements), at+"/elements")
			}
			blockID, _ := b["block_id"].(string)
			seen := map[string]bool{}
			for j, e := range els {
				bt, f := checkButton(e, fmt.Sprintf("%s/elements/%d", at, j), seen)
				if f != nil {
					return f
				}
				bt.BlockID = blockID
				m.Buttons = append(m.Buttons, bt)
				total += utf8.RuneCountInString(bt.Text)
			}
		case "image":
			u, _ := b["image_url"].(string)
			alt, _ := b["alt_text"].(string)
			switch {
			case u == "" || utf8.RuneCountInString(u) > maxURL:
				return invalid("must provide an image_url of at most 3000 characters", at+"/image_url")
			case alt == "" || utf8.RuneCountInString(alt) > maxAlt:
				return invalid("must provide an alt_text of at most 2000 characters", at+"/alt_text")
			}
			m.Images = append(m.Images, u)
		case "context", "divider", "header", "markdown", "rich_text":
		default:
			return invalid("unsupported type", at+"/type")
		}
	}
	if total > maxBlocksTotal {
		return fail("msg_blocks_too_long")
	}
	return nil
}

// checkButton checks one element of an actions block.
func checkButton(e any, at string, seen map[string]bool) (Button, *failure) {
	el, _ := e.(map[string]any)
	if el["type"] != "button" {
		return Button{}, invalid("only buttons are simulated", at+"/type")
	}
	var b Button
	b.Text, _ = simkit.Lookup(el, "text.text").(string)
	b.ActionID, _ = el["action_id"].(string)
	b.Value, _ = el["value"].(string)
	b.URL, _ = el["url"].(string)
	switch {
	case simkit.Lookup(el, "text.type") != "plain_text" || b.Text == "":
		return b, invalid("must provide a plain_text text", at+"/text")
	case utf8.RuneCountInString(b.Text) > maxButtonText:
		return b, invalid(fmt.Sprintf("must be less than %d characters", maxButtonText+1), at+"/text/text")
	case utf8.RuneCountInString(b.Value) > maxValue:
		return b, invalid(fmt.Sprintf("must be less than %d characters", maxValue+1), at+"/value")
	case utf8.RuneCountInString(b.ActionID) > maxActionID:
		return b, invalid(fmt.Sprintf("must be less than %d characters", maxActionID+1), at+"/action_id")
	case utf8.RuneCountInString(b.URL) > maxURL:
		return b, invalid(fmt.Sprintf("must be less than %d characters", maxURL+1), at+"/url")
	case b.ActionID != "" && seen[b.ActionID]:
		return b, invalid("action_id already exists", at+"/action_id")
	}
	seen[b.ActionID] = true
	return b, nil
}

// update replaces the text and blocks of one of the bot's messages.
func (s *Sim) update(a args) (map[string]any, *failure) {
	var blocks []map[string]any
	if raw := a.str("blocks"); raw != "" && json.Unmarshal([]byte(raw), &blocks) != nil {
		return nil, fail("invalid_blocks_format")
	}
	fresh := Message{Blocks: blocks, Text: a.str("text")}
	if f := checkBlocks(blocks, &fresh); f != nil {
		return nil, f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, f := s.conv(a.str("channel"))
	if f != nil {
		return nil, f
	}
	for i := range c.Messages {
		m := &c.Messages[i]
		if m.TS != a.str("ts") {
			continue
		}
		if !m.Bot {
			return nil, fail("cant_update_message")
		}
		m.Text, m.Blocks, m.Buttons, m.Images = fresh.Text, fresh.Blocks, fresh.Buttons, fresh.Images
		s.notify()
		return map[string]any{"channel": c.ID, "ts": m.TS, "text": m.Text}, nil
	}
	return nil, fail("message_not_found")
}

// open returns the DM of a user, which is stable.
func (s *Sim) open(a args) (map[string]any, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[a.str("users")]
	if !ok {
		return nil, fail("user_not_found")
	}
	return map[string]any{"channel": map[string]any{"id": u.DM}}, nil
}

func (s *Sim) userInfo(a args) (map[string]any, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[a.str("user")]
	if !ok {
		return nil, fail("user_not_found")
	}
	return map[string]any{"user": map[string]any{"id": u.ID, "team_id": TeamID, "name": u.Name, "real_name": u.Name, "is_bot": false}}, nil
}

// fileInfo describes a file with its private URLs.
func (s *Sim) fileInfo(a args) (map[string]any, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[a.str("file")]
	if !ok {
		return nil, fail("file_not_found")
	}
	return map[string]any{"file": s.fileJSON(f)}, nil
}

// fileJSON is a file as Slack describes it. s.mu is held.
func (s *Sim) fileJSON(f *storedFile) map[string]any {
	private := s.URL() + "/files-pri/" + TeamID + "-" + f.ID + "/" + url.PathEscape(f.Name)
	return map[string]any{"id": f.ID, "name": f.Name, "title": f.Name, "mimetype": f.Mimetype, "size": len(f.Data),
		"url_private": private, "url_private_download": private + "?download=1"}
}

// signIn is what Slack answers a private file's URL without the token.
const signIn = "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Simulated</body></html>"

// serveFile serves a file's private URL to the bot token only.
func (s *Sim) serveFile(w http.ResponseWriter, r *http.Request, path string) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	id, _, _ := strings.Cut(strings.TrimPrefix(path, TeamID+"-"), "/")
	s.mu.Lock()
	f, ok := s.files[id]
	s.mu.Unlock()
	switch {
	case subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.BotToken)) != 1:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, signIn)
	case !ok:
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", f.Mimetype)
		_, _ = w.Write(f.Data)
	}
}
