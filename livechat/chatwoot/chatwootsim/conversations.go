package chatwootsim

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"switchboard/internal/simkit"
)

// conversationIn is a conversation as a client creates it.
type conversationIn struct {
	SourceID             string         `json:"source_id"`
	InboxID              int64          `json:"inbox_id"`
	ContactID            int64          `json:"contact_id"`
	Status               string         `json:"status"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	Message              *struct {
		Content string `json:"content"`
	} `json:"message"`
}

// statuses a conversation can have.
var statuses = []string{"open", "resolved", "pending", "snoozed"}

// createConversation answers POST /conversations: the source_id must name
// a contact inbox of inbox_id; the conversation gets the account's next
// display id (or, with lock_to_single_conversation, is the contact inbox's
// last one).
func (s *Server) createConversation(w http.ResponseWriter, r *http.Request, account int64, c who) {
	var in conversationIn
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Status != "" && !slices.Contains(statuses, in.Status) {
		writeError(w, http.StatusUnprocessableEntity, "'"+in.Status+"' is not a valid status")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ib := s.inbox(account, in.InboxID)
	var ci *ContactInbox
	for _, x := range s.contactInboxs {
		if ib != nil && x.InboxID == ib.ID && x.SourceID == in.SourceID && in.SourceID != "" {
			ci = x
		}
	}
	if ci == nil {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	switch {
	case in.Status != "":
	case s.activeBot(ib.ID) != nil:
		in.Status = "pending" // an inbox with an active bot: the bot's turn first
	default:
		in.Status = "open"
	}
	if ib.LockToSingleConversation {
		for i := len(s.conversations) - 1; i >= 0; i-- {
			if cv := s.conversations[i]; cv.InboxID == ib.ID && cv.SourceID == ci.SourceID {
				writeJSON(w, http.StatusOK, s.conversationREST(cv))
				return
			}
		}
	}
	now := s.now()
	s.displayIDs[account]++
	cv := &Conversation{
		ID: s.id("conversation"), DisplayID: s.displayIDs[account], UUID: uuid(), AccountID: account, InboxID: ib.ID, ContactID: ci.ContactID,
		SourceID: ci.SourceID, Status: in.Status, AdditionalAttributes: in.AdditionalAttributes, CustomAttributes: in.CustomAttributes,
		CreatedAt: now, LastActivityAt: now, UpdatedAt: now,
	}
	s.conversations = append(s.conversations, cv)
	s.emitConversation("conversation_created", cv, nil)
	if in.Message != nil && in.Message.Content != "" {
		s.addMessage(cv, &Message{Content: &in.Message.Content, MessageType: TypeOutgoing}, c)
	}
	writeJSON(w, http.StatusOK, s.conversationREST(cv))
}

func (s *Server) getConversation(w http.ResponseWriter, account, id int64) {
	s.inConversation(w, account, id, func(cv *Conversation) {
		writeJSON(w, http.StatusOK, s.conversationREST(cv))
	})
}

// toggleStatus answers POST /conversations/{id}/toggle_status: to the
// status given, or between open and resolved without one.
func (s *Server) toggleStatus(w http.ResponseWriter, r *http.Request, account, id int64, c who) {
	var in struct {
		Status string `json:"status"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Status != "" && !slices.Contains(statuses, in.Status) {
		writeError(w, http.StatusUnprocessableEntity, "'"+in.Status+"' is not a valid status")
		return
	}
	s.inConversation(w, account, id, func(cv *Conversation) {
		if in.Status == "" {
			in.Status = map[bool]string{true: "open", false: "resolved"}[cv.Status == "resolved"]
		}
		s.setStatus(cv, in.Status, c.name())
		writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{}, "payload": map[string]any{"success": true, "current_status": cv.Status, "conversation_id": cv.DisplayID}})
	})
}

// name is how activity messages name the caller.
func (c who) name() string {
	if c.user != nil {
		return c.user.Name
	}
	if c.bot != nil {
		return c.bot.Name
	}
	return "the contact"
}

// statusActivities begin the activity message of a change to each status,
// before the name of who made it.
var statusActivities = map[string]string{"resolved": "Conversation was marked resolved by ", "open": "Conversation was reopened by ",
	"pending": "Conversation was marked pending by ", "snoozed": "Conversation was snoozed by "}

