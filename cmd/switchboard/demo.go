package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"switchboard"
	"switchboard/app"
	"switchboard/examples"
	"switchboard/internal/ownerfile"
	"switchboard/livechat/desk"
)

// The demo's agent account, created on first start.
const (
	demoAgentEmail = "agent@example.com"
	demoAgentName  = "Alex"
	demoLoginFile  = "demo-agent.json"
)

// runDemo starts a server with the bundled livechat bot and an agent, and
// prints everything a newcomer needs to see the handoff.
func runDemo(ctx context.Context, args []string, std stdio) error {
	out := std.out
	fs := newFlagSet("demo", std)
	addr := fs.String("addr", app.DefaultAddr, "listen `address`")
	data := fs.String("data", "./"+app.DefaultDataDir, "data `folder` (delete it to start over)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, _ := newLogger(os.Stderr, "text", "warn")
	cfg := app.Config{
		Addr: *addr, DataDir: *data, Log: log,
		Bots: []app.BotConfig{{Path: examples.Livechat, FS: examples.FS}},
	}
	return serve(ctx, cfg, out, func(a *app.App) []string {
		login, err := demoAgent(ctx, a.Store, *data)
		if err != nil {
			return []string{"  Agent login: unavailable (" + err.Error() + ")"}
		}
		return []string{
			fmt.Sprintf("  Agent login: %s / %s  (it signs in to the administration too)", login.Email, login.Password),
			"",
			"Open the chat page, click \"Talk to a human\", then sign in to the desk and answer.",
			fmt.Sprintf("Data is kept in %s (delete it to start over).", *data),
		}
	})
}

// demoLogin is the demo agent's credentials, kept in the data folder so that
// later starts can print them again.
type demoLogin struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// demoAgent creates the demo agent on first start, or reads its login back.
func demoAgent(ctx context.Context, store switchboard.Store, dataDir string) (*demoLogin, error) {
	file := filepath.Join(dataDir, demoLoginFile)
	if err := ownerfile.Check(file); err != nil {
		return nil, fmt.Errorf("demo login (a password in clear): %w", err)
	}
	if data, err := os.ReadFile(file); err == nil {
		var l demoLogin
		if err := json.Unmarshal(data, &l); err == nil && l.Password != "" {
			return &l, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	l := &demoLogin{Email: demoAgentEmail, Password: desk.NewPassword()}
	a, err := desk.CreateAgent(ctx, store, switchboard.SystemClock{}, l.Email, demoAgentName, l.Password)
	if err != nil {
		if switchboard.ErrorCode(err) == switchboard.ECONFLICT {
			return nil, fmt.Errorf("the demo agent exists but %s is gone: delete %s to start over", file, dataDir)
		}
		return nil, err
	}
	// The demo's agent also administers the demo, from the same sign-in.
	admin := true
	if _, err := desk.ChangeAgent(ctx, store, a.ID, desk.AgentChange{Admin: &admin}); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(l)
	if err := ownerfile.Write(file, data); err != nil {
		return nil, fmt.Errorf("save demo login: %w", err)
	}
	return l, nil
}
