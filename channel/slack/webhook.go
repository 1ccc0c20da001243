package slack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Headers of a delivery.
const (
	signatureHeader = "X-Slack-Signature"
	timestampHeader = "X-Slack-Request-Timestamp"
)

// MaxSkew is how far a delivery's timestamp may be from the channel's
// clock: older is a replay (Slack's own advice, 5 minutes).
const MaxSkew = 5 * time.Minute

// Signature is X-Slack-Signature of a body sent at timestamp (Unix
// seconds, as in X-Slack-Request-Timestamp): "v0=" and the hex
// HMAC-SHA256, keyed by the signing secret, of "v0:<timestamp>:<body>".
func Signature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Handshake refuses: Slack verifies its URL with a signed POST
// (url_verification), answered by WebhookReply.
func (c *Conn) Handshake(url.Values) (string, error) {
	return "", switchboard.Errorf(switchboard.EINVALID, "Slack verifies a request URL by a signed POST (url_verification), not by GET")
}

// Verify checks the signature on the exact bytes received, and that the
// timestamp it covers is within MaxSkew of the clock: a delivery recorded
// and sent again later is refused.
func (c *Conn) Verify(h http.Header, body []byte) error {
	ts, sig := h.Get(timestampHeader), h.Get(signatureHeader)
	if ts == "" || sig == "" {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s or %s is missing: only Slack's signed deliveries are taken", signatureHeader, timestampHeader)
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s %q is not Unix seconds", timestampHeader, driverkit.Shorten(ts))
	}
	if skew := c.clock.Now().Sub(time.Unix(secs, 0)); skew > MaxSkew || skew < -MaxSkew {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s is %s away from the server's clock, more than %s: a replayed delivery (or a server clock that is wrong)", timestampHeader, skew.Round(time.Second), MaxSkew)
	}
	if !hmac.Equal([]byte(sig), []byte(Signature(c.s.SigningSecret, ts, body))) {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s does not match the signing secret over the body: a forged request, or another app's signing secret in the channel", signatureHeader)
	}
	return nil
}

