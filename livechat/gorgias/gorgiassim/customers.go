package gorgiassim

import (
	"net/http"
	"strings"
)

// customerChannelTypes are the channel types Gorgias accepts on customers
// besides the slugs of new channels
// (https://developers.gorgias.com/reference/create-customer).
var customerChannelTypes = set("email", "phone", "chat", "twitter", "facebook", "instagram", "instagram-direct-message", "whatsapp")

// checkCustomer validates what Gorgias checks on a customer a client sends
// (read into a Customer: the simulator sets what clients may not, the ids
// and datetimes). Creating one requires channels, even for a customer with
// no email and no phone: Gorgias answers "channels: Missing data for
// required field." (https://developers.gorgias.com/reference/create-customer).
func checkCustomer(in Customer, creating bool) errs {
	e := errs{}
	if creating && in.Channels == nil {
		e.add("channels", missingField)
	}
	if in.Email != nil && *in.Email != "" && !strings.Contains(*in.Email, "@") {
		e.add("email", "Not a valid email address.")
	}
	if in.ExternalID != nil && len(*in.ExternalID) > 255 {
		e.add("external_id", "Longer than maximum length 255.")
	}
	for i, c := range in.Channels {
		sub := errs{}
		if c.Type == "" {
			sub.add("type", missingField)
		} else if !customerChannelTypes[c.Type] {
			sub.add("type", "Must be one of: email, phone, chat, twitter, facebook, instagram, instagram-direct-message, whatsapp.")
		}
		if c.Address == "" {
			sub.add("address", missingField)
		}
		e.nest("channels", i, sub)
	}
	return e
}

// addCustomer stores a new customer. The caller holds s.mu.
func (s *Server) addCustomer(c Customer) *Customer {
	c.ID = s.id("customer")
	c.CreatedDatetime = timestamp(s.now())
	c.UpdatedDatetime = c.CreatedDatetime
	for i := range c.Channels {
		c.Channels[i].ID = s.id("channel")
	}
	if c.Channels == nil {
		c.Channels = []CustomerChannel{}
	}
	if c.Meta == nil {
		c.Meta = map[string]any{}
	}
	if c.Data == nil {
		c.Data = map[string]any{}
	}
	c.Integrations = map[string]any{}
	s.customers = append(s.customers, &c)
	return &c
}

// customer finds a customer by id. The caller holds s.mu.
func (s *Server) customer(id int64) *Customer {
	for _, c := range s.customers {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// customerByEmail finds a customer by email, ignoring case, as Gorgias's
// uniqueness does. The caller holds s.mu.
func (s *Server) customerByEmail(email string) *Customer {
	for _, c := range s.customers {
		if c.Email != nil && strings.EqualFold(*c.Email, email) {
			return c
		}
	}
	return nil
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	limit, cur, ok := pageQuery(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	var out []Customer
	for _, c := range s.customers {
		if v := q.Get("email"); v != "" && (c.Email == nil || !strings.EqualFold(*c.Email, v)) {
			continue
		}
		if v := q.Get("external_id"); v != "" && strOr(c.ExternalID) != v {
			continue
		}
		out = append(out, *c)
	}
	s.mu.Unlock()
	writePage(w, out, func(c Customer) int64 { return c.ID }, limit, cur)
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	var in Customer
	if !decodeBody(w, r, &in) {
		return
	}
	if e := checkCustomer(in, true); len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to create customer.", e)
		return
	}
	s.mu.Lock()
	if in.Email != nil && *in.Email != "" && s.customerByEmail(*in.Email) != nil {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "The resource already exists.", map[string]any{"email": []string{"A customer with this email already exists."}})
		return
	}
	c := s.addCustomer(in)
	out := *c
	s.mu.Unlock()
	writeJSON(w, s.cfg.CreateStatus, out)
}

func (s *Server) getCustomer(w http.ResponseWriter, id int64) {
	inLock(s, w, func() *Customer { return s.customer(id) }, func(c *Customer) { writeJSON(w, http.StatusOK, c) })
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request, id int64) {
	var in Customer
	if !decodeBody(w, r, &in) {
		return
	}
	if e := checkCustomer(in, false); len(e) > 0 {
		writeError(w, http.StatusBadRequest, "Failed to update customer.", e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customer(id)
	if c == nil {
		writeError(w, http.StatusNotFound, "Resource not found.", nil)
		return
	}
	if in.Email != nil && *in.Email != "" {
		if other := s.customerByEmail(*in.Email); other != nil && other.ID != id {
			writeError(w, http.StatusConflict, "The resource already exists.", nil)
			return
		}
		c.Email = in.Email
	}
	for _, f := range []struct {
		dst **string
		v   *string
	}{{&c.Name, in.Name}, {&c.Firstname, in.Firstname}, {&c.Lastname, in.Lastname}, {&c.ExternalID, in.ExternalID}, {&c.Note, in.Note}} {
		if f.v != nil {
			*f.dst = f.v
		}
	}
	if in.Meta != nil {
		c.Meta = in.Meta
	}
	if in.Data != nil {
		c.Data = in.Data
	}
	c.UpdatedDatetime = timestamp(s.now())
	writeJSON(w, http.StatusOK, *c)
}
