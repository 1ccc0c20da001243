package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/internal/cputime"
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
	sqliteSync := fs.String("sqlite-sync", "", "SQLite durability: FULL (default: an answered message survives a power loss) or NORMAL (survives a crash of switchboard only; env SWITCHBOARD_SQLITE_SYNC)")
	callbackAllow := fs.String("callback-allow", "", "non-public `addresses` Chat API callbacks may reach, comma-separated: ranges (10.0.0.0/8), addresses (127.0.0.1) or address:port (127.0.0.1:9000) (env SWITCHBOARD_CALLBACK_ALLOW)")
	botHTTPAllow := fs.String("bot-http-allow", "", "non-public `addresses` bots may reach (HTTP(), App(), module downloads), in the form of --callback-allow (env SWITCHBOARD_BOT_HTTP_ALLOW)")
	smtpHost := fs.String("smtp-host", "", "SMTP `server` of the bots that send e-mail without .auth() (env SWITCHBOARD_SMTP_HOST; password in env SWITCHBOARD_SMTP_PASSWORD)")
	smtpPort := fs.Int("smtp-port", 0, "SMTP `port` (env SWITCHBOARD_SMTP_PORT; default 465 with tls, 587 with starttls, 25 with none)")
	smtpTLS := fs.String("smtp-tls", "", "SMTP encryption: tls (default), starttls or none (env SWITCHBOARD_SMTP_TLS)")
	smtpUser := fs.String("smtp-username", "", "SMTP `username` (env SWITCHBOARD_SMTP_USERNAME)")
	smtpAllow := fs.String("smtp-allow", "", "non-public `addresses` the bots' SMTP connections may reach, in --callback-allow's forms (env SWITCHBOARD_SMTP_ALLOW)")
	var bots listFlag
	fs.Var(&bots, "bot", "bot `folder` (CSML Studio export: bot.json + flows/) or BotModel JSON file; repeatable (env SWITCHBOARD_BOTS, comma-separated)")
	platform := fs.String("livechat-platform", "", "livechat `platform` of the --bot bots: desk (default) or none")
	timeout := fs.Duration("livechat-timeout", 0, "livechat session `timeout` of the --bot bots (default 30m, from 1m to 168h)")
	endMessage := fs.String("livechat-end-message", "", "`text` of the question shown when an agent signs off")
	endLabel := fs.String("livechat-end-label", "", "`label` of the button that ends the session")
	maxConns := fs.Int("max-conns", 0, "most open `connections` (default: what the open file limit allows, at most 50000; -1: no limit; env SWITCHBOARD_MAX_CONNS)")
	maxConnsPerAddr := fs.Int("max-conns-per-addr", 0, "most open connections of one client `address` (default 256; -1: no limit, behind a reverse proxy; env SWITCHBOARD_MAX_CONNS_PER_ADDR)")
	bodyTimeout := fs.Duration("body-timeout", 0, "longest `time` a request's body may take to arrive (default 30s; env SWITCHBOARD_BODY_TIMEOUT)")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the server to `file` until it stops, for go tool pprof (docs/benchmarks.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := cputime.Profile(*cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpu-profile: %w", err)
		}
		defer stop()
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
	storeSettings(&cfg, *data, *database)
	cfg.PublicURL = firstOf(*publicURL, os.Getenv("SWITCHBOARD_PUBLIC_URL"), cfg.PublicURL)
	cfg.SQLiteSync = firstOf(*sqliteSync, os.Getenv("SWITCHBOARD_SQLITE_SYNC"), cfg.SQLiteSync)
	if err := connSettings(&cfg, *maxConns, *maxConnsPerAddr, *bodyTimeout); err != nil {
		return err
	}
	if allow := firstOf(*callbackAllow, os.Getenv("SWITCHBOARD_CALLBACK_ALLOW")); allow != "" {
		cfg.CallbackAllow = strings.Split(allow, ",")
	}
	if allow := firstOf(*botHTTPAllow, os.Getenv("SWITCHBOARD_BOT_HTTP_ALLOW")); allow != "" {
		cfg.BotHTTPAllow = strings.Split(allow, ",")
	}
	if err := smtpSettings(&cfg.SMTP, *smtpHost, *smtpPort, *smtpTLS, *smtpUser, *smtpAllow); err != nil {
		return err
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

// connSettings sets the connection limits from the flags, else the
// environment, else leaves the configuration file's.
func connSettings(cfg *app.Config, maxConns, perAddr int, bodyTimeout time.Duration) error {
	for _, s := range []struct {
		flag int
		env  string
		to   *int
	}{{maxConns, "SWITCHBOARD_MAX_CONNS", &cfg.MaxConns}, {perAddr, "SWITCHBOARD_MAX_CONNS_PER_ADDR", &cfg.MaxConnsPerAddr}} {
		switch v := os.Getenv(s.env); {
		case s.flag != 0:
			*s.to = s.flag
		case v != "":
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%s=%q: use a whole number (-1 for no limit)", s.env, v)
			}
			*s.to = n
		}
	}
	switch v := os.Getenv("SWITCHBOARD_BODY_TIMEOUT"); {
	case bodyTimeout != 0:
		cfg.BodyTimeout = livechat.Duration(bodyTimeout)
	case v != "":
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("SWITCHBOARD_BODY_TIMEOUT=%q: use a duration such as 30s or 2m", v)
		}
		cfg.BodyTimeout = livechat.Duration(d)
	}
	return nil
}

