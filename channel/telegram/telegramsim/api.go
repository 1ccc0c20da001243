package telegramsim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// params are a call's parameters however they came.
type params map[string]any

// str reads a parameter as text (numbers as Telegram takes them too).
func (p params) str(k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		raw, _ := json.Marshal(v)
		return string(raw)
	}
}

// object reads a parameter that is a JSON object or array, given as JSON
// or, in a query or form, as a JSON-serialised string.
func (p params) object(k string, out any) error {
	v, ok := p[k]
	if !ok {
		return nil
	}
	var raw []byte
	if s, ok := v.(string); ok {
		raw = []byte(s)
	} else {
		raw, _ = json.Marshal(v)
	}
	return json.Unmarshal(raw, out)
}

// apiError is a Bot API error answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func (e *apiError) Error() string { return e.desc }

func badRequest(format string, a ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, a...)}
}

// writeError answers {"ok":false,...}, error_code mirroring the status.
func writeError(w http.ResponseWriter, status int, desc string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": status, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// maxParams bounds a call's body (Telegram takes uploads up to 50 MB; the
// simulator takes files by URL or id only).
const maxParams = 1 << 20

// readParams reads a call's parameters from its query, form, multipart or
// JSON body.
func readParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(nil, r.Body, maxParams)
	switch ct {
	case "application/json":
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		var body map[string]any
		if len(strings.TrimSpace(string(raw))) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				return nil, fmt.Errorf("can't parse JSON object")
			}
		}
		for k, v := range body {
			p[k] = v
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxParams); err != nil {
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
	}
	return p, nil
}

// methods are the Bot API methods the simulator serves.
var methods = map[string]func(s *Sim, p params) (any, *apiError){
	"getMe":               (*Sim).getMe,
	"setWebhook":          (*Sim).setWebhook,
	"deleteWebhook":       (*Sim).deleteWebhook,
	"getWebhookInfo":      (*Sim).getWebhookInfo,
	"getUpdates":          (*Sim).getUpdates,
	"sendMessage":         (*Sim).sendMessage,
	"sendPhoto":           func(s *Sim, p params) (any, *apiError) { return s.sendMedia(p, "photo") },
	"sendVideo":           func(s *Sim, p params) (any, *apiError) { return s.sendMedia(p, "video") },
	"sendAudio":           func(s *Sim, p params) (any, *apiError) { return s.sendMedia(p, "audio") },
	"sendDocument":        func(s *Sim, p params) (any, *apiError) { return s.sendMedia(p, "document") },
	"sendChatAction":      (*Sim).sendChatAction,
	"answerCallbackQuery": (*Sim).answerCallbackQuery,
	"getFile":             (*Sim).getFile,
}

// serveAPI answers /bot<token>/<method>.
func (s *Sim) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	token, method, _ := strings.Cut(rest, "/")
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.Token)) != 1 {
		s.record(Call{Method: method, Status: http.StatusUnauthorized, Description: "Unauthorized"})
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	in := s.faults.Take(r.Method)
	if in.Latency > 0 {
		time.Sleep(in.Latency)
	}
	switch {
	case in.Outage:
		writeError(w, http.StatusBadGateway, "Bad Gateway", 0)
		return
	case in.Throttle > 0:
		secs := int(in.Throttle / time.Second)
		s.record(Call{Method: method, Status: http.StatusTooManyRequests, Description: "throttled by the console", RetryAfter: secs})
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", secs), secs)
		return
	case in.Status > 0:
		writeError(w, in.Status, http.StatusText(in.Status), 0)
		return
	}
	p, err := readParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	result, aerr := s.run(method, p, false)
	if aerr != nil {
		writeError(w, aerr.code, aerr.desc, aerr.retryAfter)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// run runs a method and records the call.
func (s *Sim) run(method string, p params, fromWebhook bool) (any, *apiError) {
	fn, ok := methods[method]
	if !ok {
		s.record(Call{Method: method, Status: http.StatusNotFound, Description: "Not Found", Webhook: fromWebhook})
		return nil, &apiError{code: http.StatusNotFound, desc: "Not Found"}
	}
	result, aerr := fn(s, p)
	c := Call{Method: method, Status: http.StatusOK, Webhook: fromWebhook}
	if aerr != nil {
		c.Status, c.Description, c.RetryAfter = aerr.code, aerr.desc, aerr.retryAfter
	}
	s.record(c)
	return result, aerr
}

// record keeps a call.
func (s *Sim) record(c Call) {
	s.mu.Lock()
	c.At = s.cfg.Now()
	s.calls = append(s.calls, c)
	s.notify()
	s.mu.Unlock()
}

// Calls are the Bot API calls answered so far.
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

func (s *Sim) getMe(params) (any, *apiError) {
	id, _, _ := strings.Cut(s.cfg.Token, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	return map[string]any{"id": n, "is_bot": true, "first_name": "Switchboard simulator", "username": s.cfg.Username, "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false}, nil
}
