package chatwoot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// Signature modes of the settings.
const (
	SignatureRequired = "required"
	SignaturePresent  = "present"
	SignatureOff      = "off"
)

// signatureWindow is how old (or how far ahead) a signed call may be.
const signatureWindow = 5 * time.Minute

// Sign is Chatwoot's webhook signature of a body sent at ts:
// sha256=hex(HMAC-SHA256(secret, "{ts}.{body}")).
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// verify checks a call's X-Chatwoot-Signature and X-Chatwoot-Timestamp as
// the settings say: required (a call without a valid signature is refused),
// present (the default: a signature that is sent must be valid) or off. A
// refused call is EUNAUTHORIZED and says why, for Chatwoot's webhook log.
// An accepted call is signed when its signature was checked and matched;
// any other accepted call (unsigned, no secret known, mode off) proves only
// that the caller knows the URL's token, so it may only make switchboard
// read the conversation back (see Receiver.receive).
func verify(mode, secret string, h http.Header, body []byte, now time.Time) (signed bool, err error) {
	if mode == SignatureOff {
		return false, nil
	}
	sig, ts := strings.TrimSpace(h.Get("X-Chatwoot-Signature")), strings.TrimSpace(h.Get("X-Chatwoot-Timestamp"))
	required := mode == SignatureRequired
	switch {
	case sig == "" && required:
		return false, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the call has no X-Chatwoot-Signature and the bot requires signed webhooks")
	case sig == "":
		return false, nil
	case secret == "" && required:
		return false, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the bot knows no webhook secret to check X-Chatwoot-Signature with: save its livechat settings again")
	case secret == "":
		return false, nil // nothing to check it against: the inbox has no secret
	}
	at, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false, switchboard.Errorf(switchboard.EUNAUTHORIZED, "X-Chatwoot-Timestamp %q is not a time in seconds", ts)
	}
	if d := now.Sub(time.Unix(at, 0)); d > signatureWindow || d < -signatureWindow {
		return false, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the call was signed %s from now, more than %s: a replay, or clocks apart", d.Round(time.Second), signatureWindow)
	}
	if !hmac.Equal([]byte(strings.ToLower(sig)), []byte(Sign(secret, at, body))) {
		return false, switchboard.Errorf(switchboard.EUNAUTHORIZED, "X-Chatwoot-Signature does not match the body: the call is not from the bot's Chatwoot inbox")
	}
	return true, nil
}
