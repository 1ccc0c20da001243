package desk

import (
	"net/http"

	"switchboard"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// languageOut is the answer of GET /desk/api/languages/{code}: a language's
// messages for the page, and every language the desk speaks.
type languageOut struct {
	Code      string            `json:"code"`
	Messages  map[string]string `json:"messages"`
	Languages []i18n.Language   `json:"languages"`
}

// language answers a language's messages; "auto" is the one the browser's
// Accept-Language prefers. It needs no sign-in: the sign-in form speaks it.
func (h *handler) language(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if code == "auto" {
		code = h.catalog.Match(r.Header.Get("Accept-Language"))
	}
	if code != i18n.Default && !h.catalog.Has(code) {
		h.fail(w, r, switchboard.Errorf(switchboard.ENOTFOUND, "the desk does not speak %q: use one of GET /desk/api/languages/auto's languages", code))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, languageOut{Code: code, Messages: h.catalog.Messages(code), Languages: h.catalog.Languages()})
}
