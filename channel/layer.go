package channel

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"switchboard"
	"switchboard/engine"
	"switchboard/outbox"
)

// JobReceive is the outbox job of one item a webhook delivered, keyed by
// the client so that a user's messages run in the order they came.
const JobReceive = "channel.receive"

// Config is what the layer works with.
type Config struct {
	Store    switchboard.Store
	Engine   *engine.Engine
	Notifier switchboard.Notifier
	Sealer   Sealer
	Drivers  []Driver
	Clock    switchboard.Clock
	Log      *slog.Logger
	// PublicURL is the server's address as platforms reach it: the webhook
	// and media URLs start with it.
	PublicURL string
	// MediaKey signs the media URLs given to bots and agents.
	MediaKey []byte
	// MaxBody bounds a webhook's body (default 4 MB: Meta batches up to a
	// thousand updates in one POST).
	MaxBody int64
}

// Layer runs the messaging channels: their webhooks, jobs and settings.
type Layer struct {
	cfg     Config
	drivers map[switchboard.ChannelType]Driver
	conns   conns
}

// New returns the layer.
func New(cfg Config) *Layer {
	if cfg.Clock == nil {
		cfg.Clock = switchboard.SystemClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 4 << 20
	}
	l := &Layer{cfg: cfg, drivers: map[switchboard.ChannelType]Driver{}}
	for _, d := range cfg.Drivers {
		l.drivers[d.Type()] = d
	}
	return l
}

// JobHandlers are the outbox handlers of the layer's jobs.
func (l *Layer) JobHandlers() map[string]outbox.Handler {
	return map[string]outbox.Handler{JobReceive: l.runReceive, engine.JobChannelSend: l.runSend}
}

// Messaging reports whether t is a messaging channel type the layer serves.
func (l *Layer) Messaging(t switchboard.ChannelType) bool {
	_, ok := l.drivers[t]
	return ok
}

// Types lists the messaging channel types the layer serves.
func (l *Layer) Types() []string {
	var out []string
	for t := range l.drivers {
		out = append(out, string(t))
	}
	return out
}

// TypeInfos describe the messaging channel types the layer serves, in the
// order of Config.Drivers, for the administration's forms; a driver that
// is no Describer is named by its type and has no fields.
func (l *Layer) TypeInfos() []TypeInfo {
	out := []TypeInfo{}
	for _, d := range l.cfg.Drivers {
		info := TypeInfo{Type: d.Type(), Description: Description{Name: string(d.Type()), Fields: []Field{}}}
		if ds, ok := d.(Describer); ok {
			info.Description = ds.Description()
		}
		_, info.Editable = d.(Editor)
		out = append(out, info)
	}
	return out
}

// WebhookURL is the URL to give the platform for a channel.
func (l *Layer) WebhookURL(channelID string) string {
	return strings.TrimRight(l.cfg.PublicURL, "/") + "/v1/channels/" + channelID + "/webhook"
}

// connWebhookURL is the webhook URL of an opened channel: with its secret
// token when the platform authenticates nothing else (URLTokener).
func (l *Layer) connWebhookURL(channelID string, conn Conn) string {
	u := l.WebhookURL(channelID)
	if t, ok := conn.(URLTokener); ok {
		u += "?token=" + url.QueryEscape(t.URLToken())
	}
	return u
}

// settingName is where a channel's settings are stored.
func settingName(channelID string) string { return "channel:" + channelID }

// stored is the document of a channel's settings.
type stored struct {
	Type     switchboard.ChannelType `json:"type"`
	Settings json.RawMessage         `json:"settings"`
}

// Setup checks the settings of a new messaging channel (raw, the object
// under its type's name) and stores them, secrets sealed, in tx, which
// also stores the channel.
func (l *Layer) Setup(ctx context.Context, tx switchboard.Tx, ch *switchboard.Channel, raw json.RawMessage) error {
	d, ok := l.drivers[ch.Type]
	if !ok {
		return switchboard.Errorf(switchboard.EINVALID, "type %q is not a messaging channel", ch.Type)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return switchboard.Errorf(switchboard.EINVALID, "%s is missing: the settings of the %s channel", ch.Type, ch.Type)
	}
	settings, err := d.Setup(raw, l.cfg.Sealer, settingName(ch.ID))
	if err != nil {
		return err
	}
	if err := l.register(ctx, d, ch.ID, settings); err != nil {
		return err
	}
	doc, _ := json.Marshal(stored{Type: ch.Type, Settings: settings})
	if err := tx.PutSetting(ctx, settingName(ch.ID), doc); err != nil {
		return fmt.Errorf("store channel settings: %w", err)
	}
	return nil
}

