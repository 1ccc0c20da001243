package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"switchboard"
	"switchboard/livechat"
)

// Prefixes of API keys and secrets, so that a leaked one is recognised.
const (
	keyPrefix    = "pk_"
	secretPrefix = "sk_"
)

// NewCredentials gives an API channel a fresh key and secret, replacing the
// ones it had. The secret is kept sealed in ch.Secret and returned in clear
// this once, to show to the administrator who asked.
func NewCredentials(s livechat.Sealer, ch *switchboard.Channel) (secret string) {
	ch.APIKey = keyPrefix + random(18)
	secret = secretPrefix + random(32)
	ch.Secret = s.Seal([]byte(secret), secretPlace(ch.ID))
	return secret
}

// ChannelSecret opens an API channel's secret.
func ChannelSecret(s livechat.Sealer, ch *switchboard.Channel) ([]byte, error) {
	if ch.Secret == "" {
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "channel %s has no API secret: rotate its keys in the administration", ch.ID)
	}
	plain, err := s.Open(ch.Secret, secretPlace(ch.ID))
	if err != nil {
		return nil, fmt.Errorf("open the secret of channel %s: %w", ch.ID, err)
	}
	return plain, nil
}

// Reseal seals a channel's secret again, with the sealer's primary key (for
// the rotation of the key that seals secrets at rest).
func Reseal(s livechat.Sealer, ch *switchboard.Channel) error {
	plain, err := ChannelSecret(s, ch)
	if err != nil {
		return err
	}
	ch.Secret = s.Seal(plain, secretPlace(ch.ID))
	return nil
}

// secretPlace binds a sealed secret to its channel.
func secretPlace(channelID string) string { return "channel:" + channelID + ":secret" }

// random returns n random bytes, base64url-encoded.
func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
