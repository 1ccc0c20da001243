package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/httpapi"
	"switchboard/httpx"
)

// channelOut is a channel as the administration shows it: never its secret.
type channelOut struct {
	ID        string                  `json:"id"`
	BotID     string                  `json:"bot_id"`
	Type      switchboard.ChannelType `json:"type"`
	Name      string                  `json:"name"`
	CreatedAt time.Time               `json:"created_at"`
	// APIKey is an API channel's public key.
	APIKey string `json:"api_key,omitempty"`
	// URL is a webapp channel's chat page.
	URL string `json:"url,omitempty"`
}

// credentials is the answer of creating an API channel or rotating its
// keys: the only time its secret is shown.
type credentials struct {
	Channel   channelOut `json:"channel"`
	APISecret string     `json:"api_secret,omitempty"`
}

func (h *handler) channelOf(c switchboard.Channel) channelOut {
	out := channelOut{ID: c.ID, BotID: c.BotID, Type: c.Type, Name: c.Name, CreatedAt: c.CreatedAt, APIKey: c.APIKey}
	if c.Type == switchboard.ChannelWebapp {
		out.URL = strings.TrimRight(h.PublicURL, "/") + "/chat/" + c.ID
	}
	return out
}

// listChannels answers every channel, or those of one bot (?bot_id=).
func (h *handler) listChannels(w http.ResponseWriter, r *http.Request) {
	var cs []switchboard.Channel
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if bot := r.URL.Query().Get("bot_id"); bot != "" {
			cs, err = tx.ChannelsOfBot(r.Context(), bot)
		} else {
			cs, err = tx.ListChannels(r.Context())
		}
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []channelOut{}
	for _, c := range cs {
		out = append(out, h.channelOf(c))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"channels": out})
}

// newChannel is the body of POST /v1/admin/channels.
type newChannel struct {
	BotID string                  `json:"bot_id"`
	Type  switchboard.ChannelType `json:"type"`
	Name  string                  `json:"name"`
}

const maxChannelName = 100

// createChannel adds a webapp or API channel to a bot; an API channel's
// secret is in the answer, and only there.
func (h *handler) createChannel(w http.ResponseWriter, r *http.Request) {
	var in newChannel
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	in.Name = strings.TrimSpace(in.Name)
	var err error
	switch {
	case in.BotID == "":
		err = switchboard.Errorf(switchboard.EINVALID, "bot_id is missing: the bot the channel leads to")
	case in.Type != switchboard.ChannelWebapp && in.Type != switchboard.ChannelAPI:
		err = switchboard.Errorf(switchboard.EINVALID, "type %q is unknown: use webapp (the chat page) or api (the Chat API)", in.Type)
	default:
		err = switchboard.CheckName("name", in.Name, maxChannelName)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Name == "" {
		in.Name = map[switchboard.ChannelType]string{switchboard.ChannelWebapp: "Chat page", switchboard.ChannelAPI: "Chat API"}[in.Type]
	}
	ch := switchboard.Channel{ID: uuid.NewString(), BotID: in.BotID, Type: in.Type, Name: in.Name, CreatedAt: h.Clock.Now()}
	var out credentials
	if ch.Type == switchboard.ChannelAPI {
		out.APISecret = httpapi.NewCredentials(h.Sealer, &ch)
	}
	err = h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), in.BotID); err != nil {
			return err
		}
		return tx.PutChannel(r.Context(), &ch)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: channel created", "channel", ch.ID, "bot", ch.BotID, "type", ch.Type)
	out.Channel = h.channelOf(ch)
	httpx.WriteJSON(w, http.StatusCreated, out)
}

// rotateChannel gives an API channel a new key and secret; the old ones
// stop working at once.
func (h *handler) rotateChannel(w http.ResponseWriter, r *http.Request) {
	var out credentials
	var ch *switchboard.Channel
	var oldKey string
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if ch, err = tx.Channel(r.Context(), r.PathValue("id")); err != nil {
			return err
		}
		if ch.Type != switchboard.ChannelAPI {
			return switchboard.Errorf(switchboard.EINVALID, "channel %s is a %s channel: only API channels have keys", ch.ID, ch.Type)
		}
		oldKey = ch.APIKey
		out.APISecret = httpapi.NewCredentials(h.Sealer, ch)
		return tx.PutChannel(r.Context(), ch)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.KeyRotated != nil {
		h.KeyRotated(oldKey)
	}
	h.Log.InfoContext(r.Context(), "admin: channel keys rotated", "channel", ch.ID)
	out.Channel = h.channelOf(*ch)
	httpx.WriteJSON(w, http.StatusOK, out)
}
