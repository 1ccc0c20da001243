package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPrivateModeSignatures(t *testing.T) {
	f := newFixture(t)
	body := event("sig", "text", map[string]any{"text": "hello"}, nil)
	now := time.Now()

	// A good signature is accepted; the same request again within its second
	// (a retry, or a replay) gets the first one's answer and runs nothing.
	good := f.signed(now)
	first := f.chat(good, body)
	if again := f.chat(good, body); again.InteractionID != first.InteractionID || again.RequestID != first.RequestID {
		t.Errorf("a repeated signed request ran again: %+v then %+v", first, again)
	}
	// The same second's signature may sign another request, which runs.
	if other := f.chat(good, event("sig", "text", map[string]any{"text": "another"}, nil)); other.InteractionID == first.InteractionID {
		t.Error("another request under the same signature got the first one's answer")
	}

	for _, c := range []struct {
		name   string
		header http.Header
		says   string
	}{
		{"wrong secret", signedWith(f.key, []byte("sk_not-the-secret"), now), "does not match"},
		{"another key's value", signedWith("pk_other", f.secret, now), "unknown API key"},
		{"expired", f.signed(now.Add(-6 * time.Minute)), "away from the server's time"},
		{"from the future", f.signed(now.Add(6 * time.Minute)), "away from the server's time"},
		{"not hex", http.Header{"X-Api-Key": {f.key + "|" + "123"}, "X-Api-Signature": {"sha256=zz"}}, "64 hexadecimal"},
		{"no prefix", http.Header{"X-Api-Key": {good.Get("X-Api-Key")}, "X-Api-Signature": {strings.TrimPrefix(good.Get("X-Api-Signature"), "sha256=")}}, "sha256="},
		{"timestamp not a number", http.Header{"X-Api-Key": {f.key + "|soon"}, "X-Api-Signature": {good.Get("X-Api-Signature")}}, "not a unix time"},
		{"timestamp without signature", http.Header{"X-Api-Key": {good.Get("X-Api-Key")}}, "needs an X-Api-Signature"},
		{"signature without timestamp", http.Header{"X-Api-Key": {f.key}, "X-Api-Signature": {good.Get("X-Api-Signature")}}, "KEY|TIMESTAMP"},
		{"no key", http.Header{}, "missing X-Api-Key"},
		{"unknown public key", http.Header{"X-Api-Key": {"pk_nope"}}, "unknown API key"},
	} {
		if code, msg := f.errorOf("POST", "/v1/api/chat", c.header, event("sig", "text", map[string]any{"text": c.name}, nil), http.StatusUnauthorized); code != "unauthorized" || !strings.Contains(msg, c.says) {
			t.Errorf("%s: %s %q, want it to say %q", c.name, code, msg, c.says)
		}
	}
	// Within the window, either side of the clock, a signature is good.
	f.chat(f.signed(now.Add(-4*time.Minute)), event("sig", "text", map[string]any{"text": "late"}, nil))
	f.chat(f.signed(now.Add(4*time.Minute)), event("sig", "text", map[string]any{"text": "early"}, nil))

	// Reading conversations and history needs a signature.
	for _, path := range []string{"/v1/api/conversations/open", "/v1/api/conversations/close"} {
		if _, msg := f.errorOf("POST", path, f.public(), []byte(`{"user_id":"sig"}`), http.StatusUnauthorized); !strings.Contains(msg, "signed request") {
			t.Errorf("%s in public mode: %q", path, msg)
		}
	}
	f.errorOf("GET", "/v1/api/messages?user_id=sig", f.public(), nil, http.StatusUnauthorized)
}

func TestRotatedKeysStopWorking(t *testing.T) {
	f := newFixture(t)
	oldKey, oldSecret := f.key, f.secret
	f.chat(f.public(), event("u", "text", map[string]any{"text": "hi"}, nil))
	ch, secret := f.rotate()
	f.errorOf("POST", "/v1/api/chat", http.Header{"X-Api-Key": {oldKey}}, event("u", "text", map[string]any{"text": "x"}, nil), http.StatusUnauthorized)
	f.errorOf("POST", "/v1/api/chat", signedWith(oldKey, oldSecret, time.Now()), event("u", "text", map[string]any{"text": "x"}, nil), http.StatusUnauthorized)
	f.chat(signedWith(ch.APIKey, secret, time.Now()), event("u", "text", map[string]any{"text": "x"}, nil))
}
