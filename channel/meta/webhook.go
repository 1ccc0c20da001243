package meta

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"switchboard"
)

// Handshake answers Meta's GET verification: the challenge, when the mode
// is subscribe and the verify token is verifyToken.
func Handshake(q url.Values, verifyToken string) (string, error) {
	get := func(k string) string {
		if v := q.Get(k); v != "" {
			return v
		}
		return q.Get(strings.ReplaceAll(k, ".", "_")) // as some proxies rename them
	}
	mode, token, challenge := get("hub.mode"), get("hub.verify_token"), get("hub.challenge")
	if mode != "subscribe" || challenge == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "not a webhook verification: expected hub.mode=subscribe, hub.verify_token and hub.challenge")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(verifyToken)) != 1 {
		return "", switchboard.Errorf(switchboard.EFORBIDDEN, "hub.verify_token is not this channel's verify token: type the channel's verify_token into Meta's dashboard")
	}
	return challenge, nil
}

// Verify checks X-Hub-Signature-256: HMAC-SHA256 of the raw body with the
// app secret, in lowercase hex after "sha256=", compared in constant time.
// The legacy SHA-1 X-Hub-Signature alone is not taken.
func Verify(h http.Header, body []byte, appSecret string) error {
	sig, ok := strings.CutPrefix(h.Get("X-Hub-Signature-256"), "sha256=")
	if !ok {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "X-Hub-Signature-256 is missing: only Meta's signed webhooks are taken")
	}
	got, err := hex.DecodeString(sig)
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "X-Hub-Signature-256 does not match the body: is the channel's app_secret the Meta app's?")
	}
	return nil
}
