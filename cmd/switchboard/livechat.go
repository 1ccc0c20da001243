package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"switchboard"
	"switchboard/app"
	"switchboard/livechat"
	"switchboard/secrets"
)

// receiveURLs build, per platform, the URL a platform calls with its webhooks
// (token included). It is app's map, which the administration's settings page
// reads too, so that both show the same URL.
var receiveURLs = app.ReceiveURLs

// runLivechat handles `switchboard livechat url BOT`.
func runLivechat(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] != "url" {
		return &exitError{code: 2, err: errors.New("usage: switchboard livechat url BOT [--data DIR] [--database URL] [--public-url URL]")}
	}
	fs := newFlagSet("livechat url", std)
	where := addStoreFlags(fs)
	publicURL := fs.String("public-url", os.Getenv("SWITCHBOARD_PUBLIC_URL"), "`URL` the platform reaches switchboard at (env SWITCHBOARD_PUBLIC_URL)")
	rest := args[1:]
	if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		return &exitError{code: 2, err: errors.New("name the bot: switchboard livechat url BOT")}
	}
	botID := rest[0]
	if err := parseFlags(fs, rest[1:]); err != nil {
		return err
	}
	if *publicURL == "" {
		return &exitError{code: 2, err: errors.New("--public-url is needed: the address where the platform reaches this server, such as https://chat.example.com")}
	}
	cfg, err := where.config()
	if err != nil {
		return err
	}
	store, err := where.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	keyring, err := secrets.Load(os.Getenv(secrets.EnvVar), filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil {
		return err
	}
	var s livechat.Settings
	err = store.View(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.LatestBot(ctx, botID); err != nil {
			return err
		}
		s, err = livechat.LoadSettings(ctx, tx, keyring, botID)
		return err
	})
	if err != nil {
		return errors.New(switchboard.ErrorMessage(err))
	}
	platform := s.Resolve().Platform
	build, ok := receiveURLs[platform]
	if !ok {
		return fmt.Errorf("bot %s uses the livechat platform %q, which calls no URL", botID, platform)
	}
	token, err := (livechat.Configurer{Store: store, Sealer: keyring}).Token(ctx, botID)
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, build(strings.TrimRight(*publicURL, "/"), token))
	return nil
}
