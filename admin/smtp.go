package admin

import (
	"net/http"

	"switchboard"
	"switchboard/csml/smtphost"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/livechat"
)

// smtpOut is a bot's own SMTP account as the API shows it: the password
// masked, never shown back.
type smtpOut struct {
	BotID   string            `json:"bot_id"`
	Account *smtphost.Account `json:"account"`
}

// getSMTP answers a bot's SMTP account (null for none).
func (h *handler) getSMTP(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var a *smtphost.Account
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), botID); err != nil {
			return err
		}
		var err error
		a, err = engine.LoadSMTPAccount(r.Context(), tx, h.Sealer, botID)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if a != nil && a.Password != "" {
		a.Password = livechat.Mask
	}
	httpx.WriteJSON(w, http.StatusOK, smtpOut{BotID: botID, Account: a})
}

// putSMTP saves a bot's SMTP account: checked, password sealed. A password
// sent back masked or empty keeps the stored one.
func (h *handler) putSMTP(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var a smtphost.Account
	if err := httpx.DecodeJSON(w, r, maxBody, true, &a); err != nil {
		h.fail(w, r, err)
		return
	}
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), botID); err != nil {
			return err
		}
		if a.Password == livechat.Mask || a.Password == "" && a.Username != "" {
			old, err := engine.LoadSMTPAccount(r.Context(), tx, h.Sealer, botID)
			if err != nil {
				return err
			}
			a.Password = ""
			if old != nil {
				a.Password = old.Password
			}
		}
		return engine.SaveSMTPAccount(r.Context(), tx, h.Sealer, botID, &a)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: SMTP account saved", "bot", botID, "host", a.Host)
	h.getSMTP(w, r)
}

// deleteSMTP removes a bot's SMTP account.
func (h *handler) deleteSMTP(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), botID); err != nil {
			return err
		}
		return engine.SaveSMTPAccount(r.Context(), tx, h.Sealer, botID, nil)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: SMTP account removed", "bot", botID)
	h.getSMTP(w, r)
}
