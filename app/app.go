// Package app assembles a switchboard server from its parts: the store, the
// notification hub, the engine with its bots and livechat drivers, the outbox
// and timer workers, and the HTTP edges. cmd/switchboard and the end-to-end
// tests both start servers through it, so what the tests run is what users run.
//
// On PostgreSQL, several servers may share one database (docs/scaling.md):
// their hubs are joined by a LISTEN/NOTIFY fan-out, and each loads the bots
// and forgets API keys again when another instance changes them.
package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"switchboard"
	"switchboard/attachment"
	"switchboard/botfile"
	"switchboard/channel"
	cwchannel "switchboard/channel/chatwoot"
	"switchboard/csml/httphost"
	"switchboard/engine"
	"switchboard/httpapi"
	"switchboard/httpx"
	"switchboard/hub"
	"switchboard/hub/pgnotify"
	"switchboard/internal/i18n"
	"switchboard/internal/netpolicy"
	"switchboard/livechat"
	"switchboard/livechat/desk"
	"switchboard/metrics"
	"switchboard/obs"
	"switchboard/outbox"
	"switchboard/secrets"
	"switchboard/timers"
)

// App is a running (or ready to run) switchboard server.
type App struct {
	cfg    Config
	log    *slog.Logger
	Store  switchboard.Store
	Hub    *hub.Hub
	Engine *engine.Engine
	// attachments receives and serves the files users and agents send.
	attachments *attachment.Service
	// db is Store with its schema version, for readiness and migrations.
	db *Database
	// fanout joins Hub to the other instances' (PostgreSQL only).
	fanout  *pgnotify.Fanout
	metrics *metrics.Metrics
	// sync loads bots and forgets API keys that other instances changed.
	sync *syncer
	// stopping is set when shutdown begins: the server is no longer ready.
	stopping atomic.Bool
	// Livechat saves livechat settings (checked, secrets sealed).
	Livechat livechat.Configurer
	keyring  *secrets.Keyring
	// languages are what the chat pages and the desk speak: the shipped
	// ones and the files of the data folder's LanguagesDir.
	languages *i18n.Catalog
	// modules downloads the modules of imported bots.
	modules *botfile.ModuleFetcher
	api     *httpapi.API
	// adminToken is the bearer token of the admin API.
	adminToken string
	platforms  []platform
	// channels runs the messaging channels (WhatsApp, ...).
	channels *channel.Layer
	outbox   *outbox.Worker
	timers   *timers.Worker
	handler  http.Handler
	listener net.Listener
	server   *http.Server
	// stopConns ends live connections (WebSockets, event streams) on shutdown.
	stopConns context.CancelFunc
	connsCtx  context.Context
}

// New opens the store, loads the configured bots and prepares the server. It
// does not listen yet: call Listen, then Serve.
func New(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	log = slog.New(obs.LogHandler(log.Handler())) // lines of a request carry its id
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := OpenDatabase(ctx, cfg, false)
	if err != nil {
		return nil, err
	}
	store := db.Store
	keyring, err := secrets.Load(cfg.SecretKeys, filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil {
		store.Close()
		return nil, err
	}
	languages, err := i18n.Load(filepath.Join(cfg.DataDir, LanguagesDir))
	if err != nil {
		store.Close()
		return nil, err
	}
	a := &App{cfg: cfg, log: log, Store: store, db: db, Hub: hub.New(), keyring: keyring, languages: languages, metrics: metrics.New(store, cfg.Clock)}
	a.connsCtx, a.stopConns = context.WithCancel(context.Background())
	if err := a.startFanout(ctx); err != nil {
		store.Close()
		return nil, err
	}
	providers := map[string]livechat.Provider{livechat.PlatformDesk: desk.NewProvider()}
	botAllow, _ := netpolicy.ParseRules(cfg.BotHTTPAllow...) // checked by Validate
	a.modules = botfile.NewModuleFetcher(botAllow)
	// A chatwoot channel's sessions are Chatwoot's own (newChannels adds
	// their provider).
	a.Engine = engine.New(store, a.Hub, engine.NewBots(), engine.Config{Clock: cfg.Clock, Log: log, Providers: providers, Sealer: keyring, Metrics: a.metrics,
		ChannelPlatforms: map[switchboard.ChannelType]string{cwchannel.Type: cwchannel.Platform},
		HTTP:             httphost.Config{Allow: botAllow}, SMTP: cfg.SMTP.host()})
	// Listen now: the settings of platforms that call back need this
	// server's address.
	if err := a.Listen(); err != nil {
		a.Close()
		return nil, err
	}
	jobs, timerHandlers := a.Engine.JobHandlers(), a.Engine.TimerHandlers()
	for _, build := range platformBuilders {
		p, err := build(a)
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("livechat platform: %w", err)
		}
		providers[p.name] = p.provider
		for kind, h := range p.jobs {
			jobs[kind] = h
		}
		for kind, h := range p.timers {
			timerHandlers[kind] = h
		}
		a.platforms = append(a.platforms, p)
	}
	a.Livechat = livechat.Configurer{Store: store, Sealer: keyring, Providers: providers, PublicURL: a.URL()}
	if a.adminToken, err = loadAdminToken(cfg.AdminToken, cfg.DataDir); err != nil {
		a.Close()
		return nil, err
	}
	callbackAllow, _ := netpolicy.ParseRules(cfg.CallbackAllow...) // checked by Validate
	a.attachments = attachment.New(attachment.Config{Store: store, Clock: cfg.Clock, Base: a.URL, MaxBytes: cfg.AttachmentMaxBytes, Log: log})
	a.api = httpapi.New(httpapi.Config{Store: store, Attachments: a.attachments, Engine: a.Engine, Notifier: a.Hub, Sealer: keyring, Clock: cfg.Clock, Log: log,
		CallbackTimeout: cfg.CallbackTimeout, CallbackAllow: callbackAllow, Rate: cfg.ChatAPIRate, EngineKeys: splitKeys(cfg.EngineAPIKeys)})
	jobs[engine.JobCallback] = a.api.Deliver
	if err := a.newChannels(ctx, jobs); err != nil {
		a.Close()
		return nil, err
	}
	providers[cwchannel.Platform] = a.channels.HandoverProvider()
	if err := a.loadBots(ctx); err != nil {
		a.Close()
		return nil, err
	}
	secret, err := a.secret(ctx, "instance:webapp_secret")
	if err != nil {
		a.Close()
		return nil, err
	}
	a.handler = a.routes(secret)
	for kind, h := range jobs {
		jobs[kind] = a.metrics.Job(kind, relayDirection[kind], h)
	}
	a.sync = newSyncer(a)
	a.outbox = outbox.New(store, a.Hub, cfg.Clock, jobs, outbox.Config{Poll: cfg.WorkerPoll}, log)
	a.timers = timers.New(store, a.Hub, cfg.Clock, timerHandlers, timers.Config{Poll: cfg.WorkerPoll}, log)
	return a, nil
}

