package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"switchboard/app"
	"switchboard/livechat"
)

// runServe starts the server configured by a file, the environment and flags,
// in that order of precedence (flags win).
func runServe(ctx context.Context, args []string, std stdio) error {
	out := std.out
	fs := newFlagSet("serve", std)
	configPath := fs.String("config", os.Getenv("SWITCHBOARD_CONFIG"), "JSON configuration `file` (env SWITCHBOARD_CONFIG); see docs/configuration.md")
	addr := fs.String("addr", "", "listen `address` (default 127.0.0.1:8080; env SWITCHBOARD_ADDR)")
	data := fs.String("data", "", "data `folder` for the SQLite database (default ./switchboard-data; env SWITCHBOARD_DATA)")
	database := fs.String("database", "", "PostgreSQL database `URL`, for several instances on one database (env SWITCHBOARD_DATABASE; default: SQLite in the data folder)")
	publicURL := fs.String("public-url", "", "`URL` users and platforms reach this server at (env SWITCHBOARD_PUBLIC_URL)")
	sqliteSync := fs.String("sqlite-sync", "", "SQLite durability: NORMAL (default) or FULL (env SWITCHBOARD_SQLITE_SYNC)")
	callbackAllow := fs.String("callback-allow", "", "non-public `addresses` Chat API callbacks may reach, comma-separated: ranges (10.0.0.0/8), addresses (127.0.0.1) or address:port (127.0.0.1:9000) (env SWITCHBOARD_CALLBACK_ALLOW)")
	var bots listFlag
	fs.Var(&bots, "bot", "bot `folder` (CSML Studio export: bot.json + flows/) or BotModel JSON file; repeatable (env SWITCHBOARD_BOTS, comma-separated)")
	platform := fs.String("livechat-platform", "", "livechat `platform` of the --bot bots: desk (default) or none")
	timeout := fs.Duration("livechat-timeout", 0, "livechat session `timeout` of the --bot bots (default 30m, from 1m to 168h)")
	endMessage := fs.String("livechat-end-message", "", "`text` of the question shown when an agent signs off")
	endLabel := fs.String("livechat-end-label", "", "`label` of the button that ends the session")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := newLogger(os.Stderr, *logFormat, *logLevel)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	cfg, err := loadConfigFile(*configPath)
	if err != nil {
		return err
	}
	cfg.Addr = firstOf(*addr, os.Getenv("SWITCHBOARD_ADDR"), cfg.Addr)
	cfg.DataDir = firstOf(*data, os.Getenv("SWITCHBOARD_DATA"), cfg.DataDir)
	cfg.Database = firstOf(*database, os.Getenv("SWITCHBOARD_DATABASE"), cfg.Database)
	cfg.PublicURL = firstOf(*publicURL, os.Getenv("SWITCHBOARD_PUBLIC_URL"), cfg.PublicURL)
	cfg.SQLiteSync = firstOf(*sqliteSync, os.Getenv("SWITCHBOARD_SQLITE_SYNC"), cfg.SQLiteSync)
	if allow := firstOf(*callbackAllow, os.Getenv("SWITCHBOARD_CALLBACK_ALLOW")); allow != "" {
		cfg.CallbackAllow = strings.Split(allow, ",")
	}
	if len(bots) == 0 {
		for _, p := range strings.Split(os.Getenv("SWITCHBOARD_BOTS"), ",") {
			if p = strings.TrimSpace(p); p != "" {
				bots = append(bots, p)
			}
		}
	}
	settings := livechat.Settings{Platform: *platform, Timeout: livechat.Duration(*timeout), EndMessage: *endMessage, EndButtonLabel: *endLabel}
	for _, p := range bots {
		bc := app.BotConfig{Path: p}
		if settings != (livechat.Settings{}) {
			s := settings
			bc.Livechat = &s
		}
		cfg.Bots = append(cfg.Bots, bc)
	}
	if len(cfg.Bots) == 0 {
		log.Warn("no bot given: pass --bot DIR (a CSML Studio export) to serve one; bots stored by earlier runs are loaded")
	}
	cfg.Log = log
	cfg.SecretKeys = os.Getenv("SWITCHBOARD_SECRET_KEYS")
	cfg.AdminToken = os.Getenv("SWITCHBOARD_ADMIN_TOKEN")
	cfg.EngineAPIKeys = os.Getenv("SWITCHBOARD_ENGINE_API_KEYS")
	return serve(ctx, cfg, out, nil)
}

// serve starts an app and prints where to find it; banner adds lines.
func serve(ctx context.Context, cfg app.Config, out io.Writer, banner func(a *app.App) []string) error {
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		a.Close()
		return err
	}
	fmt.Fprintf(out, "switchboard is listening on %s\n\n", a.URL())
	for _, b := range a.Engine.Bots().List() {
		if url, err := a.ChatURL(ctx, b.Version.Bot.ID); err == nil {
			fmt.Fprintf(out, "  Chat page (%s):  %s\n", b.Version.Bot.Name, url)
		}
	}
	fmt.Fprintf(out, "  Agent desk:  %s\n", a.DeskURL())
	fmt.Fprintf(out, "  Administration:  %s (admin API token: %s)\n", a.AdminURL(), a.AdminTokenSource())
	if banner != nil {
		for _, l := range banner(a) {
			fmt.Fprintln(out, l)
		}
	}
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	return a.Serve(ctx)
}

// loadConfigFile reads the JSON configuration file, if one is named.
func loadConfigFile(path string) (app.Config, error) {
	var cfg app.Config
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("config file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config file %s: %w", path, err)
	}
	return cfg, nil
}

// newLogger builds the process logger.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: use text or json", format)
	}
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
