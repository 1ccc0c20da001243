package telegramsim

import (
	"crypto/subtle"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Telegram's bounds (shared/spec/channels.md §4.3).
const (
	maxText     = 4096
	maxCaption  = 1024
	maxData     = 64
	maxAnswer   = 200
	maxDownload = 20 << 20
	// callbackTimeout is how long a press may wait for its answer.
	callbackTimeout = 15 * time.Second
)

// target finds the chat a send goes to: 400 chat not found for a chat that
// never started the bot, 403 for one that blocked it. The caller holds
// s.mu.
func (s *Sim) target(p params) (*Chat, *apiError) {
	raw := p.str("chat_id")
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	c := s.chats[id]
	if err != nil || c == nil {
		return nil, badRequest("chat not found")
	}
	if c.Blocked {
		return nil, &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
	}
	return c, nil
}

// flood keeps the sends for Telegram's limits: a burst then one message a
// second to a chat, and GlobalRate a second in all.
type flood struct {
	chat map[int64][]time.Time
	all  []time.Time
}

// admit reports how many seconds to wait before another message to chat,
// 0 when it may go now (then it is counted). The caller holds s.mu.
func (s *Sim) admit(chat int64) int {
	now := s.cfg.Now()
	if s.flood.chat == nil {
		s.flood.chat = map[int64][]time.Time{}
	}
	window := time.Duration(s.cfg.ChatBurst) * time.Second
	keep := func(ts []time.Time, span time.Duration) []time.Time {
		i := 0
		for i < len(ts) && now.Sub(ts[i]) >= span {
			i++
		}
		return ts[i:]
	}
	sent := keep(s.flood.chat[chat], window)
	all := keep(s.flood.all, time.Second)
	switch {
	case len(sent) >= s.cfg.ChatBurst:
		return max(1, int(math.Ceil(window.Seconds()-now.Sub(sent[0]).Seconds())))
	case len(all) >= s.cfg.GlobalRate:
		return 1
	}
	s.flood.chat[chat] = append(sent, now)
	s.flood.all = append(all, now)
	return 0
}

// tooMany is the 429 of flood control.
func tooMany(secs int) *apiError {
	return &apiError{code: http.StatusTooManyRequests, desc: "Too Many Requests: retry after " + strconv.Itoa(secs), retryAfter: secs}
}

// checkParseMode refuses an unknown parse_mode, and MarkdownV2 with a
// reserved character not escaped.
func checkParseMode(mode, text string) *apiError {
	switch mode {
	case "", "Markdown":
		return nil
	case "HTML":
		return checkHTML(text)
	case "MarkdownV2":
		// Formatting characters (_ * [ ] ( ) ~ `) are taken as markup; the
		// other reserved ones must be escaped everywhere.
		escaped := false
		for _, r := range text {
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case strings.ContainsRune(">#+-=|{}.!", r):
				return badRequest("can't parse entities: Character '%c' is reserved and must be escaped with the preceding '\\'", r)
			}
		}
		return nil
	}
	return badRequest("unsupported parse_mode")
}

