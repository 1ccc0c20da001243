package admin

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/channel"
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
	// Multibot lists the bots that goto ... in bot may switch to.
	Multibot switchboard.MultiBots `json:"multibot"`
	// WebhookURL is a messaging channel's webhook, to give the platform.
	WebhookURL string `json:"webhook_url,omitempty"`
	// Settings are a messaging channel's settings without secrets, under
	// its type's name.
	Settings map[string]any `json:"-"`
}

// MarshalJSON puts a messaging channel's settings under its type's name
// ("whatsapp": {...}), the shape POST /v1/admin/channels takes.
func (c channelOut) MarshalJSON() ([]byte, error) {
	type plain channelOut
	raw, err := json.Marshal(plain(c))
	if err != nil || c.Settings == nil {
		return raw, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	m[string(c.Type)] = c.Settings
	return json.Marshal(m)
}

// credentials is the answer of creating an API channel or rotating its
// keys: the only time its secret is shown.
type credentials struct {
	Channel   channelOut `json:"channel"`
	APISecret string     `json:"api_secret,omitempty"`
}

func (h *handler) channelOf(c switchboard.Channel) channelOut {
	out := channelOut{ID: c.ID, BotID: c.BotID, Type: c.Type, Name: c.Name, CreatedAt: c.CreatedAt, APIKey: c.APIKey, Multibot: c.Multibot}
	if out.Multibot == nil {
		out.Multibot = switchboard.MultiBots{}
	}
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
		co, err := h.describe(r, c)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out = append(out, co)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"channels": out})
}

// describe is a channel as the administration shows it, a messaging
// channel with its webhook URL and settings.
func (h *handler) describe(r *http.Request, c switchboard.Channel) (channelOut, error) {
	out := h.channelOf(c)
	if h.Channels == nil || !h.Channels.Messaging(c.Type) {
		return out, nil
	}
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		out.Settings, err = h.Channels.Describe(r.Context(), tx, c)
		if err != nil {
			return err
		}
		out.WebhookURL, _ = out.Settings["webhook_url"].(string)
		delete(out.Settings, "webhook_url")
		return nil
	})
	return out, err
}

// newChannel is the body of POST /v1/admin/channels: a messaging
// channel's settings come under its type's name ("whatsapp": {...},
// "telegram": {...}).
type newChannel struct {
	BotID string                  `json:"bot_id"`
	Type  switchboard.ChannelType `json:"type"`
	Name  string                  `json:"name"`
	// Settings are the other members, by name: the settings of a
	// messaging type, checked against the layer's types.
	Settings map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON reads the fixed members and keeps the others as settings.
func (in *newChannel) UnmarshalJSON(raw []byte) error {
	type plain newChannel
	if err := json.Unmarshal(raw, (*plain)(in)); err != nil {
		return err
	}
	var err error
	in.Settings, err = otherMembers(raw, "bot_id", "type", "name")
	return err
}

// otherMembers are the members of a JSON object but fixed: the settings
// of a messaging type, under its name.
func otherMembers(raw []byte, fixed ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for _, k := range fixed {
		delete(m, k)
	}
	return m, nil
}

// checkSettings refuses a member that is no messaging type's settings, or
// the settings of a type other than t, the channel's; fields names what
// the body takes besides.
func (h *handler) checkSettings(settings map[string]json.RawMessage, t switchboard.ChannelType, fields string) error {
	for name := range settings {
		switch {
		case !h.messaging(switchboard.ChannelType(name)):
			return switchboard.Errorf(switchboard.EINVALID, "unknown field %q: a channel takes %s and the settings of its messaging type (%s)", name, fields, h.channelTypes())
		case switchboard.ChannelType(name) != t:
			return switchboard.Errorf(switchboard.EINVALID, "%s settings are for a channel of type %s, not %s", name, name, t)
		}
	}
	return nil
}

// listChannelTypes answers the messaging channel types this server runs,
// each with its display name, what to do with its webhook URL and the
// fields of its settings: what the bot page draws its forms from.
func (h *handler) listChannelTypes(w http.ResponseWriter, r *http.Request) {
	types := []channel.TypeInfo{}
	if h.Channels != nil {
		types = h.Channels.TypeInfos()
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"types": types})
}

// defaultNames name a channel made without a name.
var defaultNames = map[switchboard.ChannelType]string{switchboard.ChannelWebapp: "Chat page", switchboard.ChannelAPI: "Chat API", "whatsapp": "WhatsApp", "telegram": "Telegram", "messenger": "Messenger", "instagram": "Instagram", "twilio": "SMS", "chatwoot": "Chatwoot agent bot", "teams": "Microsoft Teams", "slack": "Slack"}

const maxChannelName = 100

// defaultName names a channel of type t made without a name: its
// defaultNames entry, else its driver's display name (Describer), else t.
func (h *handler) defaultName(t switchboard.ChannelType) string {
	if name := defaultNames[t]; name != "" {
		return name
	}
	if h.Channels != nil {
		for _, info := range h.Channels.TypeInfos() {
			if info.Type == t {
				return info.Name
			}
		}
	}
	return string(t)
}

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
	case in.Type != switchboard.ChannelWebapp && in.Type != switchboard.ChannelAPI && !h.messaging(in.Type):
		err = switchboard.Errorf(switchboard.EINVALID, "type %q is unknown: use %s", in.Type, h.channelTypes())
	default:
		if err = h.checkSettings(in.Settings, in.Type, "bot_id, type, name"); err == nil {
			err = switchboard.CheckName("name", in.Name, maxChannelName)
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Name == "" {
		in.Name = h.defaultName(in.Type)
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
		if h.messaging(ch.Type) {
			if err := h.Channels.Setup(r.Context(), tx, &ch, in.Settings[string(ch.Type)]); err != nil {
				return err
			}
		}
		return tx.PutChannel(r.Context(), &ch)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: channel created", "channel", ch.ID, "bot", ch.BotID, "type", ch.Type)
	if out.Channel, err = h.describe(r, ch); err != nil {
		h.fail(w, r, err)
		return
	}
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

// messaging reports whether t is a messaging channel type this server runs.
func (h *handler) messaging(t switchboard.ChannelType) bool {
	return h.Channels != nil && h.Channels.Messaging(t)
}

// channelTypes lists the types a channel may have, for errors.
func (h *handler) channelTypes() string {
	types := "webapp (the chat page) or api (the Chat API)"
	if h.Channels != nil {
		for _, t := range h.Channels.Types() {
			types += ", or " + t
		}
	}
	return types
}

// deleteChannel removes a channel: its webhook and keys stop working at
// once; its clients' conversations stay (erase them with the data API).
func (h *handler) deleteChannel(w http.ResponseWriter, r *http.Request) {
	var ch *switchboard.Channel
	err := h.Store.Update(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if ch, err = tx.Channel(r.Context(), r.PathValue("id")); err != nil {
			return err
		}
		if h.messaging(ch.Type) {
			if err := h.Channels.Remove(r.Context(), tx, ch.ID); err != nil {
				return err
			}
		}
		return tx.DeleteChannel(r.Context(), ch.ID)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ch.APIKey != "" && h.KeyRotated != nil {
		h.KeyRotated(ch.APIKey)
	}
	h.Log.InfoContext(r.Context(), "admin: channel deleted", "channel", ch.ID, "bot", ch.BotID, "type", ch.Type)
	w.WriteHeader(http.StatusNoContent)
}