// storedBots reads the newest stored version of every bot.
func (a *App) storedBots(ctx context.Context) ([]switchboard.BotVersion, error) {
	var stored []switchboard.BotVersion
	err := a.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		stored, err = tx.ListBots(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list stored bots: %w", err)
	}
	return stored, nil
}

// loadBots loads the bots stored by earlier runs, then the configured ones,
// which replace stored versions of the same id. A configured bot that does not
// compile stops the start with every error listed.
func (a *App) loadBots(ctx context.Context) error {
	stored, err := a.storedBots(ctx)
	if err != nil {
		return err
	}
	for _, v := range stored {
		if _, err := a.Engine.Bots().Put(v); err != nil {
			a.log.Error("stored bot does not compile any more; skipped", "bot", v.Bot.ID, "err", err)
		}
	}
	now := a.cfg.Clock.Now()
	for _, bc := range a.cfg.Bots {
		load := a.cfg.BotImport.Load
		if bc.FS != nil {
			load = func(p string) (switchboard.Bot, error) { return a.cfg.BotImport.LoadFS(bc.FS, p) }
		}
		bot, err := load(bc.Path)
		if err != nil {
			return err
		}
		if err := a.modules.Fetch(ctx, &bot); err != nil {
			return fmt.Errorf("load bot %s: %w", bc.Path, err)
		}
		v := switchboard.NewBotVersion(bot, now)
		if _, err := a.Engine.Bots().Put(v); err != nil {
			return fmt.Errorf("load bot %s: %s", bc.Path, switchboard.ErrorMessage(err))
		}
		err = a.Store.Update(ctx, func(tx switchboard.Tx) error {
			// Instances starting at once with the same bot give it one chat page.
			if err := lockName(ctx, tx, "bot:"+bot.ID); err != nil {
				return err
			}
			if err := tx.PutBotVersion(ctx, &v); err != nil {
				return err
			}
			return ensureWebappChannel(ctx, tx, bot.ID, now)
		})
		if err != nil {
			return fmt.Errorf("save bot %s: %w", bot.ID, err)
		}
		if bc.Livechat != nil {
			a.configureLivechat(ctx, bot.ID, *bc.Livechat)
		}
	}
	return nil
}

// configureLivechat saves a bot's livechat settings from the configuration.
// Settings that fail their check (a platform refusing the credentials, or
// unreachable at start) are not applied: the bot keeps the settings stored
// before, and the error is logged, so that a platform outage never keeps the
// server from starting.
func (a *App) configureLivechat(ctx context.Context, botID string, s livechat.Settings) {
	if _, err := a.Livechat.Configure(ctx, botID, s); err != nil {
		a.log.Error("livechat settings from the configuration not applied; the bot keeps its stored settings", "bot", botID, "err", err)
	}
}