// htmlTag matches a tag of parse_mode HTML: its closing slash and name.
var htmlTag = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>`)

// htmlTags are the tags parse_mode HTML takes.
var htmlTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true, "strike": true, "del": true,
	"span": true, "tg-spoiler": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true}

// checkHTML refuses a tag parse_mode HTML does not take, and tags that do
// not nest, in Telegram's words.
func checkHTML(text string) *apiError {
	var open []string
	for _, m := range htmlTag.FindAllStringSubmatchIndex(text, -1) {
		closing, name := m[3] > m[2], strings.ToLower(text[m[4]:m[5]])
		switch {
		case !htmlTags[name] && closing:
			return badRequest("can't parse entities: Unsupported end tag \"%s\" at byte offset %d", name, m[0])
		case !htmlTags[name]:
			return badRequest("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, m[0])
		case !closing:
			open = append(open, name)
		case len(open) == 0 || open[len(open)-1] != name:
			return badRequest("can't parse entities: Unexpected end tag at byte offset %d", m[0])
		default:
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return badRequest("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return nil
}

// keyboard reads and checks reply_markup's inline keyboard.
func keyboard(p params) ([][]Button, *apiError) {
	var rm struct {
		InlineKeyboard [][]Button `json:"inline_keyboard"`
	}
	if err := p.object("reply_markup", &rm); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range rm.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.Text == "":
				return nil, badRequest("text buttons are unallowed in the inline keyboard")
			case b.URL != "":
				if u, err := url.Parse(b.URL); err != nil || u.Host == "" {
					return nil, badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", b.URL)
				}
			case b.CallbackData == "" || len(b.CallbackData) > maxData:
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
		}
	}
	return rm.InlineKeyboard, nil
}

// add appends the bot's message to a chat and returns it as the Bot API
// does. The caller holds s.mu.
func (s *Sim) add(c *Chat, m Message) map[string]any {
	c.lastID++
	m.ID, m.FromBot, m.Date = c.lastID, true, s.cfg.Now()
	c.Messages = append(c.Messages, m)
	c.Action = ""
	s.notify()
	return s.jsonMessage(c, m)
}

// jsonMessage is a message as the Bot API writes it.
func (s *Sim) jsonMessage(c *Chat, m Message) map[string]any {
	out := map[string]any{"message_id": m.ID, "chat": c.jsonChat(), "date": m.Date.Unix()}
	if m.FromBot {
		bot, _ := s.getMe(nil)
		out["from"] = bot
	} else {
		out["from"] = c.jsonUser()
	}
	if m.Text != "" {
		out["text"] = m.Text
	}
	if m.Caption != "" {
		out["caption"] = m.Caption
	}
	if m.Location != nil {
		out["location"] = map[string]any{"latitude": m.Location[0], "longitude": m.Location[1]}
	}
	if !m.Edited.IsZero() {
		out["edit_date"] = m.Edited.Unix()
	}
	if len(m.Keyboard) > 0 {
		out["reply_markup"] = map[string]any{"inline_keyboard": m.Keyboard}
	}
	return out
}

func (s *Sim) sendMessage(p params) (any, *apiError) {
	text := p.str("text")
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return nil, badRequest("message text is empty")
	case n > maxText:
		return nil, badRequest("message is too long")
	}
	return s.send(p, Message{Text: text}, text)
}

// sendMedia sends a photo, video, audio or document by HTTP URL or by the
// file_id of a file the bot got.
func (s *Sim) sendMedia(p params, field string) (any, *apiError) {
	ref, caption := p.str(field), p.str("caption")
	if ref == "" {
		return nil, badRequest("there is no %s in the request", field)
	}
	if utf8.RuneCountInString(caption) > maxCaption {
		return nil, badRequest("message caption is too long")
	}
	if u, err := url.Parse(ref); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		s.mu.Lock()
		known := s.files[ref] != nil
		s.mu.Unlock()
		if !known {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
	}
	return s.send(p, Message{Media: field, File: ref, Caption: caption}, caption)
}

// send checks what every send shares (the markup of formatted, the
// keyboard, the chat, flood control) and adds m to the chat.
func (s *Sim) send(p params, m Message, formatted string) (any, *apiError) {
	m.ParseMode = p.str("parse_mode")
	if err := checkParseMode(m.ParseMode, formatted); err != nil {
		return nil, err
	}
	kb, aerr := keyboard(p)
	if aerr != nil {
		return nil, aerr
	}
	m.Keyboard = kb
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.target(p)
	if aerr != nil {
		return nil, aerr
	}
	if wait := s.admit(c.ID); wait > 0 {
		return nil, tooMany(wait)
	}
	return s.add(c, m), nil
}

// chatActions are the actions sendChatAction takes.
var chatActions = map[string]bool{"typing": true, "upload_photo": true, "record_video": true, "upload_video": true, "record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true, "find_location": true, "record_video_note": true, "upload_video_note": true}

// sendChatAction shows the action for 5 seconds, or until the bot's next
// message.
func (s *Sim) sendChatAction(p params) (any, *apiError) {
	action := p.str("action")
	if !chatActions[action] {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.target(p)
	if aerr != nil {
		return nil, aerr
	}
	c.Action, c.ActionUntil = action, s.cfg.Now().Add(5*time.Second)
	s.notify()
	return true, nil
}

// answerCallbackQuery stops a press's spinner, once, within its timeout.
func (s *Sim) answerCallbackQuery(p params) (any, *apiError) {
	text := p.str("text")
	if utf8.RuneCountInString(text) > maxAnswer {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[p.str("callback_query_id")]
	if cb == nil || cb.Answered || s.cfg.Now().Sub(cb.At) > callbackTimeout {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	cb.Answered, cb.Text = true, text
	s.notify()
	return true, nil
}

// getFile gives a file's path for the download URL.
func (s *Sim) getFile(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[p.str("file_id")]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	out := map[string]any{"file_id": f.ID, "file_unique_id": "u" + f.ID, "file_size": len(f.Data)}
	if len(f.Data) > maxDownload {
		return nil, badRequest("file is too big")
	}
	out["file_path"] = f.Path
	return out, nil
}

// serveFile answers /file/bot<token>/<file_path>.
func (s *Sim) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, _ := strings.Cut(rest, "/")
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.Token)) != 1 {
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	s.mu.Lock()
	f := s.files[s.paths[path]]
	s.mu.Unlock()
	if f == nil {
		writeError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	w.Header().Set("Content-Type", f.MimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, _ = w.Write(f.Data)
}
