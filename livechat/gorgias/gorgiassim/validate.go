package gorgiassim

import (
	"net/url"
	"strconv"
	"strings"
)

// Channels and vias Gorgias accepts on tickets and messages.
var (
	channels = set("aircall", "api", "chat", "contact_form", "email", "facebook", "facebook-mention", "facebook-messenger",
		"facebook-recommendations", "help-center", "instagram-ad-comment", "instagram-comment", "instagram-direct-message",
		"instagram-mention", "internal-note", "phone", "sms", "twitter", "twitter-direct-message", "whatsapp", "yotpo-review")
	vias = union(channels, set("form", "gorgias_chat", "helpdesk", "instagram", "offline_capture", "rule", "self_service",
		"shopify", "twilio", "yotpo", "zendesk"))
)

func set(items ...string) map[string]bool {
	m := map[string]bool{}
	for _, i := range items {
		m[i] = true
	}
	return m
}

func union(a, b map[string]bool) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// missingField is marshmallow's complaint, as Gorgias answers it.
const missingField = "Missing data for required field."

// messageIn is a message as a client posts it; pointers tell a missing field
// from an empty one.
type messageIn struct {
	Channel       *string        `json:"channel"`
	Via           *string        `json:"via"`
	FromAgent     *bool          `json:"from_agent"`
	Public        *bool          `json:"public"`
	Sender        *personIn      `json:"sender"`
	Source        *Source        `json:"source"`
	Subject       *string        `json:"subject"`
	BodyText      *string        `json:"body_text"`
	BodyHTML      *string        `json:"body_html"`
	StrippedText  *string        `json:"stripped_text"`
	Attachments   []attachmentIn `json:"attachments"`
	ExternalID    *string        `json:"external_id"`
	MessageID     *string        `json:"message_id"`
	IntegrationID *int64         `json:"integration_id"`
	SentDatetime  *string        `json:"sent_datetime"`
	Macros        []MacroRef     `json:"macros"`
	Meta          map[string]any `json:"meta"`
	// ruleID is set by the helpdesk's rules, never by clients.
	ruleID *int64
}

// personIn references a customer or a user.
type personIn struct {
	ID    *int64  `json:"id"`
	Email *string `json:"email"`
	Name  *string `json:"name"`
}

type attachmentIn struct {
	URL         *string `json:"url"`
	Name        *string `json:"name"`
	ContentType *string `json:"content_type"`
	Size        *int64  `json:"size"`
	Public      *bool   `json:"public"`
}

// errs collects field complaints, nested the way marshmallow nests them.
type errs map[string]any

func (e errs) add(field, msg string) {
	if list, ok := e[field].([]string); ok {
		e[field] = append(list, msg)
		return
	}
	e[field] = []string{msg}
}

// nest puts a sub-object's complaints under a key ("messages" → "0" → …).
func (e errs) nest(key string, index int, sub errs) {
	if len(sub) == 0 {
		return
	}
	m, _ := e[key].(map[string]any)
	if m == nil {
		m = map[string]any{}
		e[key] = m
	}
	m[strconv.Itoa(index)] = map[string]any(sub)
}

// checkMessage validates a posted message and resolves its sender. The
// caller holds s.mu. A customer given by an unknown email is created, as
// Gorgias does.
func (s *Server) checkMessage(in *messageIn) (errs, *Person) {
	e := errs{}
	if in.Channel == nil {
		e.add("channel", missingField)
	} else if !channels[*in.Channel] {
		e.add("channel", "Must be one of the known channels (for example api, chat, email, internal-note).")
	}
	if in.Via == nil {
		e.add("via", missingField)
	} else if !vias[*in.Via] {
		e.add("via", "Must be one of the known vias (for example api, helpdesk, rule).")
	}
	if in.FromAgent == nil {
		e.add("from_agent", missingField)
	}
	if in.ExternalID != nil && len(*in.ExternalID) > 255 {
		e.add("external_id", "Longer than maximum length 255.")
	}
	if strOr(in.BodyText) == "" && strOr(in.BodyHTML) == "" && len(in.Attachments) == 0 {
		e.add("body_text", "A message needs body_text, body_html or attachments.")
	}
	for i, a := range in.Attachments {
		sub := errs{}
		for field, v := range map[string]*string{"url": a.URL, "name": a.Name, "content_type": a.ContentType} {
			if v == nil || strings.TrimSpace(*v) == "" {
				sub.add(field, missingField)
			}
		}
		if a.URL != nil && strings.TrimSpace(*a.URL) != "" && !absoluteURL(*a.URL) {
			sub.add("url", "Not a valid URL.")
		}
		if a.Size != nil && *a.Size < 0 {
			sub.add("size", "Must be greater than or equal to 0.")
		}
		e.nest("attachments", i, sub)
	}
	if len(e) > 0 {
		return e, nil
	}
	note := *in.Channel == "internal-note" || (in.Public != nil && !*in.Public)
	if note || *in.FromAgent {
		u, ok := s.findUser(in.Sender)
		if !ok {
			e.add("sender", "An agent's message or an internal note needs a sender that is a user (id or email).")
			return e, nil
		}
		return nil, userPerson(u)
	}
	c, msg := s.customerFor(in.Sender)
	if c == nil {
		e.add("sender", msg)
		return e, nil
	}
	return nil, customerPerson(c)
}

// findUser resolves a user reference. The caller holds s.mu.
func (s *Server) findUser(p *personIn) (User, bool) {
	if p == nil {
		return User{}, false
	}
	for _, u := range s.cfg.Users {
		if p.ID != nil && *p.ID == u.ID || p.ID == nil && p.Email != nil && strings.EqualFold(*p.Email, u.Email) {
			return u, true
		}
	}
	return User{}, false
}

// customerFor resolves a customer reference, creating the customer of an
// unknown email. The caller holds s.mu.
func (s *Server) customerFor(p *personIn) (*Customer, string) {
	switch {
	case p == nil || p.ID == nil && p.Email == nil:
		return nil, "An incoming message needs a sender that is a customer (id or email)."
	case p.ID != nil:
		if c := s.customer(*p.ID); c != nil {
			return c, ""
		}
		return nil, "Customer " + strconv.FormatInt(*p.ID, 10) + " does not exist."
	}
	if c := s.customerByEmail(*p.Email); c != nil {
		return c, ""
	}
	return s.addCustomer(Customer{Email: p.Email, Name: p.Name, Channels: []CustomerChannel{{Type: "email", Address: *p.Email, Preferred: true}}}), ""
}

func userPerson(u User) *Person {
	return &Person{ID: u.ID, Email: ptr(u.Email), Name: ptr(u.Name), Firstname: ptr(u.Firstname), Lastname: ptr(u.Lastname)}
}

func customerPerson(c *Customer) *Person {
	return &Person{ID: c.ID, Email: c.Email, Name: c.Name, Firstname: c.Firstname, Lastname: c.Lastname}
}

// absoluteURL reports whether s is an absolute http(s) URL, as marshmallow's
// URL field requires.
func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
