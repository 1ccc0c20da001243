package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"switchboard/app"
	"switchboard/secrets"
)

const secretsUsage = `usage: switchboard secrets COMMAND [--data DIR] [--database URL]

  status   how many keys there are, and how many secrets an older key sealed
  rotate   add a new primary key to the key file and seal every secret with it
  reseal   seal every secret with the current primary key (keys from SWITCHBOARD_SECRET_KEYS)
  prune    drop the older keys once no secret needs them

Stop the server first, and start it again afterwards: it reads the keys at start.`

// runSecrets rotates the key that seals secrets at rest (platform
// credentials, webhook tokens, API channel secrets): see docs/configuration.md.
func runSecrets(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		return &exitError{code: 2, err: errors.New(secretsUsage)}
	}
	sub := args[0]
	switch sub {
	case "status", "rotate", "reseal", "prune":
	default:
		return &exitError{code: 2, err: fmt.Errorf("unknown secrets command %q\n%s", sub, secretsUsage)}
	}
	fs := newFlagSet("secrets "+sub, std)
	where := addStoreFlags(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := where.config()
	if err != nil {
		return err
	}
	dbPath, keyFile := filepath.Join(cfg.DataDir, app.SQLiteFile), filepath.Join(cfg.DataDir, "secret.key")
	if _, err := os.Stat(dbPath); err != nil && !app.IsPostgres(cfg.Database) {
		return fmt.Errorf("no switchboard data in %s (%w): pass --data DIR", cfg.DataDir, err)
	}
	env := os.Getenv(secrets.EnvVar)
	if sub == "rotate" {
		if env != "" {
			return fmt.Errorf("the keys come from %s: put a new key first in it (head -c 32 /dev/urandom | base64), then run `switchboard secrets reseal`", secrets.EnvVar)
		}
		keys, err := secrets.ReadKeyFile(keyFile)
		if err != nil {
			return err
		}
		// The file keeps the older keys until prune: a crash before every
		// secret is sealed again loses nothing.
		if err := secrets.WriteKeyFile(keyFile, append([][]byte{secrets.NewKey()}, keys...)); err != nil {
			return err
		}
	}
	keyring, err := secrets.Load(env, keyFile)
	if err != nil {
		return err
	}
	store, err := where.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	switch sub {
	case "status":
		stale, err := app.StaleSecrets(ctx, store, keyring)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "%d key(s), primary %s; %d secret(s) sealed with an older key\n", keyring.Len(), keyring.Primary(), stale)
	case "rotate", "reseal":
		n, err := app.Reseal(ctx, store, keyring)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "%d document(s) and channel(s) sealed with key %s; run `switchboard secrets prune` to drop the older keys\n", n, keyring.Primary())
	case "prune":
		stale, err := app.StaleSecrets(ctx, store, keyring)
		if err != nil {
			return err
		}
		if stale > 0 {
			return fmt.Errorf("%d secret(s) are still sealed with an older key: run `switchboard secrets reseal` first", stale)
		}
		if env != "" {
			fmt.Fprintf(std.out, "No secret needs the older keys: remove every key but the first from %s.\n", secrets.EnvVar)
			return nil
		}
		keys, err := secrets.ReadKeyFile(keyFile)
		if err != nil {
			return err
		}
		if err := secrets.WriteKeyFile(keyFile, keys[:1]); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "%d older key(s) dropped; %s keeps key %s\n", len(keys)-1, keyFile, keyring.Primary())
	}
	return nil
}