// Statuses are the conversation's status when each of its messages was
// made, as its activity messages tell the changes from initial (pending
// in an inbox with an agent bot): who had the conversation at each
// message.
func (cv Conversation) Statuses(initial string) []string {
	out := make([]string, len(cv.Messages))
	status := initial
	for i, m := range cv.Messages {
		if m.MessageType == TypeActivity {
			for st, prefix := range statusActivities {
				if strings.HasPrefix(m.Text(), prefix) {
					status = st
				}
			}
		}
		out[i] = status
	}
	return out
}

// setStatus moves a conversation to a status; a change adds the activity
// message agents see and emits conversation_status_changed then
// conversation_updated; resolving then
// sends the CSAT survey when the inbox has it on. This is Chatwoot's order:
// Conversation#execute_after_update_commit_callbacks dispatches
// conversation_status_changed (and conversation_updated, status being one
// of its keys) and queues the activity message (ActivityMessageHandler,
// message_type activity, never sent to webhooks by
// MessageFilterHelpers#webhook_sendable?); CsatSurveyListener answers the
// status change with CsatSurveyService, whose message is created after it
// and has its own message_created webhook. The caller holds s.mu.
func (s *Server) setStatus(cv *Conversation, status, by string) {
	if cv.Status == status {
		return
	}
	previous := cv.Status
	cv.Status, cv.UpdatedAt = status, s.now()
	text := statusActivities[status] + by
	s.addMessage(cv, &Message{Content: &text, MessageType: TypeActivity}, who{})
	changed := []map[string]any{{"status": map[string]any{"previous_value": previous, "current_value": status}}}
	s.emitConversation("conversation_status_changed", cv, changed)
	s.emitConversation("conversation_updated", cv, changed)
	switch status {
	case "open":
		s.emitBotConversation("conversation_opened", cv)
	case "resolved":
		s.emitBotConversation("conversation_resolved", cv)
	}
	if status != "resolved" {
		return
	}
	if in := s.inbox(cv.AccountID, cv.InboxID); in == nil || !in.CSATSurveyEnabled {
		return
	}
	if s.cfg.SurveyDelay <= 0 {
		s.csatSurvey(cv)
		return
	}
	time.AfterFunc(s.cfg.SurveyDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if cv.Status == "resolved" { // CsatSurveyService checks it when it runs
			s.csatSurvey(cv)
		}
	})
}

// csatSurvey sends a conversation's satisfaction survey, once, as
// CsatSurveyService does (app/services/csat_survey_service.rb, "not already
// sent": no input_csat message yet) through
// MessageTemplates::Template::CsatSurvey: a template message with no
// sender, content type input_csat, the default question
// (conversations.templates.csat_input_message_body) and display_type
// emoji. It is stored with its raw content: the REST API answers that;
// the survey's link is Conversation#csat_survey_link,
// {FRONTEND_URL}/survey/responses/{uuid}. The caller holds s.mu.
func (s *Server) csatSurvey(cv *Conversation) *Message {
	for _, m := range s.messages[cv.ID] {
		if m.ContentType == "input_csat" {
			return nil
		}
	}
	text := "Please rate the conversation"
	m := &Message{MessageType: TypeTemplate, ContentType: "input_csat", Content: &text, ContentAttributes: map[string]any{"display_type": "emoji"}}
	s.addMessage(cv, m, who{})
	return m
}

// toggleTyping answers POST /conversations/{id}/toggle_typing_status: it
// emits the typing event with the token's user, and answers nothing.
func (s *Server) toggleTyping(w http.ResponseWriter, r *http.Request, account, id int64, c who) {
	var in struct {
		TypingStatus string `json:"typing_status"`
		IsPrivate    bool   `json:"is_private"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.inConversation(w, account, id, func(cv *Conversation) {
		s.typing(cv, *c.user, in.TypingStatus == "on", in.IsPrivate)
		w.WriteHeader(http.StatusOK)
	})
}

// inConversation runs f with the account's conversation of display id id,
// holding s.mu, or answers 404 when there is none.
func (s *Server) inConversation(w http.ResponseWriter, account, id int64, f func(cv *Conversation)) {
	inLock(s, w, func() *Conversation { return s.conversation(account, id) }, f)
}

// inLock runs f with what find finds, holding s.mu, or answers 404 when it
// finds nothing.
func inLock[T any](s *Server, w http.ResponseWriter, find func() *T, f func(*T)) {
	simkit.InLock(&s.mu, find, func() { writeError(w, http.StatusNotFound, "Resource could not be found") }, f)
}
