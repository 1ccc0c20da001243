package chatwootsim

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxContent is the longest message content Chatwoot keeps.
const maxContent = 150_000

// maxUpload bounds a multipart message, files included. Chatwoot's own
// limit is UNCONFIRMED; this one is above switchboard's default file limit
// (10 MiB) so that every file switchboard takes reaches the simulator.
const maxUpload = 40 << 20

// messageIn is a message as a client posts it, as JSON or as form fields.
type messageIn struct {
	Content           *string        `json:"content"`
	MessageType       string         `json:"message_type"`
	Private           bool           `json:"private"`
	ContentType       string         `json:"content_type"`
	SourceID          string         `json:"source_id"`
	ContentAttributes map[string]any `json:"content_attributes"`
	files             []Attachment
}

// readMessage reads a message posted as JSON, or as multipart/form-data
// with its files as attachments[].
func readMessage(w http.ResponseWriter, r *http.Request) (messageIn, bool) {
	var in messageIn
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return in, decodeBody(w, r, &in)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid multipart body")
		return in, false
	}
	if v, ok := r.MultipartForm.Value["content"]; ok && len(v) > 0 {
		in.Content = &v[0]
	}
	in.MessageType, in.ContentType, in.SourceID = r.FormValue("message_type"), r.FormValue("content_type"), r.FormValue("source_id")
	in.Private, _ = strconv.ParseBool(r.FormValue("private"))
	for _, fh := range r.MultipartForm.File["attachments[]"] {
		f, err := fh.Open()
		if err != nil {
			continue
		}
		data, _ := io.ReadAll(f)
		f.Close()
		in.files = append(in.files, Attachment{FileType: fileType(fh.Header.Get("Content-Type")), FileName: fh.Filename, FileSize: len(data), data: data})
	}
	return in, true
}

// fileType is Chatwoot's file_type for a content type.
func fileType(contentType string) string {
	for _, t := range []string{"image", "audio", "video"} {
		if strings.HasPrefix(contentType, t+"/") {
			return t
		}
	}
	return "file"
}

// createMessage answers POST /conversations/{id}/messages. Incoming
// messages are the contact's and only API inboxes take them; outgoing ones
// are the token's user's (or bot's).
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, account, id int64, c who) {
	in, ok := readMessage(w, r)
	if !ok {
		return
	}
	if in.MessageType == "" {
		in.MessageType = "outgoing"
	}
	s.inConversation(w, account, id, func(cv *Conversation) {
		kind := slices.Index(typeNames, in.MessageType)
		switch {
		case kind != TypeIncoming && kind != TypeOutgoing && kind != TypeTemplate:
			writeError(w, http.StatusUnprocessableEntity, "'"+in.MessageType+"' is not a valid message_type")
			return
		case kind == TypeIncoming && !s.inbox(account, cv.InboxID).api():
			writeError(w, http.StatusUnprocessableEntity, "Incoming messages are only allowed in Api inboxes")
			return
		case in.Content != nil && utf8.RuneCountInString(*in.Content) > maxContent:
			writeInvalid(w, []fieldError{{"content", "Content is too long (maximum is 150000 characters)"}})
			return
		case checkInputSelect(in) != nil:
			writeInvalid(w, checkInputSelect(in))
			return
		case s.flooded(cv):
			writeInvalid(w, []fieldError{{"base", "Too many messages"}})
			return
		}
		m := &Message{Content: in.Content, MessageType: kind, Private: in.Private, ContentType: in.ContentType, SourceID: in.SourceID, ContentAttributes: in.ContentAttributes}
		for _, f := range in.files {
			f.ID = s.id("attachment")
			f.DataURL = s.URL + filePath + "/" + strconv.FormatInt(f.ID, 10) + "/" + f.FileName
			m.Attachments = append(m.Attachments, f)
		}
		s.addMessage(cv, m, c)
		writeJSON(w, http.StatusOK, s.messageREST(m, cv))
	})
}

// flooded reports whether a conversation got FloodLimit messages in the
// last minute. The caller holds s.mu.
func (s *Server) flooded(cv *Conversation) bool {
	if s.cfg.FloodLimit <= 0 {
		return false
	}
	n, since := 0, s.now().Add(-time.Minute)
	for _, m := range s.messages[cv.ID] {
		if m.CreatedAt.After(since) && m.MessageType != TypeActivity {
			n++
		}
	}
	return n >= s.cfg.FloodLimit
}

// addMessage stores a message with its sender (the contact for incoming
// messages, else from: a user, a bot, or nobody for activities and
// automations), emits message_created for every message but
// activities (private notes included, as Chatwoot does), and reopens a
// resolved conversation on an incoming one. The caller holds s.mu.
func (s *Server) addMessage(cv *Conversation, m *Message, from who) {
	m.ID, m.ConversationID, m.CreatedAt = s.id("message"), cv.ID, s.now()
	if m.ContentType == "" {
		m.ContentType = "text"
	}
	if m.Status == "" {
		m.Status = "sent"
	}
	if m.Attachments == nil {
		m.Attachments = []Attachment{}
	}
	switch {
	case m.MessageType == TypeIncoming:
		m.SenderType, m.SenderID = "Contact", cv.ContactID
	case from.user != nil:
		m.SenderType, m.SenderID = "User", from.user.ID
	case from.bot != nil:
		m.SenderType, m.SenderID = "AgentBot", from.bot.ID
	}
	s.messages[cv.ID] = append(s.messages[cv.ID], m)
	cv.LastActivityAt = m.CreatedAt
	if s.cfg.OnMessage != nil {
		s.cfg.OnMessage(*m)
	}
	if m.MessageType != TypeActivity {
		s.emitMessage("message_created", cv, m)
	}
	if m.MessageType == TypeIncoming && cv.Status == "resolved" {
		s.setStatus(cv, "open", "the contact")
	}
}