// The parts of Slack's deliveries the channel reads.
type (
	envelope struct {
		Type           string `json:"type"`
		Challenge      string `json:"challenge"`
		TeamID         string `json:"team_id"`
		EventID        string `json:"event_id"`
		Authorizations []struct {
			UserID string `json:"user_id"`
			IsBot  bool   `json:"is_bot"`
		} `json:"authorizations"`
		Event event `json:"event"`
	}
	event struct {
		Type        string `json:"type"`
		Subtype     string `json:"subtype"`
		Channel     string `json:"channel"`
		ChannelType string `json:"channel_type"`
		User        string `json:"user"`
		BotID       string `json:"bot_id"`
		Text        string `json:"text"`
		TS          string `json:"ts"`
		ThreadTS    string `json:"thread_ts"`
		Files       []file `json:"files"`
	}
	file struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Mimetype string `json:"mimetype"`
	}
	interaction struct {
		Type string `json:"type"`
		User struct {
			ID       string `json:"id"`
			Username string `json:"username"`
			TeamID   string `json:"team_id"`
		} `json:"user"`
		Channel struct {
			ID string `json:"id"`
		} `json:"channel"`
		Container struct {
			ChannelID string `json:"channel_id"`
			ThreadTS  string `json:"thread_ts"`
		} `json:"container"`
		Message struct {
			ThreadTS string `json:"thread_ts"`
		} `json:"message"`
		Actions []struct {
			Type     string `json:"type"`
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
			ActionTS string `json:"action_ts"`
			Text     struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"actions"`
	}
)

// isForm tells a button press (a form with payload=) from an event (JSON).
func isForm(body []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(body), []byte("payload=")) }

// Parse reads an event or an interaction payload. A user's message (in a
// DM, or in a channel the bot is in) and a button press are items; the
// url_verification, other events and interactions are none.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	if isForm(body) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("slack: the interaction is not a form: %w", err)
		}
		var in interaction
		if err := json.Unmarshal([]byte(form.Get("payload")), &in); err != nil {
			return nil, fmt.Errorf("slack: the interaction's payload is not JSON: %w", err)
		}
		return pressed(in), nil
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("slack: the body is not an Events API envelope: %w", err)
	}
	switch env.Type {
	case "url_verification", "app_rate_limited":
		return nil, nil
	case "event_callback":
	default:
		return nil, fmt.Errorf("slack: the body's type %q is not an Events API delivery", env.Type)
	}
	if env.EventID == "" {
		return nil, fmt.Errorf("slack: the event has no event_id")
	}
	return env.items(), nil
}

// conversation is the client's user id of a message: the DM's channel,
// or a channel's thread "<channel>:<thread root ts>".
func conversation(channelID, threadTS string) string {
	if threadTS == "" {
		return channelID
	}
	return channelID + ":" + threadTS
}

// target reads a client's user id back: the channel to post to and the
// thread, if any.
func target(userID string) (channelID, threadTS string) {
	channelID, threadTS, _ = strings.Cut(userID, ":")
	return channelID, threadTS
}

// items are a user's message event as CSML events: its text, or each
// file it shares (the text as the first one's caption).
func (env envelope) items() []channel.Item {
	e := env.Event
	if e.Type != "message" || e.BotID != "" || e.User == "" || (e.Subtype != "" && e.Subtype != "file_share" && e.Subtype != "thread_broadcast") {
		return nil
	}
	text := e.Text
	for _, a := range env.Authorizations {
		if a.UserID == e.User {
			return nil // the app's own message
		}
		if a.IsBot {
			text = strings.TrimSpace(strings.ReplaceAll(text, "<@"+a.UserID+">", ""))
		}
	}
	user := e.Channel
	if e.ChannelType != "im" {
		user = conversation(e.Channel, e.TS)
		if e.ThreadTS != "" {
			user = conversation(e.Channel, e.ThreadTS)
		}
	}
	meta, _ := json.Marshal(map[string]string{"slack_user_id": e.User, "slack_team_id": env.TeamID, "slack_channel_id": e.Channel})
	base := channel.Item{Kind: channel.ItemMessage, UserID: user, ID: env.EventID, At: tsTime(e.TS), Metadata: meta}
	text = unescape(text)
	var out []channel.Item
	for i, f := range e.Files {
		if f.ID == "" {
			continue
		}
		it := base
		if i > 0 {
			it.ID = env.EventID + ":" + strconv.Itoa(i)
		}
		content := map[string]string{"mime_type": f.Mimetype, "name": f.Name}
		if i == 0 && text != "" {
			content["caption"] = text
		}
		it.MediaID, it.Payload.ContentType = f.ID, mediaKind(f.Mimetype)
		it.Payload.Content, _ = json.Marshal(content)
		out = append(out, it)
	}
	if len(out) == 0 && text != "" {
		base.Payload.ContentType = "text"
		base.Payload.Content, _ = json.Marshal(map[string]string{"text": text})
		out = append(out, base)
	}
	return out
}

// mediaKind is the CSML content type of a file by its MIME type.
func mediaKind(mime string) string {
	for _, k := range []string{"image", "video", "audio"} {
		if strings.HasPrefix(mime, k+"/") {
			return k
		}
	}
	return "file"
}

// tsTime reads a Slack ts ("1700000000.000100").
func tsTime(ts string) time.Time {
	secs, err := strconv.ParseFloat(ts, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMicro(int64(secs * 1e6)).UTC()
}

// unescape undoes the three escapes of Slack's text (&amp; &lt; &gt;).
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// pressed are a block_actions payload's button presses as payload events.
// The conversation is the message's: its thread when it is in one (the
// bot posts in the thread of a channel's conversation, never in a DM's).
func pressed(in interaction) []channel.Item {
	if in.Type != "block_actions" {
		return nil
	}
	ch := in.Container.ChannelID
	if ch == "" {
		ch = in.Channel.ID
	}
	thread := in.Container.ThreadTS
	if thread == "" {
		thread = in.Message.ThreadTS
	}
	meta := map[string]string{"slack_user_id": in.User.ID, "slack_team_id": in.User.TeamID, "slack_channel_id": ch}
	if in.User.Username != "" {
		meta["username"] = in.User.Username
	}
	raw, _ := json.Marshal(meta)
	var out []channel.Item
	for _, a := range in.Actions {
		if a.Type != "button" || a.Value == "" || ch == "" {
			continue // a link button, or a press of nothing the bot sent
		}
		it := channel.Item{Kind: channel.ItemMessage, UserID: conversation(ch, thread), ID: "action:" + ch + ":" + a.ActionTS + ":" + a.ActionID, At: tsTime(a.ActionTS), Metadata: raw}
		it.Payload.ContentType = "payload"
		it.Payload.Content, _ = json.Marshal(map[string]string{"payload": a.Value, "title": a.Text.Text})
		out = append(out, it)
	}
	return out
}

// WebhookReply answers Slack's url_verification with its challenge, as
// JSON, which Slack takes.
func (c *Conn) WebhookReply(body []byte) any {
	if isForm(body) {
		return nil
	}
	var env envelope
	if json.Unmarshal(body, &env) != nil || env.Type != "url_verification" || env.Challenge == "" {
		return nil
	}
	return map[string]string{"challenge": env.Challenge}
}

// WebhookAnswer is an empty 200: what Slack expects of an event and of an
// interaction (a body in the answer to an interaction is Slack's to read).
func (c *Conn) WebhookAnswer() (string, []byte) { return "text/plain; charset=utf-8", nil }
