package desk

import (
	"encoding/json"
	"fmt"
	"net/http"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// preferences are an agent's own settings of the desk, kept as a setting
// document per agent (preferencesPrefix + the agent's id).
type preferences struct {
	// Language is the desk's language for the agent; empty follows the
	// browser's (its Accept-Language).
	Language string `json:"language"`
}

const preferencesPrefix = "desk-preferences:"

// preferencesOut is the answer of the preferences routes: what the agent
// chose, and the language the desk speaks to them now.
type preferencesOut struct {
	preferences
	Effective string `json:"effective_language"`
}

// loadPreferences reads an agent's preferences; none set is the zero value.
func loadPreferences(tx switchboard.Tx, r *http.Request, agentID string) (preferences, error) {
	var p preferences
	raw, err := tx.Setting(r.Context(), preferencesPrefix+agentID)
	if err != nil || raw == nil {
		return p, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("decode the desk preferences of agent %s: %w", agentID, err)
	}
	return p, nil
}

// answerPreferences writes the preferences with the language they make the
// desk speak: the chosen one while the catalogue has it, else the browser's.
func (h *handler) answerPreferences(w http.ResponseWriter, r *http.Request, p preferences) {
	out := preferencesOut{preferences: p, Effective: p.Language}
	if out.Effective == "" || (out.Effective != i18n.Default && !h.catalog.Has(out.Effective)) {
		out.Effective = h.catalog.Match(r.Header.Get("Accept-Language"))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getPreferences answers GET /desk/api/preferences.
func (h *handler) getPreferences(w http.ResponseWriter, r *http.Request, c *Caller) {
	var p preferences
	err := h.store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		p, err = loadPreferences(tx, r, c.Agent.ID)
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("read preferences: %w", err))
		return
	}
	h.answerPreferences(w, r, p)
}

// putPreferences answers PUT /desk/api/preferences: the agent's language, one
// the desk speaks, or "" to follow the browser.
func (h *handler) putPreferences(w http.ResponseWriter, r *http.Request, c *Caller) {
	var in struct {
		Language *string `json:"language"`
	}
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	switch {
	case in.Language == nil:
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, `"language" is missing: a language code such as "fr", or "" to follow the browser`))
		return
	case *in.Language != "" && *in.Language != i18n.Default && !h.catalog.Has(*in.Language):
		h.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "the desk does not speak %q: choose one of %s", *in.Language, codes(h.catalog)))
		return
	}
	p := preferences{Language: *in.Language}
	raw, _ := json.Marshal(p) // a string always encodes
	if err := h.store.Update(r.Context(), func(tx switchboard.Tx) error {
		return tx.PutSetting(r.Context(), preferencesPrefix+c.Agent.ID, raw)
	}); err != nil {
		h.fail(w, r, fmt.Errorf("save preferences: %w", err))
		return
	}
	h.answerPreferences(w, r, p)
}

// codes lists the catalogue's language codes, for an error message.
func codes(c *i18n.Catalog) string {
	s := ""
	for i, l := range c.Languages() {
		if i > 0 {
			s += ", "
		}
		s += l.Code
	}
	return s
}
