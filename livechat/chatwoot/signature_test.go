package chatwoot

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"switchboard"
)

func TestSignatureModes(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"message_created"}`)
	headers := func(secret string, at time.Time) http.Header {
		h := http.Header{}
		h.Set("X-Chatwoot-Timestamp", strconv.FormatInt(at.Unix(), 10))
		h.Set("X-Chatwoot-Signature", Sign(secret, at.Unix(), body))
		return h
	}
	good, none := headers("s3cret", now), http.Header{}
	cases := []struct {
		name, mode, secret string
		h                  http.Header
		ok, signed         bool
	}{
		{"signed", SignatureRequired, "s3cret", good, true, true},
		{"signed, mode present", SignaturePresent, "s3cret", good, true, true},
		{"signed, 4 minutes old", SignatureRequired, "s3cret", headers("s3cret", now.Add(-4*time.Minute)), true, true},
		{"signed, 6 minutes old", SignatureRequired, "s3cret", headers("s3cret", now.Add(-6*time.Minute)), false, false},
		{"signed, 6 minutes ahead", SignaturePresent, "s3cret", headers("s3cret", now.Add(6*time.Minute)), false, false},
		{"wrong secret", SignaturePresent, "s3cret", headers("other", now), false, false},
		{"wrong secret, mode off", SignatureOff, "s3cret", headers("other", now), true, false},
		{"signed, mode off", SignatureOff, "s3cret", good, true, false},
		{"unsigned, required", SignatureRequired, "s3cret", none, false, false},
		{"unsigned, present", SignaturePresent, "s3cret", none, true, false},
		{"unsigned, default mode", "", "s3cret", none, true, false},
		{"signed, no secret known, present", "", "", good, true, false},
		{"signed, no secret known, required", SignatureRequired, "", good, false, false},
	}
	for _, c := range cases {
		signed, err := verify(c.mode, c.secret, c.h, body, now)
		if (err == nil) != c.ok || signed != c.signed || err != nil && switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
			t.Errorf("%s: signed %v, %v; want ok %v, signed %v", c.name, signed, err, c.ok, c.signed)
		}
	}
	bad := good.Clone()
	bad.Set("X-Chatwoot-Timestamp", "yesterday")
	if _, err := verify(SignatureRequired, "s3cret", bad, body, now); err == nil {
		t.Error("a timestamp that is not a number was accepted")
	}
	// A vector computed apart (Python's hmac): "{ts}.{body}" with the secret.
	if got := Sign("secret", 1700000000, []byte("{}")); got != "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163" {
		t.Errorf("Sign = %q", got)
	}
}