// serve starts an app and prints where to find it; banner adds lines.
func serve(ctx context.Context, cfg app.Config, out io.Writer, banner func(a *app.App) []string) error {
	if cfg.Log != nil {
		raiseFileLimit(cfg.Log)
	}
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
	if hint := firstAgentHint(ctx, a, cfg); hint != "" {
		fmt.Fprintln(out, hint)
	}
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	return a.Serve(ctx)
}

// firstAgentHint is the line that says how to add the first agent, when the
// server has none: with no agent nobody can sign in to the desk or the
// administration. The command names the server's store.
func firstAgentHint(ctx context.Context, a *app.App, cfg app.Config) string {
	var agents []switchboard.Agent
	err := a.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		agents, err = tx.ListAgents(ctx)
		return err
	})
	if err != nil || len(agents) > 0 {
		return ""
	}
	where := "--data " + shellQuote(absPath(cfg.DataDir))
	if app.IsPostgres(cfg.Database) {
		where = "--database URL (this server's)"
	}
	return "\n  No agent yet: add the first one (an administrator) with\n    switchboard agent add " + where + " --email you@example.com --name \"Your name\" --admin"
}

// shellQuote quotes s for a POSIX shell when it holds more than plain
// path characters.
func shellQuote(s string) string {
	if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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

// smtpSettings lays the --smtp-* flags, else the SWITCHBOARD_SMTP_*
// variables, over the configuration file's smtp setting.
func smtpSettings(c *app.SMTPConfig, host string, port int, tlsMode, user, allow string) error {
	a := &c.Account
	a.Host = firstOf(host, os.Getenv("SWITCHBOARD_SMTP_HOST"), a.Host)
	a.TLS = firstOf(tlsMode, os.Getenv("SWITCHBOARD_SMTP_TLS"), a.TLS)
	a.Username = firstOf(user, os.Getenv("SWITCHBOARD_SMTP_USERNAME"), a.Username)
	a.Password = firstOf(os.Getenv("SWITCHBOARD_SMTP_PASSWORD"), a.Password)
	if port == 0 && os.Getenv("SWITCHBOARD_SMTP_PORT") != "" {
		p, err := strconv.Atoi(os.Getenv("SWITCHBOARD_SMTP_PORT"))
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("SWITCHBOARD_SMTP_PORT %q is not a port number", os.Getenv("SWITCHBOARD_SMTP_PORT"))}
		}
		port = p
	}
	if port != 0 {
		a.Port = port
	}
	if allow = firstOf(allow, os.Getenv("SWITCHBOARD_SMTP_ALLOW")); allow != "" {
		c.Allow = strings.Split(allow, ",")
	}
	return nil
}
