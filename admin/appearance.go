package admin

import (
	"net/http"

	"switchboard"
	"switchboard/appearance"
	"switchboard/httpx"
	"switchboard/internal/i18n"
)

// maxAppearanceBody bounds an appearance: it may carry an uploaded logo.
const maxAppearanceBody = 2*appearance.MaxLogoBytes + maxBody

// appearanceOut is a bot's appearance as its page shows it: what is saved,
// what shows for what is not, and the languages the pages speak.
type appearanceOut struct {
	BotID      string                `json:"bot_id"`
	Appearance appearance.Appearance `json:"appearance"`
	Defaults   appearance.Appearance `json:"defaults"`
	Languages  []i18n.Language       `json:"languages"`
	// Texts are the chat page's texts the preview shows, per language.
	Texts map[string]map[string]string `json:"texts"`
}

// previewTexts are the chat page's texts the preview shows.
var previewTexts = []string{"Type a message…", "Send"}

// getAppearance answers a bot's appearance.
func (h *handler) getAppearance(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var a appearance.Appearance
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), botID); err != nil {
			return err
		}
		var err error
		a, err = appearance.Load(r.Context(), tx, botID)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defaults := appearance.Appearance{Name: botID}.Resolved(i18n.Default)
	if b, ok := h.Engine.Bots().Get(botID); ok && b.Version.Bot.Name != "" {
		defaults.Name = b.Version.Bot.Name
	}
	out := appearanceOut{BotID: botID, Appearance: a, Defaults: defaults, Languages: h.Languages.Languages(), Texts: map[string]map[string]string{}}
	for _, l := range out.Languages {
		out.Texts[l.Code] = map[string]string{}
		for _, k := range previewTexts {
			out.Texts[l.Code][k] = h.Languages.T(l.Code, k)
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// putAppearance replaces a bot's appearance, checked: colours readable,
// logo an https URL or an image, a language the pages speak.
func (h *handler) putAppearance(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var a appearance.Appearance
	if err := httpx.DecodeJSON(w, r, maxAppearanceBody, true, &a); err != nil {
		h.fail(w, r, err)
		return
	}
	err := a.Check(func(code string) bool { return code == i18n.Default || h.Languages.Has(code) })
	if err == nil {
		err = h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
			if _, err := tx.LatestBot(r.Context(), botID); err != nil {
				return err
			}
			return appearance.Save(r.Context(), tx, botID, a)
		})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: appearance saved", "bot", botID)
	h.getAppearance(w, r)
}
