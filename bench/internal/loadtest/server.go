package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// Agent is the desk account the load tools sign in with.
const (
	AgentEmail    = "load@example.com"
	AgentPassword = "load-test-password"
)

// Server is a switchboard server with the demo bot, run in this process on a
// temporary data folder (and, with a database URL, a fresh PostgreSQL
// schema), listening on a free loopback port.
type Server struct {
	App     *app.App
	ChatURL string
	// Channel is the demo bot's webapp channel id.
	Channel string
	dir     string
	schema  *Schema
	cancel  context.CancelFunc
	done    chan error
}

// Options say how to start a server.
type Options struct {
	// Livechat, when set, are the demo bot's livechat settings (nil: the
	// defaults, the built-in desk).
	Livechat *livechat.Settings
	// Database, when set, is a PostgreSQL URL: the server runs on a fresh
	// schema of it, which Stop drops. Empty means SQLite.
	Database string
	// SQLiteSync is the SQLite store's synchronous setting (NORMAL, FULL;
	// empty: the default, FULL).
	SQLiteSync string
}

// Start starts a server; Stop removes its data.
func Start(ctx context.Context) (*Server, error) { return StartOptions(ctx, Options{}) }

// StartWith starts a server whose demo bot has these livechat settings (nil:
// the defaults, the built-in desk).
func StartWith(ctx context.Context, settings *livechat.Settings) (*Server, error) {
	return StartOptions(ctx, Options{Livechat: settings})
}

// StartOptions starts a server as o says.
func StartOptions(ctx context.Context, o Options) (_ *Server, err error) {
	dir, err := os.MkdirTemp("", "switchboard-load-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, done: make(chan error, 1)}
	defer func() {
		if err != nil {
			s.cleanup()
		}
	}()
	cfg := app.Config{
		Addr: "127.0.0.1:0", DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS, Livechat: o.Livechat}}, SQLiteSync: o.SQLiteSync,
		// Every simulated client comes from this machine's one address.
		MaxConns: -1, MaxConnsPerAddr: -1,
	}
	if o.Database != "" {
		if s.schema, err = NewSchema(ctx, o.Database); err != nil {
			return nil, err
		}
		cfg.Database = s.schema.URL
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := a.Listen(); err != nil {
		a.Close()
		return nil, err
	}
	if _, err := desk.CreateAgent(ctx, a.Store, nil, AgentEmail, "Load", AgentPassword); err != nil {
		a.Close()
		return nil, fmt.Errorf("create agent: %w", err)
	}
	chat, err := a.ChatURL(ctx, "livechat-demo")
	if err != nil {
		a.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	s.App, s.ChatURL, s.Channel, s.cancel = a, chat, chat[strings.LastIndex(chat, "/")+1:], cancel
	go func() { s.done <- a.Serve(sctx) }()
	return s, nil
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.App.URL() }

// Probe samples the CPU of the server's database (the server runs in this
// process).
func (s *Server) Probe() Probe { return Probe{Schema: s.schema} }

// AddAgent creates a desk agent with the load tools' password; SignInAs
// signs it in.
func (s *Server) AddAgent(ctx context.Context, email, name string) error {
	_, err := desk.CreateAgent(ctx, s.App.Store, nil, email, name, AgentPassword)
	return err
}

// LiveSession returns the id of the live livechat session of a user of the
// demo bot's chat page.
func (s *Server) LiveSession(ctx context.Context, userID string) (string, error) {
	var id string
	err := s.App.Store.View(ctx, func(tx switchboard.Tx) error {
		ch, err := tx.Channel(ctx, s.Channel)
		if err != nil {
			return err
		}
		se, err := tx.FindLiveSession(ctx, switchboard.ClientKey{BotID: ch.BotID, ChannelID: ch.ID, UserID: userID})
		if err != nil {
			return err
		}
		if se == nil {
			return fmt.Errorf("user %s has no live session", userID)
		}
		id = se.ID
		return nil
	})
	return id, err
}

// Stop shuts the server down and removes its data folder (and its schema).
func (s *Server) Stop() error {
	s.cancel()
	err := <-s.done
	s.cleanup()
	return err
}

func (s *Server) cleanup() {
	if s.schema != nil {
		if err := s.schema.Drop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.RemoveAll(s.dir)
}
