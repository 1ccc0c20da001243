package desk

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/httpx"
)

// maxTitleRunes bounds a saved reply's title; its text has the bound of a reply.
const maxTitleRunes = 100

// listSavedReplies answers every saved reply, shared by all agents.
func (h *handler) listSavedReplies(w http.ResponseWriter, r *http.Request, _ *Caller) {
	var out []switchboard.SavedReply
	err := h.store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		out, err = tx.ListSavedReplies(r.Context())
		return err
	})
	if err != nil {
		h.fail(w, r, fmt.Errorf("list saved replies: %w", err))
		return
	}
	if out == nil {
		out = []switchboard.SavedReply{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"saved_replies": out})
}

// createSavedReply stores a new saved reply {title, text}.
func (h *handler) createSavedReply(w http.ResponseWriter, r *http.Request, _ *Caller) {
	var in struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	sr := &switchboard.SavedReply{
		ID: uuid.NewString(), Title: strings.TrimSpace(in.Title), Text: strings.TrimSpace(in.Text), CreatedAt: h.clock.Now(),
	}
	if err := checkSavedReply(sr); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.PutSavedReply(r.Context(), sr) }); err != nil {
		h.fail(w, r, fmt.Errorf("create saved reply: %w", err))
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, sr)
}

// checkSavedReply checks a new saved reply's title and text.
func checkSavedReply(sr *switchboard.SavedReply) error {
	switch {
	case sr.Title == "":
		return switchboard.Errorf(switchboard.EINVALID, "the saved reply needs a title")
	case sr.Text == "":
		return switchboard.Errorf(switchboard.EINVALID, "the saved reply needs a text")
	}
	if err := switchboard.CheckName("title", sr.Title, maxTitleRunes); err != nil {
		return err
	}
	return switchboard.CheckText("text", sr.Text, maxReplyRunes)
}

// deleteSavedReply removes a saved reply.
func (h *handler) deleteSavedReply(w http.ResponseWriter, r *http.Request, _ *Caller) {
	id := r.PathValue("id")
	if err := h.store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.DeleteSavedReply(r.Context(), id) }); err != nil {
		h.fail(w, r, fmt.Errorf("delete saved reply: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
