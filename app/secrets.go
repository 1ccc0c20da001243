package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpapi"
	"switchboard/livechat"
	"switchboard/secrets"
)

// Settings documents that hold sealed secrets: each bot's livechat settings
// (platform credentials, webhook token) and the instance's own secrets (the
// webapp's token key).
const (
	livechatPrefix = "livechat:"
	instancePrefix = "instance:"
)

// openInstanceSecret reads an instance secret: a sealed value, or the raw
// bytes that versions before sealing stored.
func openInstanceSecret(k *secrets.Keyring, name string, raw json.RawMessage) ([]byte, error) {
	var sealed string
	if json.Unmarshal(raw, &sealed) == nil && secrets.IsSealed(sealed) {
		return k.Open(sealed, name)
	}
	var plain []byte
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, fmt.Errorf("instance secret %s: %w", name, err)
	}
	return plain, nil
}

// Reseal seals every secret at rest again with the keyring's primary key:
// livechat settings, the bots' SMTP accounts, API channel secrets and
// instance secrets. It is the
// second step of a key rotation (see docs/configuration.md); it returns how
// many documents and channels it rewrote.
func Reseal(ctx context.Context, store switchboard.Store, k *secrets.Keyring) (int, error) {
	n := 0
	err := store.Update(ctx, func(tx switchboard.Tx) error {
		names, err := tx.SettingNames(ctx, livechatPrefix)
		if err != nil {
			return err
		}
		for _, name := range names {
			botID := strings.TrimPrefix(name, livechatPrefix)
			s, err := livechat.LoadSettings(ctx, tx, k, botID)
			if err != nil {
				return err
			}
			if err := livechat.SaveSettings(ctx, tx, k, botID, s); err != nil {
				return err
			}
			n++
		}
		if names, err = tx.SettingNames(ctx, engine.SMTPSettingPrefix); err != nil {
			return err
		}
		for _, name := range names {
			botID := strings.TrimPrefix(name, engine.SMTPSettingPrefix)
			a, err := engine.LoadSMTPAccount(ctx, tx, k, botID)
			if err != nil {
				return err
			}
			if err := engine.SaveSMTPAccount(ctx, tx, k, botID, a); err != nil {
				return err
			}
			n++
		}
		if names, err = tx.SettingNames(ctx, instancePrefix); err != nil {
			return err
		}
		for _, name := range names {
			raw, err := tx.Setting(ctx, name)
			if err != nil {
				return err
			}
			plain, err := openInstanceSecret(k, name, raw)
			if err != nil {
				return err
			}
			raw, _ = json.Marshal(k.Seal(plain, name))
			if err := tx.PutSetting(ctx, name, raw); err != nil {
				return err
			}
			n++
		}
		chans, err := tx.ListChannels(ctx)
		if err != nil {
			return err
		}
		for i := range chans {
			if chans[i].Secret == "" {
				continue
			}
			if err := httpapi.Reseal(k, &chans[i]); err != nil {
				return err
			}
			if err := tx.PutChannel(ctx, &chans[i]); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reseal secrets: %w", err)
	}
	return n, nil
}

// StaleSecrets counts the secrets at rest that a key other than the
// keyring's primary sealed: zero means the older keys can be dropped.
func StaleSecrets(ctx context.Context, store switchboard.Store, k *secrets.Keyring) (int, error) {
	n := 0
	err := store.View(ctx, func(tx switchboard.Tx) error {
		for _, prefix := range []string{livechatPrefix, engine.SMTPSettingPrefix, instancePrefix} {
			names, err := tx.SettingNames(ctx, prefix)
			if err != nil {
				return err
			}
			for _, name := range names {
				raw, err := tx.Setting(ctx, name)
				if err != nil {
					return err
				}
				for _, v := range secrets.SealedIn(string(raw)) {
					if k.Stale(v) {
						n++
					}
				}
			}
		}
		chans, err := tx.ListChannels(ctx)
		for _, c := range chans {
			if c.Secret != "" && k.Stale(c.Secret) {
				n++
			}
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count stale secrets: %w", err)
	}
	return n, nil
}
