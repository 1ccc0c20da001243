package chatwootsim

import (
	"net/http"
	"strings"
)

// The sign-off canned response every account starts with: the text CSML
// Studio suggests, ending with the sign-off token.
const (
	SignOffShortCode = "signoff"
	SignOffText      = "Let us know if we can do anything else for you - we are here to help.\n\nLIVECHAT_SESSION_END"
)

// listCanned answers GET /canned_responses: a plain array.
func (s *Server) listCanned(w http.ResponseWriter, account int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []CannedResponse{}
	for _, c := range s.canned {
		if c.AccountID == account {
			out = append(out, *c)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// saveCanned answers POST /canned_responses (id 0) and PATCH or PUT
// /canned_responses/{id}: short_code and content are required, the short
// code unique in the account.
func (s *Server) saveCanned(w http.ResponseWriter, r *http.Request, account, id int64) {
	var in struct {
		ShortCode *string `json:"short_code"`
		Content   *string `json:"content"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &CannedResponse{AccountID: account}
	if id != 0 {
		if c = s.cannedByID(account, id); c == nil {
			writeError(w, http.StatusNotFound, "Resource could not be found")
			return
		}
	}
	next := *c
	if in.ShortCode != nil {
		next.ShortCode = strings.TrimSpace(*in.ShortCode)
	}
	if in.Content != nil {
		next.Content = *in.Content
	}
	var errs []fieldError
	if next.ShortCode == "" {
		errs = append(errs, fieldError{"short_code", "Short code can't be blank"})
	}
	if strings.TrimSpace(next.Content) == "" {
		errs = append(errs, fieldError{"content", "Content can't be blank"})
	}
	for _, o := range s.canned {
		if o.AccountID == account && o.ID != next.ID && o.ShortCode == next.ShortCode {
			errs = append(errs, fieldError{"short_code", "Short code has already been taken"})
		}
	}
	if len(errs) > 0 {
		writeInvalid(w, errs)
		return
	}
	if id == 0 {
		next.ID = s.id("canned")
		s.canned = append(s.canned, c)
	}
	*c = next
	writeJSON(w, http.StatusOK, *c)
}

func (s *Server) deleteCanned(w http.ResponseWriter, account, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.canned {
		if c.AccountID == account && c.ID == id {
			s.canned = append(s.canned[:i], s.canned[i+1:]...)
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	writeError(w, http.StatusNotFound, "Resource could not be found")
}

// cannedByID and cannedByCode find a canned response. The caller holds
// s.mu.
func (s *Server) cannedByID(account, id int64) *CannedResponse {
	for _, c := range s.canned {
		if c.AccountID == account && c.ID == id {
			return c
		}
	}
	return nil
}

func (s *Server) cannedByCode(account int64, code string) *CannedResponse {
	for _, c := range s.canned {
		if c.AccountID == account && c.ShortCode == code {
			return c
		}
	}
	return nil
}
