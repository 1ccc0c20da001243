package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

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
// temporary data folder, listening on a free loopback port.
type Server struct {
	App     *app.App
	ChatURL string
	// Channel is the demo bot's webapp channel id.
	Channel string
	dir     string
	cancel  context.CancelFunc
	done    chan error
}

// Start starts a server; Stop removes its data.
func Start(ctx context.Context) (*Server, error) { return StartWith(ctx, nil) }

// StartWith starts a server whose demo bot has these livechat settings (nil:
// the defaults, the built-in desk).
func StartWith(ctx context.Context, settings *livechat.Settings) (*Server, error) {
	dir, err := os.MkdirTemp("", "switchboard-load-")
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, app.Config{
		Addr: "127.0.0.1:0", DataDir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS, Livechat: settings}},
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := a.Listen(); err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	if _, err := desk.CreateAgent(ctx, a.Store, nil, AgentEmail, "Load", AgentPassword); err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create agent: %w", err)
	}
	chat, err := a.ChatURL(ctx, "livechat-demo")
	if err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	s := &Server{App: a, ChatURL: chat, Channel: chat[strings.LastIndex(chat, "/")+1:], dir: dir, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- a.Serve(sctx) }()
	return s, nil
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.App.URL() }

// Stop shuts the server down and removes its data folder.
func (s *Server) Stop() error {
	s.cancel()
	err := <-s.done
	os.RemoveAll(s.dir)
	return err
}
