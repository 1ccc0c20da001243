package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/livechat"
	"switchboard/livechat/desk"
)

// server is a switchboard server as users run it, with the demo bot.
type server struct {
	t      *testing.T
	cfg    app.Config
	app    *app.App
	cancel context.CancelFunc
	done   chan error
}

const (
	agentEmail    = "alex@example.com"
	agentName     = "Alex"
	agentPassword = "correct horse battery"
)

// startServer starts a server on a fresh data folder with the demo bot (and
// the extra bots) and an agent account.
func startServer(t *testing.T, clock switchboard.Clock, settings *livechat.Settings, extra ...app.BotConfig) *server {
	t.Helper()
	s := &server{t: t, cfg: app.Config{
		Addr: freeAddr(t), DataDir: t.TempDir(), Clock: clock, WorkerPoll: 20 * time.Millisecond,
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bots: append([]app.BotConfig{{Path: examples.Livechat, FS: examples.FS, Livechat: settings}}, extra...),
	}}
	s.start()
	if _, err := desk.CreateAgent(context.Background(), s.app.Store, clock, agentEmail, agentName, agentPassword); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	return s
}

// start (re)starts the server on its address and data folder.
func (s *server) start() {
	s.t.Helper()
	a, err := app.New(context.Background(), s.cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.app, s.cancel, s.done = a, cancel, make(chan error, 1)
	go func() { s.done <- a.Serve(ctx) }()
}

// stop shuts the server down gracefully, as Ctrl+C does.
func (s *server) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	if err := <-s.done; err != nil {
		s.t.Errorf("shutdown: %v", err)
	}
	s.cancel = nil
}

func (s *server) chatURL() string {
	s.t.Helper()
	u, err := s.app.ChatURL(context.Background(), "livechat-demo")
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// history returns every message of the bot's clients, oldest first.
func (s *server) history() []switchboard.Message {
	s.t.Helper()
	var out []switchboard.Message
	ctx := context.Background()
	err := s.app.Store.View(ctx, func(tx switchboard.Tx) error {
		sessions, err := tx.ListSessions(ctx, switchboard.SessionFilter{})
		if err != nil || len(sessions) == 0 {
			return err
		}
		out, err = tx.MessagesAfter(ctx, sessions[0].Client, 0, 1000)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
