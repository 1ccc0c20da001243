package admin

import (
	"net/http"
	"strings"

	"switchboard"
	"switchboard/httpx"
)

// multibotIn is the body of PUT /v1/admin/channels/{id}/multibot.
type multibotIn struct {
	Multibot switchboard.MultiBots `json:"multibot"`
}

// maxMultibot bounds the bots one channel may reach.
const maxMultibot = 100

// setMultibot replaces the bots that conversations of a channel may switch
// to with goto ... in bot (the CSML engine request's multibot). Each is a
// stored bot; a goto names it by id or by name.
func (h *handler) setMultibot(w http.ResponseWriter, r *http.Request) {
	var in multibotIn
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := checkMultibot(in.Multibot); err != nil {
		h.fail(w, r, err)
		return
	}
	ch, err := h.updateChannel(r, func(tx switchboard.Tx, ch *switchboard.Channel) error {
		for i, b := range in.Multibot {
			if _, err := tx.LatestBot(r.Context(), b.ID); switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
				return switchboard.Errorf(switchboard.EINVALID, "multibot[%d]: bot %q does not exist: import it first", i, b.ID)
			} else if err != nil {
				return err
			}
		}
		ch.Multibot = in.Multibot
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: channel multibot set", "channel", ch.ID, "bots", len(ch.Multibot))
	httpx.WriteJSON(w, http.StatusOK, h.channelOf(*ch))
}

// checkMultibot refuses a list a goto could not tell apart: empty or
// repeated ids and names.
func checkMultibot(list switchboard.MultiBots) error {
	if len(list) > maxMultibot {
		return switchboard.Errorf(switchboard.EINVALID, "multibot lists %d bots: the limit is %d", len(list), maxMultibot)
	}
	seen := map[string]bool{}
	for i := range list {
		b := &list[i]
		b.ID, b.Name = strings.TrimSpace(b.ID), strings.TrimSpace(b.Name)
		if b.ID == "" {
			return switchboard.Errorf(switchboard.EINVALID, "multibot[%d].id is missing: the id of a bot the channel may switch to", i)
		}
		for _, name := range []string{b.ID, b.Name} {
			if name != "" && seen[name] {
				return switchboard.Errorf(switchboard.EINVALID, "multibot[%d]: %q names two bots: a goto ... in bot must find one", i, name)
			}
		}
		seen[b.ID] = true
		if b.Name != "" && b.Name != b.ID {
			seen[b.Name] = true
		}
	}
	return nil
}