// listMessages answers GET /conversations/{id}/messages as Chatwoot's
// MessageFinder: the latest 20, 20 before an id, 100 after one, those
// between two (limit up to 250), without notes and activities when
// filter_internal_messages is set; oldest first, in {meta, payload}.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, account, id int64) {
	q := r.URL.Query()
	num := func(k string) int64 { n, _ := strconv.ParseInt(q.Get(k), 10, 64); return n }
	before, after, limit := num("before"), num("after"), int(num("limit"))
	if limit > 0 {
		limit = min(max(limit, 1), 250)
	}
	or := func(n int) int {
		if limit > 0 {
			return limit
		}
		return n
	}
	s.inConversation(w, account, id, func(cv *Conversation) {
		var ms []*Message
		for _, m := range s.messages[cv.ID] {
			if q.Get("filter_internal_messages") != "" && (m.Private || m.MessageType == TypeActivity) {
				continue
			}
			ms = append(ms, m)
		}
		var page []*Message
		switch {
		case after > 0 && before > 0:
			page = pick(ms, func(m *Message) bool { return m.ID >= after && m.ID < before }, or(1000), false)
		case before > 0:
			page = pick(ms, func(m *Message) bool { return m.ID < before }, or(20), true)
		case after > 0:
			page = pick(ms, func(m *Message) bool { return m.ID > after }, or(100), false)
		default:
			page = pick(ms, func(*Message) bool { return true }, or(20), true)
		}
		out := []map[string]any{}
		for _, m := range page {
			out = append(out, s.messageREST(m, cv))
		}
		ct := s.contact(account, cv.ContactID)
		meta := map[string]any{"labels": []string{}, "additional_attributes": orEmpty(cv.AdditionalAttributes), "contact": s.contactData(ct), "assignee": nil, "agent_last_seen_at": nil, "assignee_last_seen_at": nil}
		writeJSON(w, http.StatusOK, map[string]any{"meta": meta, "payload": out})
	})
}

// pick keeps up to n messages that match, the newest ones when newest is
// set (else the oldest), oldest first.
func pick(ms []*Message, match func(*Message) bool, n int, newest bool) []*Message {
	var out []*Message
	for _, m := range ms {
		if match(m) {
			out = append(out, m)
		}
	}
	if len(out) > n {
		if newest {
			out = out[len(out)-n:]
		} else {
			out = out[:n]
		}
	}
	return out
}

// updateMessage answers PATCH /conversations/{id}/messages/{mid}: the
// delivery status an API channel reports, API inboxes only.
func (s *Server) updateMessage(w http.ResponseWriter, r *http.Request, account, id, mid int64) {
	var in struct {
		Status        string `json:"status"`
		ExternalError string `json:"external_error"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cv, m := s.message(account, id, mid)
	switch {
	case m == nil:
		writeError(w, http.StatusNotFound, "Resource could not be found")
	case !s.inbox(account, cv.InboxID).api():
		writeError(w, http.StatusForbidden, "Message status update is only allowed for API inboxes")
	case !slices.Contains([]string{"sent", "delivered", "read", "failed"}, in.Status):
		writeError(w, http.StatusUnprocessableEntity, "'"+in.Status+"' is not a valid status")
	default:
		s.setMessageStatus(cv, m, in.Status, in.ExternalError)
		writeJSON(w, http.StatusOK, s.messageREST(m, cv))
	}
}

// setMessageStatus changes a message's status and emits message_updated.
// The caller holds s.mu.
func (s *Server) setMessageStatus(cv *Conversation, m *Message, status, externalError string) {
	if m.Status == status && m.ExternalError == externalError {
		return
	}
	m.Status, m.ExternalError = status, externalError
	s.emitMessage("message_updated", cv, m)
}

// deleteMessage answers DELETE /conversations/{id}/messages/{mid}: the
// message stays, its content replaced and its files gone.
func (s *Server) deleteMessage(w http.ResponseWriter, account, id, mid int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cv, m := s.message(account, id, mid)
	if m == nil {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	deleted := "This message was deleted"
	m.Content, m.Attachments, m.ContentAttributes = &deleted, []Attachment{}, map[string]any{"deleted": true}
	s.emitMessage("message_updated", cv, m)
	writeJSON(w, http.StatusOK, s.messageREST(m, cv))
}

// message finds a message of a conversation. The caller holds s.mu.
func (s *Server) message(account, id, mid int64) (*Conversation, *Message) {
	cv := s.conversation(account, id)
	if cv == nil {
		return nil, nil
	}
	for _, m := range s.messages[cv.ID] {
		if m.ID == mid {
			return cv, m
		}
	}
	return cv, nil
}

// filePath is where uploaded files are served.
const filePath = "/rails/active_storage/blobs"

// serveFile answers an uploaded file's data_url.
func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	id, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	n, _ := strconv.ParseInt(id, 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ms := range s.messages {
		for _, m := range ms {
			for _, a := range m.Attachments {
				if a.ID == n && a.data != nil {
					w.Header().Set("Content-Type", http.DetectContentType(a.data))
					_, _ = w.Write(a.data)
					return
				}
			}
		}
	}
	writeError(w, http.StatusNotFound, "Resource could not be found")
}

// snapshot copies a conversation with its messages. The caller holds s.mu.
func (s *Server) snapshot(cv *Conversation) Conversation {
	out := *cv
	out.Messages = nil
	if ct := s.contact(cv.AccountID, cv.ContactID); ct != nil {
		out.ContactName = ct.Name
	}
	for _, m := range s.messages[cv.ID] {
		c := *m
		c.Attachments = slices.Clone(m.Attachments)
		out.Messages = append(out.Messages, c)
	}
	return out
}
