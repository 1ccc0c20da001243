package admin

import (
	"net/http"
	"time"

	"switchboard"
	"switchboard/csml"
	"switchboard/engine"
	"switchboard/httpx"
)

// botOut is a bot as the administration shows it.
type botOut struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	DefaultFlow string    `json:"default_flow"`
	VersionID   string    `json:"version_id"`
	CreatedAt   time.Time `json:"created_at"`
	// Loaded says whether the server runs this version.
	Loaded bool      `json:"loaded"`
	Flows  []flowOut `json:"flows"`
	// Diagnostics are the compiler's warnings (and, when validating, errors).
	Diagnostics []csml.Diagnostic `json:"diagnostics"`
}

type flowOut struct {
	Name     string   `json:"name"`
	Commands []string `json:"commands"`
	Content  string   `json:"content,omitempty"`
}

// botOf summarises a stored version; withContent adds the flows' sources.
func (h *handler) botOf(v switchboard.BotVersion, withContent bool) botOut {
	out := botOut{
		ID: v.Bot.ID, Name: v.Bot.Name, DefaultFlow: v.Bot.DefaultFlow, VersionID: v.VersionID,
		CreatedAt: v.CreatedAt, Flows: []flowOut{}, Diagnostics: []csml.Diagnostic{},
	}
	if b, ok := h.Engine.Bots().Get(v.Bot.ID); ok {
		out.Loaded = b.Version.VersionID == v.VersionID
		if out.Loaded && b.Diagnostics != nil {
			out.Diagnostics = b.Diagnostics
		}
	}
	for _, f := range v.Bot.Flows {
		fo := flowOut{Name: f.Name, Commands: f.Commands}
		if withContent {
			fo.Content = f.Content
		}
		out.Flows = append(out.Flows, fo)
	}
	return out
}

// listBots answers every bot's latest version.
func (h *handler) listBots(w http.ResponseWriter, r *http.Request) {
	var vs []switchboard.BotVersion
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		vs, err = tx.ListBots(r.Context())
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []botOut{}
	for _, v := range vs {
		out = append(out, h.botOf(v, false))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"bots": out})
}

// importBot stores an uploaded bot as a new version and runs it. A bot that
// does not compile is refused with every error and its place.
func (h *handler) importBot(w http.ResponseWriter, r *http.Request) {
	bot, done, err := h.upload(w, r)
	defer done()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := switchboard.NewBotVersion(bot, h.Clock.Now())
	if _, err := engine.Compile(v); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.PutBotVersion(r.Context(), &v) }); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Engine.Bots().Put(v); err != nil {
		h.fail(w, r, err)
		return
	}
	h.botsChanged()
	h.Log.InfoContext(r.Context(), "admin: bot imported", "bot", v.Bot.ID, "version", v.VersionID)
	httpx.WriteJSON(w, http.StatusCreated, h.botOf(v, false))
}

// validation is the answer of POST /v1/admin/bots/validate.
type validation struct {
	Valid bool   `json:"valid"`
	Bot   botOut `json:"bot"`
}

// validateBot compiles an uploaded bot and answers every diagnostic
// (within csml.MaxDiagnostics), storing nothing.
func (h *handler) validateBot(w http.ResponseWriter, r *http.Request) {
	bot, done, err := h.upload(w, r)
	defer done()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := switchboard.NewBotVersion(bot, h.Clock.Now())
	out := validation{Valid: true, Bot: h.botOf(v, false)}
	out.Bot.Loaded = false
	for _, d := range engine.Diagnose(bot) {
		out.Bot.Diagnostics = append(out.Bot.Diagnostics, d)
		if d.Severity == csml.SeverityError {
			out.Valid = false
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getBot answers a bot's latest version with its flows' sources.
func (h *handler) getBot(w http.ResponseWriter, r *http.Request) {
	var v *switchboard.BotVersion
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		v, err = tx.LatestBot(r.Context(), r.PathValue("id"))
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.botOf(*v, true))
}

// botVersions answers every version of a bot, newest first.
func (h *handler) botVersions(w http.ResponseWriter, r *http.Request) {
	var vs []switchboard.BotVersion
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		vs, err = tx.BotVersions(r.Context(), r.PathValue("id"))
		return err
	})
	if err == nil && len(vs) == 0 {
		err = switchboard.Errorf(switchboard.ENOTFOUND, "bot %q not found", r.PathValue("id"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []botOut{}
	for _, v := range vs {
		out = append(out, h.botOf(v, false))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"versions": out})
}

// activateVersion makes an earlier version of a bot the one that runs.
func (h *handler) activateVersion(w http.ResponseWriter, r *http.Request) {
	var v *switchboard.BotVersion
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		vs, err := tx.BotVersions(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		for i := range vs {
			if vs[i].VersionID == r.PathValue("version") {
				v = &vs[i]
			}
		}
		if v == nil {
			return switchboard.Errorf(switchboard.ENOTFOUND, "bot %q has no version %q", r.PathValue("id"), r.PathValue("version"))
		}
		if _, err := engine.Compile(*v); err != nil {
			return err
		}
		v.CreatedAt = h.Clock.Now() // stored again, it becomes the latest
		return tx.PutBotVersion(r.Context(), v)
	})
	if err == nil {
		_, err = h.Engine.Bots().Put(*v)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.botsChanged()
	h.Log.InfoContext(r.Context(), "admin: bot version activated", "bot", v.Bot.ID, "version", v.VersionID)
	httpx.WriteJSON(w, http.StatusOK, h.botOf(*v, false))
}

// deleteBot removes a bot and stops running it. A bot with live livechat
// sessions is kept: its users would be left with nobody to answer.
func (h *handler) deleteBot(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		if err := engine.NoLiveSessions(r.Context(), tx, id); err != nil {
			return err
		}
		return tx.DeleteBot(r.Context(), id)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Engine.Bots().Remove(id)
	h.botsChanged()
	h.Log.InfoContext(r.Context(), "admin: bot deleted", "bot", id)
	w.WriteHeader(http.StatusNoContent)
}

// botsChanged tells the other instances to load the bots again.
func (h *handler) botsChanged() {
	if h.Notifier != nil {
		h.Notifier.Notify(switchboard.TopicBots)
	}
}