// ensureWebappChannel gives a bot a chat page channel if it has none.
func ensureWebappChannel(ctx context.Context, tx switchboard.Tx, botID string, now time.Time) error {
	chans, err := tx.ChannelsOfBot(ctx, botID)
	if err != nil {
		return err
	}
	for _, c := range chans {
		if c.Type == switchboard.ChannelWebapp {
			return nil
		}
	}
	return tx.PutChannel(ctx, &switchboard.Channel{ID: uuid.NewString(), BotID: botID, Type: switchboard.ChannelWebapp, Name: "Chat page", CreatedAt: now})
}

// secret returns a persistent random secret, created on first use and kept
// sealed with the keyring.
func (a *App) secret(ctx context.Context, name string) ([]byte, error) {
	var out []byte
	err := a.Store.Update(ctx, func(tx switchboard.Tx) error {
		// Instances starting at once on one database create it once.
		if err := lockName(ctx, tx, name); err != nil {
			return err
		}
		raw, err := tx.Setting(ctx, name)
		if err != nil {
			return err
		}
		if raw != nil {
			out, err = openInstanceSecret(a.keyring, name, raw)
			return err
		}
		out = make([]byte, 32)
		if _, err := rand.Read(out); err != nil {
			return err
		}
		raw, _ = json.Marshal(a.keyring.Seal(out, name))
		return tx.PutSetting(ctx, name, raw)
	})
	if err != nil {
		return nil, fmt.Errorf("instance secret %s: %w", name, err)
	}
	return out, nil
}

// Listen binds the listen address (New already did; calling it again does
// nothing); with port 0 a free port is chosen.
func (a *App) Listen() error {
	if a.listener != nil {
		return nil
	}
	l, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another switchboard running? use --addr to pick another port)", a.cfg.Addr, err)
	}
	lim := a.cfg.connLimits()
	refused := &refusals{app: a}
	a.listener = httpx.NewLimitListener(l, lim, refused.refused)
	a.log.Info("connection limits", "total", lim.Total, "per_address", lim.PerAddr, "reserve", lim.Reserve, "body_timeout", time.Duration(a.cfg.BodyTimeout))
	return nil
}

// Addr is the address the server listens on (host:port).
func (a *App) Addr() string {
	if a.listener != nil {
		return a.listener.Addr().String()
	}
	return a.cfg.Addr
}

// URL is the public base URL of the server.
func (a *App) URL() string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	addr := a.cfg.Addr
	if a.listener != nil {
		addr = a.listener.Addr().String()
	}
	return "http://" + addr
}

// Handler is the server's HTTP handler (for tests that serve it themselves).
func (a *App) Handler() http.Handler { return a.handler }

// ChatURL is the chat page of a bot's first webapp channel.
func (a *App) ChatURL(ctx context.Context, botID string) (string, error) {
	var url string
	err := a.Store.View(ctx, func(tx switchboard.Tx) error {
		chans, err := tx.ChannelsOfBot(ctx, botID)
		if err != nil {
			return err
		}
		for _, c := range chans {
			if c.Type == switchboard.ChannelWebapp {
				url = a.URL() + "/chat/" + c.ID
				return nil
			}
		}
		return switchboard.Errorf(switchboard.ENOTFOUND, "bot %q has no chat page channel", botID)
	})
	return url, err
}

// DeskURL is the agent desk's page.
func (a *App) DeskURL() string { return a.URL() + "/desk/" }

// Serve runs the workers and the HTTP server until ctx ends, then shuts down
// gracefully: no new requests or jobs, work in flight finished, live
// connections closed, the store closed.
func (a *App) Serve(ctx context.Context) error {
	if a.listener == nil {
		if err := a.Listen(); err != nil {
			return err
		}
	}
	a.outbox.Start(context.Background())
	a.timers.Start(context.Background())
	a.sync.Start(context.Background())
	a.server = &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return a.connsCtx },
		ConnContext:       httpx.ConnContext,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.listener) }()
	select {
	case err := <-errc:
		a.shutdown()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		return a.shutdown()
	}
}

// shutdown stops in the order that loses nothing: stop being ready, stop
// taking requests and close live connections (pages reconnect to another
// instance and resume from their last message), finish the jobs and timers
// in flight (a job still running when the time is up keeps its lease, which
// runs out, and another instance takes it over), stop relaying
// notifications, then close the store.
func (a *App) shutdown() error {
	a.stopping.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	a.stopConns()
	var errs []error
	if err := a.server.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	errs = append(errs, a.outbox.Stop(ctx), a.timers.Stop(ctx), a.sync.Stop(ctx))
	for _, p := range a.platforms {
		if p.stop != nil {
			errs = append(errs, p.stop(ctx))
		}
	}
	errs = append(errs, a.closeFanout(), a.Store.Close())
	return errors.Join(errs...)
}

// Close releases an App that was never served.
func (a *App) Close() error {
	a.stopConns()
	if a.listener != nil {
		a.listener.Close()
	}
	if a.sync != nil {
		_ = a.sync.Stop(context.Background()) // never started: this only unsubscribes
	}
	return errors.Join(a.closeFanout(), a.Store.Close())
}
