package chatwootsim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// profile answers GET /api/v1/profile: the token's user with its accounts.
func (s *Server) profile(w http.ResponseWriter, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	accounts := []map[string]any{}
	current := int64(0)
	for _, a := range s.cfg.Accounts {
		if role, ok := u.Roles[a.ID]; ok {
			accounts = append(accounts, map[string]any{"id": a.ID, "name": a.Name, "role": role, "status": "active", "active_at": nil})
			if current == 0 {
				current = a.ID
			}
		}
	}
	out := userData(u)
	out["email"], out["account_id"], out["accounts"], out["access_token"] = u.Email, current, accounts, u.Token
	out["role"] = u.Roles[current]
	writeJSON(w, http.StatusOK, out)
}

// listInboxes answers {payload: [inbox…]}.
func (s *Server) listInboxes(w http.ResponseWriter, account int64, c who) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, in := range s.inboxes {
		if in.AccountID == account {
			out = append(out, inboxData(in, c.role(account) == "administrator"))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"payload": out})
}

func (s *Server) getInbox(w http.ResponseWriter, account, id int64, c who) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.inbox(account, id)
	if in == nil {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	writeJSON(w, http.StatusOK, inboxData(in, c.role(account) == "administrator"))
}

// inboxIn is an inbox as a client creates or updates it.
type inboxIn struct {
	Name                     *string `json:"name"`
	EnableAutoAssignment     *bool   `json:"enable_auto_assignment"`
	LockToSingleConversation *bool   `json:"lock_to_single_conversation"`
	CSATSurveyEnabled        *bool   `json:"csat_survey_enabled"`
	Channel                  *struct {
		Type          *string `json:"type"`
		WebhookURL    *string `json:"webhook_url"`
		HMACMandatory *bool   `json:"hmac_mandatory"`
	} `json:"channel"`
}

// applySettings sets the inbox settings the request has.
func (in inboxIn) applySettings(ib *Inbox) {
	if in.EnableAutoAssignment != nil {
		ib.EnableAutoAssignment = *in.EnableAutoAssignment
	}
	if in.LockToSingleConversation != nil {
		ib.LockToSingleConversation = *in.LockToSingleConversation
	}
	if in.CSATSurveyEnabled != nil {
		ib.CSATSurveyEnabled = *in.CSATSurveyEnabled
	}
}

// validWebhook reports whether a webhook URL is one Chatwoot accepts: http
// or https, with a host.
func validWebhook(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// decodeAdmin reads the body of an administrator's request; anyone else
// is refused.
func decodeAdmin(w http.ResponseWriter, r *http.Request, account int64, c who, v any) bool {
	if c.role(account) != "administrator" {
		writeError(w, http.StatusUnauthorized, "You are not authorized to do this action")
		return false
	}
	return decodeBody(w, r, v)
}

// createInbox answers POST /inboxes: administrators only; api channels in
// full, web_widget ones enough to refuse incoming messages.
func (s *Server) createInbox(w http.ResponseWriter, r *http.Request, account int64, c who) {
	var in inboxIn
	if !decodeAdmin(w, r, account, c, &in) {
		return
	}
	var errs []fieldError
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		errs = append(errs, fieldError{"name", "Name can't be blank"})
	}
	kind := ""
	if in.Channel != nil && in.Channel.Type != nil {
		kind = *in.Channel.Type
	}
	channelType := map[string]string{"api": "Channel::Api", "web_widget": "Channel::WebWidget"}[kind]
	switch {
	case channelType == "":
		writeError(w, http.StatusUnprocessableEntity, "Invalid channel type: "+kind)
		return
	case channelType == "Channel::Api" && in.Channel.WebhookURL != nil && *in.Channel.WebhookURL != "" && !validWebhook(*in.Channel.WebhookURL):
		errs = append(errs, fieldError{"webhook_url", "Webhook url is invalid"})
	}
	if len(errs) > 0 {
		writeInvalid(w, errs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ib := &Inbox{
		ID: s.id("inbox"), AccountID: account, Name: strings.TrimSpace(*in.Name), ChannelType: channelType, ChannelID: s.id("channel"),
		HMACToken: token(), EnableAutoAssignment: true, CSATSurveyEnabled: s.cfg.CSATSurvey,
	}
	if ib.api() {
		ib.Identifier = token()
		if !s.cfg.Unsigned {
			ib.Secret = token() + token()
		}
		if in.Channel.WebhookURL != nil {
			ib.WebhookURL = *in.Channel.WebhookURL
		}
		if in.Channel.HMACMandatory != nil {
			ib.HMACMandatory = *in.Channel.HMACMandatory
		}
	}
	in.applySettings(ib)
	s.inboxes = append(s.inboxes, ib)
	writeJSON(w, http.StatusOK, inboxData(ib, true))
}

// updateInbox answers PATCH /inboxes/{id}: its name and settings, and the
// API channel's webhook_url and hmac_mandatory.
func (s *Server) updateInbox(w http.ResponseWriter, r *http.Request, account, id int64, c who) {
	var in inboxIn
	if !decodeAdmin(w, r, account, c, &in) {
		return
	}
	inLock(s, w, func() *Inbox { return s.inbox(account, id) }, func(ib *Inbox) {
		if in.Channel != nil && in.Channel.WebhookURL != nil && *in.Channel.WebhookURL != "" && !validWebhook(*in.Channel.WebhookURL) {
			writeInvalid(w, []fieldError{{"webhook_url", "Webhook url is invalid"}})
			return
		}
		if in.Name != nil && strings.TrimSpace(*in.Name) != "" {
			ib.Name = strings.TrimSpace(*in.Name)
		}
		in.applySettings(ib)
		if in.Channel != nil && ib.api() {
			if in.Channel.WebhookURL != nil {
				ib.WebhookURL = *in.Channel.WebhookURL
			}
			if in.Channel.HMACMandatory != nil {
				ib.HMACMandatory = *in.Channel.HMACMandatory
			}
		}
		writeJSON(w, http.StatusOK, inboxData(ib, true))
	})
}

// SetWebhook changes an inbox's webhook URL, as an administrator may in the
// dashboard.
func (s *Server) SetWebhook(inboxID int64, url string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.inboxes {
		if in.ID == inboxID {
			in.WebhookURL = url
			return nil
		}
	}
	return fmt.Errorf("chatwoot simulator: no inbox %d", inboxID)
}
