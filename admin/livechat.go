package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"

	"switchboard"
	"switchboard/httpx"
	"switchboard/livechat"
)

// livechatOut is a bot's livechat settings as the settings page shows them:
// the settings with their secrets masked, the defaults of what is not set,
// the platforms this server offers, and the URL to paste into the platform.
type livechatOut struct {
	BotID     string            `json:"bot_id"`
	Settings  livechat.Settings `json:"settings"`
	Defaults  defaults          `json:"defaults"`
	Platforms []string          `json:"platforms"`
	// ReceiveURL is set for platforms that call switchboard (Gorgias,
	// Chatwoot): the URL to paste into the platform, with the bot's token.
	ReceiveURL string `json:"receive_url,omitempty"`
}

// defaults are the values of settings left unset.
type defaults struct {
	Platform          string            `json:"platform"`
	Timeout           livechat.Duration `json:"timeout"`
	EndMessage        string            `json:"end_message"`
	EndButtonLabel    string            `json:"end_button_label"`
	ConnectingMessage string            `json:"connecting_message"`
	TranscriptLength  int               `json:"transcript_length"`
	CloseOnEnd        bool              `json:"close_on_end"`
	OnAgentClose      string            `json:"on_agent_close"`
	OpenTimeout       livechat.Duration `json:"open_timeout"`
	// Queue holds the queue's default texts (the queue itself is off).
	Queue livechat.QueueSettings `json:"queue"`
}

var settingDefaults = defaults{
	Platform: livechat.PlatformDesk, Timeout: livechat.Duration(livechat.DefaultTimeout),
	EndMessage: livechat.DefaultEndMessage, EndButtonLabel: livechat.DefaultEndButtonLabel,
	ConnectingMessage: livechat.DefaultConnectingMessage, TranscriptLength: livechat.DefaultTranscriptLength,
	CloseOnEnd: true, OnAgentClose: livechat.OnAgentCloseEnd, OpenTimeout: livechat.Duration(livechat.DefaultOpenTimeout),
	Queue: livechat.QueueSettings{PositionMessage: livechat.DefaultPositionMessage, PositionMessageNoEstimate: livechat.DefaultPositionMessageNoEstimate},
}

// livechatOf builds the page's view of stored (opened) settings.
func (h *handler) livechatOf(botID string, s livechat.Settings) livechatOut {
	out := livechatOut{BotID: botID, Settings: s.Masked(), Defaults: settingDefaults, Platforms: []string{livechat.PlatformNone}}
	for name := range h.Livechat.Providers {
		out.Platforms = append(out.Platforms, name)
	}
	sort.Strings(out.Platforms[1:])
	if h.ReceiveURL != nil && s.Token != "" {
		out.ReceiveURL, _ = h.ReceiveURL(s.Resolve().Platform, s.Token)
	}
	return out
}

// getLivechat answers a bot's settings.
func (h *handler) getLivechat(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var s livechat.Settings
	err := h.Store.View(r.Context(), func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(r.Context(), botID); err != nil {
			return err
		}
		var err error
		s, err = livechat.LoadSettings(r.Context(), tx, h.Sealer, botID)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.livechatOf(botID, s))
}

// putLivechat saves a bot's settings the one way settings are saved: checked,
// credentials tried against the platform, secrets sealed. Secrets sent back
// masked or empty keep their stored value.
func (h *handler) putLivechat(w http.ResponseWriter, r *http.Request) {
	botID := r.PathValue("id")
	var raw json.RawMessage
	if err := httpx.DecodeJSON(w, r, maxBody, false, &raw); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := decodeSettings(raw)
	if err == nil {
		err = h.Store.View(r.Context(), func(tx switchboard.Tx) error {
			_, err := tx.LatestBot(r.Context(), botID)
			return err
		})
	}
	if err == nil {
		_, err = h.Livechat.Configure(r.Context(), botID, s)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Log.InfoContext(r.Context(), "admin: livechat settings saved", "bot", botID, "platform", s.Resolve().Platform)
	h.getLivechat(w, r)
}

// decodeSettings reads settings strictly, naming the field of a duration
// that does not read.
func decodeSettings(raw json.RawMessage) (livechat.Settings, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return livechat.Settings{}, switchboard.Errorf(switchboard.EINVALID, "send the settings as a JSON object")
	}
	for _, name := range []string{"timeout", "open_timeout"} {
		var d livechat.Duration
		if v, ok := fields[name]; ok {
			if err := json.Unmarshal(v, &d); err != nil {
				return livechat.Settings{}, switchboard.Errorf(switchboard.EINVALID, "%s: %v", name, err)
			}
		}
	}
	var s livechat.Settings
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, httpx.DecodeError(err, maxBody)
	}
	return s, nil
}
