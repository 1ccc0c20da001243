package chatwootsim

import (
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// e164 is Chatwoot's phone format.
var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// contactIn is a contact as a client creates or updates it.
type contactIn struct {
	InboxID              *int64         `json:"inbox_id"`
	Name                 *string        `json:"name"`
	Email                *string        `json:"email"`
	PhoneNumber          *string        `json:"phone_number"`
	Identifier           *string        `json:"identifier"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
}

// apply copies what the client gave onto c.
func (in contactIn) apply(c *Contact) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.Name, in.Name)
	set(&c.Email, in.Email)
	set(&c.PhoneNumber, in.PhoneNumber)
	set(&c.Identifier, in.Identifier)
	if in.AdditionalAttributes != nil {
		c.AdditionalAttributes = in.AdditionalAttributes
	}
	if in.CustomAttributes != nil {
		c.CustomAttributes = in.CustomAttributes
	}
}

// validate checks a contact as Chatwoot's model does: email format and
// uniqueness (case-insensitive), identifier uniqueness, phone in E.164 and
// unique, all per account. The caller holds s.mu.
func (s *Server) validate(c *Contact) []fieldError {
	var errs []fieldError
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			errs = append(errs, fieldError{"email", "Email Invalid email"})
		}
	}
	if c.PhoneNumber != "" && !e164.MatchString(c.PhoneNumber) {
		errs = append(errs, fieldError{"phone_number", "Phone number should be in e164 format"})
	}
	for _, o := range s.contacts {
		if o.ID == c.ID || o.AccountID != c.AccountID {
			continue
		}
		switch {
		case c.Email != "" && strings.EqualFold(o.Email, c.Email):
			errs = append(errs, fieldError{"email", "Email has already been taken"})
		case c.Identifier != "" && o.Identifier == c.Identifier:
			errs = append(errs, fieldError{"identifier", "Identifier has already been taken"})
		case c.PhoneNumber != "" && o.PhoneNumber == c.PhoneNumber:
			errs = append(errs, fieldError{"phone_number", "Phone number has already been taken"})
		}
	}
	return errs
}

// createContact answers POST /contacts: inbox_id is required; the contact
// joins that inbox under a source_id (a UUID for API inboxes).
func (s *Server) createContact(w http.ResponseWriter, r *http.Request, account int64) {
	var in contactIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.InboxID == nil || s.inbox(account, *in.InboxID) == nil {
		writeInvalid(w, []fieldError{{"inbox_id", "Inbox must exist"}})
		return
	}
	c := &Contact{AccountID: account, CreatedAt: s.now()}
	in.apply(c)
	if errs := s.validate(c); len(errs) > 0 {
		writeInvalid(w, errs)
		return
	}
	c.ID = s.id("contact")
	s.contacts = append(s.contacts, c)
	ci := s.addContactInbox(c, *in.InboxID, uuid())
	writeJSON(w, http.StatusOK, map[string]any{"payload": map[string]any{
		"contact":       s.contactData(c),
		"contact_inbox": map[string]any{"inbox": inboxData(s.inbox(account, *in.InboxID), false), "source_id": ci.SourceID},
	}})
}

// addContactInbox joins a contact to an inbox. The caller holds s.mu.
func (s *Server) addContactInbox(c *Contact, inbox int64, sourceID string) *ContactInbox {
	ci := &ContactInbox{ID: s.id("contact_inbox"), ContactID: c.ID, InboxID: inbox, SourceID: sourceID}
	s.contactInboxs = append(s.contactInboxs, ci)
	return ci
}

// contactsPage answers a page of contacts: {meta: {count, current_page},
// payload}, 15 a page as Chatwoot's search.
func (s *Server) contactsPage(w http.ResponseWriter, r *http.Request, found []*Contact) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	const perPage = 15
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < len(found) && i < page*perPage; i++ {
		out = append(out, s.contactData(found[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{"count": len(found), "current_page": page}, "payload": out})
}

// searchContacts answers GET /contacts/search?q=: contacts with an
// identifier, email or phone whose name, email, phone or identifier
// contains q (case-insensitive).
func (s *Server) searchContacts(w http.ResponseWriter, r *http.Request, account int64) {
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*Contact
	for _, c := range s.contacts {
		if c.AccountID != account || !c.resolved() {
			continue
		}
		for _, f := range []string{c.Name, c.Email, c.PhoneNumber, c.Identifier} {
			if q != "" && strings.Contains(strings.ToLower(f), q) {
				found = append(found, c)
				break
			}
		}
	}
	s.contactsPage(w, r, found)
}

// filterContacts answers POST /contacts/filter with
// {"payload":[{"attribute_key","filter_operator","values"}]}: every
// condition must hold (equal_to, not_equal_to, contains on name, email,
// phone_number, identifier).
func (s *Server) filterContacts(w http.ResponseWriter, r *http.Request, account int64) {
	var in struct {
		Payload []struct {
			AttributeKey   string   `json:"attribute_key"`
			FilterOperator string   `json:"filter_operator"`
			Values         []string `json:"values"`
		} `json:"payload"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*Contact
	for _, c := range s.contacts {
		if c.AccountID != account {
			continue
		}
		ok := true
		for _, f := range in.Payload {
			v := map[string]string{"name": c.Name, "email": c.Email, "phone_number": c.PhoneNumber, "identifier": c.Identifier}[f.AttributeKey]
			match := false
			for _, want := range f.Values {
				switch f.FilterOperator {
				case "equal_to", "not_equal_to":
					match = match || strings.EqualFold(v, want)
				case "contains":
					match = match || strings.Contains(strings.ToLower(v), strings.ToLower(want))
				}
			}
			ok = ok && match == (f.FilterOperator != "not_equal_to")
		}
		if ok {
			found = append(found, c)
		}
	}
	s.contactsPage(w, r, found)
}

// getContact answers GET /contacts/{id}: the contact with its inboxes.
func (s *Server) getContact(w http.ResponseWriter, account, id int64) {
	inLock(s, w, func() *Contact { return s.contact(account, id) }, func(c *Contact) {
		out := s.contactData(c)
		inboxes := []map[string]any{}
		for _, ci := range s.contactInboxs {
			if ci.ContactID == c.ID {
				inboxes = append(inboxes, map[string]any{"source_id": ci.SourceID, "inbox": inboxData(s.inbox(account, ci.InboxID), false)})
			}
		}
		out["contact_inboxes"] = inboxes
		writeJSON(w, http.StatusOK, map[string]any{"payload": out})
	})
}

// updateContact answers PUT /contacts/{id}, with the same validations.
func (s *Server) updateContact(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in contactIn
	if !decodeBody(w, r, &in) {
		return
	}
	inLock(s, w, func() *Contact { return s.contact(account, id) }, func(c *Contact) {
		next := *c
		in.apply(&next)
		if errs := s.validate(&next); len(errs) > 0 {
			writeInvalid(w, errs)
			return
		}
		*c = next
		writeJSON(w, http.StatusOK, map[string]any{"payload": s.contactData(c)})
	})
}

// createContactInbox answers POST /contacts/{id}/contact_inboxes: a
// source_id already used in the inbox is 422.
func (s *Server) createContactInbox(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in struct {
		InboxID  int64  `json:"inbox_id"`
		SourceID string `json:"source_id"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ib := s.contact(account, id), s.inbox(account, in.InboxID)
	if c == nil || ib == nil {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	if in.SourceID == "" {
		in.SourceID = uuid()
	}
	for _, x := range s.contactInboxs {
		if x.InboxID == ib.ID && x.SourceID == in.SourceID {
			writeInvalid(w, []fieldError{{"source_id", "Source has already been taken"}})
			return
		}
	}
	ci := s.addContactInbox(c, ib.ID, in.SourceID)
	writeJSON(w, http.StatusOK, map[string]any{"id": ci.ID, "source_id": ci.SourceID, "inbox": inboxData(ib, false)})
}

// contactConversations answers GET /contacts/{id}/conversations: the
// contact's 20 most recently active conversations.
func (s *Server) contactConversations(w http.ResponseWriter, account, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contact(account, id) == nil {
		writeError(w, http.StatusNotFound, "Resource could not be found")
		return
	}
	var convs []*Conversation
	for _, c := range s.conversations {
		if c.AccountID == account && c.ContactID == id {
			convs = append(convs, c)
		}
	}
	slices.SortStableFunc(convs, func(a, b *Conversation) int { return b.LastActivityAt.Compare(a.LastActivityAt) })
	out := []map[string]any{}
	for _, c := range convs[:min(len(convs), 20)] {
		out = append(out, s.conversationREST(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"payload": out})
}
