package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
	"switchboard/csml"
	"switchboard/csml/smtphost"
	"switchboard/livechat"
	"switchboard/secrets"
)

// A bot's own SMTP account is a setting ("smtp:BOT") whose password is
// sealed with the secrets keyring, bound to the bot: the account bots use
// when they send e-mail without .auth() (see package smtphost).

// SMTPSettingPrefix begins the names of the bots' SMTP account settings.
const SMTPSettingPrefix = "smtp:"

func smtpSettingName(botID string) string { return SMTPSettingPrefix + botID }

func smtpSecretPlace(botID string) string { return "smtp:" + botID + ":password" }

// LoadSMTPAccount reads a bot's SMTP account and opens its password; nil
// when the bot has none.
func LoadSMTPAccount(ctx context.Context, tx switchboard.Tx, sealer livechat.Sealer, botID string) (*smtphost.Account, error) {
	raw, err := tx.Setting(ctx, smtpSettingName(botID))
	if err != nil {
		return nil, fmt.Errorf("load SMTP account of bot %s: %w", botID, err)
	}
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	var a smtphost.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("decode SMTP account of bot %s: %w", botID, err)
	}
	if secrets.IsSealed(a.Password) {
		if sealer == nil {
			return nil, fmt.Errorf("the SMTP account of bot %s has a sealed password and no key is configured", botID)
		}
		plain, err := sealer.Open(a.Password, smtpSecretPlace(botID))
		if err != nil {
			return nil, fmt.Errorf("SMTP account of bot %s: %w", botID, err)
		}
		a.Password = string(plain)
	}
	return &a, nil
}

// SaveSMTPAccount checks a bot's SMTP account, seals its password and
// stores it; nil removes it.
func SaveSMTPAccount(ctx context.Context, tx switchboard.Tx, sealer livechat.Sealer, botID string, a *smtphost.Account) error {
	raw := json.RawMessage("null")
	if a != nil {
		if err := a.Validate(); err != nil {
			return switchboard.Errorf(switchboard.EINVALID, "smtp: %v", err)
		}
		sealed := *a
		if sealed.Password != "" {
			if sealer == nil {
				return fmt.Errorf("save SMTP account: no key to seal the password with")
			}
			sealed.Password = sealer.Seal([]byte(sealed.Password), smtpSecretPlace(botID))
		}
		raw, _ = json.Marshal(sealed) // an Account always encodes
	}
	if err := tx.PutSetting(ctx, smtpSettingName(botID), raw); err != nil {
		return fmt.Errorf("save SMTP account of bot %s: %w", botID, err)
	}
	return nil
}

// smtpHook is the run's e-mail hook: the engine's sender, with the bot's
// own account read (in the turn's transaction) when an e-mail needs one.
func (t *turn) smtpHook() func(context.Context, csml.SMTPMessage) error {
	return func(ctx context.Context, msg csml.SMTPMessage) error {
		var account *smtphost.Account
		if msg.Username == "" && msg.Password == "" {
			a, err := LoadSMTPAccount(t.ctx, t.tx, t.e.sealer, t.key.BotID)
			if err != nil {
				return err
			}
			account = a
		}
		return t.e.smtp.SendAs(ctx, account, msg)
	}
}