// Describe is what the administration shows of a messaging channel: its
// webhook URL and its settings without secrets.
func (l *Layer) Describe(ctx context.Context, tx switchboard.Tx, ch switchboard.Channel) (map[string]any, error) {
	d, ok := l.drivers[ch.Type]
	if !ok {
		return nil, nil
	}
	doc, err := l.read(ctx, tx, ch.ID)
	if err != nil {
		return nil, err
	}
	out, err := d.Public(doc.Settings)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = map[string]any{}
	}
	conn, err := d.Open(doc.Settings, l.cfg.Sealer, settingName(ch.ID))
	if err != nil {
		return nil, fmt.Errorf("open channel %s: %w", ch.ID, err)
	}
	out["webhook_url"] = l.connWebhookURL(ch.ID, conn)
	return out, nil
}

// register tells the platform the webhook's URL when the driver does that
// itself (Registrar).
func (l *Layer) register(ctx context.Context, d Driver, channelID string, settings json.RawMessage) error {
	conn, err := d.Open(settings, l.cfg.Sealer, settingName(channelID))
	if err != nil {
		return fmt.Errorf("open channel %s: %w", channelID, err)
	}
	if r, ok := conn.(Registrar); ok {
		return r.Register(ctx, l.connWebhookURL(channelID, conn))
	}
	return nil
}

// Remove forgets a channel's settings (the caller deletes the channel in
// the same transaction), first unregistering its webhook when the driver
// registered it (Registrar). A platform that refuses (a revoked
// credential) does not keep the channel: its deliveries then find no
// channel and are refused.
func (l *Layer) Remove(ctx context.Context, tx switchboard.Tx, channelID string) error {
	if _, conn, err := l.open(ctx, tx, channelID); err == nil {
		if r, ok := conn.(Registrar); ok {
			if err := r.Unregister(ctx); err != nil {
				l.cfg.Log.WarnContext(ctx, "channel: webhook not unregistered from the platform; the channel is deleted anyway", "channel", channelID, "err", err)
			}
		}
	}
	return tx.PutSetting(ctx, settingName(channelID), json.RawMessage(`{}`))
}

func (l *Layer) read(ctx context.Context, tx switchboard.Tx, channelID string) (stored, error) {
	raw, err := tx.Setting(ctx, settingName(channelID))
	if err != nil {
		return stored{}, fmt.Errorf("read channel settings: %w", err)
	}
	return decodeStored(channelID, raw)
}

// decodeStored reads a channel's settings document.
func decodeStored(channelID string, raw json.RawMessage) (stored, error) {
	var doc stored
	if raw == nil || json.Unmarshal(raw, &doc) != nil || doc.Type == "" {
		return doc, switchboard.Errorf(switchboard.ENOTFOUND, "channel %s has no messaging settings", channelID)
	}
	return doc, nil
}

// open finds a messaging channel and opens its connection: the one opened
// before from the same settings when there is one (conns).
func (l *Layer) open(ctx context.Context, tx switchboard.Tx, channelID string) (*switchboard.Channel, Conn, error) {
	ch, err := tx.Channel(ctx, channelID)
	if err != nil {
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
			l.conns.forget(channelID)
		}
		return nil, nil, err
	}
	d, ok := l.drivers[ch.Type]
	if !ok {
		return nil, nil, switchboard.Errorf(switchboard.ENOTFOUND, "channel %s is a %s channel, not a messaging channel", ch.ID, ch.Type)
	}
	raw, err := tx.Setting(ctx, settingName(ch.ID))
	if err != nil {
		return nil, nil, fmt.Errorf("read channel settings: %w", err)
	}
	if conn := l.conns.get(ch.ID, ch.Type, raw); conn != nil {
		return ch, conn, nil
	}
	doc, err := decodeStored(ch.ID, raw)
	if err != nil {
		l.conns.forget(ch.ID)
		return nil, nil, err
	}
	conn, err := d.Open(doc.Settings, l.cfg.Sealer, settingName(ch.ID))
	if err != nil {
		return nil, nil, fmt.Errorf("open channel %s: %w", ch.ID, err)
	}
	if a, ok := conn.(Addressed); ok {
		a.SetWebhookURL(l.WebhookURL(ch.ID))
	}
	l.conns.put(ch.ID, ch.Type, raw, conn)
	return ch, conn, nil
}

// openView is open in a read-only transaction of its own.
func (l *Layer) openView(ctx context.Context, channelID string) (*switchboard.Channel, Conn, error) {
	if err := switchboard.CheckChannelID("channel_id", channelID); err != nil {
		return nil, nil, err
	}
	var ch *switchboard.Channel
	var conn Conn
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		ch, conn, err = l.open(ctx, tx, channelID)
		return err
	})
	return ch, conn, err
}
