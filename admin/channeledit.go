package admin

import (
	"encoding/json"
	"net/http"
	"strings"

	"switchboard"
	"switchboard/httpx"
)

// channelEdit is the body of PUT /v1/admin/channels/{id}: a new name, and
// for a messaging channel the settings to change under its type's name
// (secrets left out keep their values).
type channelEdit struct {
	Name *string `json:"name,omitempty"`
	// Settings are the other members, by name: the settings of the
	// channel's messaging type.
	Settings map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON reads the name and keeps the other members as settings.
func (in *channelEdit) UnmarshalJSON(raw []byte) error {
	type plain channelEdit
	if err := json.Unmarshal(raw, (*plain)(in)); err != nil {
		return err
	}
	var err error
	in.Settings, err = otherMembers(raw, "name")
	return err
}

// editChannel renames a channel or changes its messaging settings.
func (h *handler) editChannel(w http.ResponseWriter, r *http.Request) {
	var in channelEdit
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ch, err := h.updateChannel(r, func(tx switchboard.Tx, ch *switchboard.Channel) error {
		if in.Name != nil {
			name := strings.TrimSpace(*in.Name)
			if err := switchboard.CheckName("name", name, maxChannelName); err != nil {
				return err
			}
			if name != "" {
				ch.Name = name
			}
		}
		if err := h.checkSettings(in.Settings, ch.Type, "name"); err != nil {
			return err
		}
		if raw, ok := in.Settings[string(ch.Type)]; ok {
			return h.Channels.Edit(r.Context(), tx, ch, raw)
		}
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: channel changed", "channel", ch.ID, "type", ch.Type)
	out, err := h.describe(r, *ch)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// updateChannel changes the channel of the request's path with change and
// stores it, in one transaction.
func (h *handler) updateChannel(r *http.Request, change func(switchboard.Tx, *switchboard.Channel) error) (*switchboard.Channel, error) {
	var ch *switchboard.Channel
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if ch, err = tx.Channel(r.Context(), r.PathValue("id")); err != nil {
			return err
		}
		if err := change(tx, ch); err != nil {
			return err
		}
		return tx.PutChannel(r.Context(), ch)
	})
	return ch, err
}

// checkChannel checks a messaging channel's credentials against its
// platform and says what it found: the page's "test webhook" button.
func (h *handler) checkChannel(w http.ResponseWriter, r *http.Request) {
	if err := switchboard.CheckChannelID("id", r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	var ch *switchboard.Channel
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		ch, err = tx.Channel(r.Context(), r.PathValue("id"))
		return err
	})
	if err == nil && !h.messaging(ch.Type) {
		err = switchboard.Errorf(switchboard.EINVALID, "channel %s is a %s channel: only messaging channels have credentials to check", ch.ID, ch.Type)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Channels.Check(r.Context(), ch.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}
