package httpapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// The headers of the two modes, as CSML Studio names them.
const (
	headerKey       = "X-Api-Key"
	headerSignature = "X-Api-Signature"
	// signatureWindow is how long a signed request is valid, either side of
	// the server's clock.
	signatureWindow = 5 * time.Minute
)

// caller is an authenticated request: its channel, whether it was signed,
// and its body, read whole.
type caller struct {
	channel *switchboard.Channel
	hook    webhook
	signed  bool
	body    []byte
	// replayID is the request id of a signed event that names none.
	replayID string
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller)

// authenticated admits requests that carry a valid API key, or a valid
// signature.
func (a *API) authenticated(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.authenticate(w, r, maxBody)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		fn(w, r, c)
	})
}

// private refuses requests that were not signed.
func (a *API) private(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) {
		if !c.signed {
			a.fail(w, r, switchboard.Errorf(switchboard.EUNAUTHORIZED,
				"%s needs a signed request (private mode): X-Api-Key: KEY|TIMESTAMP and X-Api-Signature: sha256=HMAC; the key alone is for public endpoints", r.URL.Path))
			return
		}
		fn(w, r, c)
	}
}

// authenticate checks the headers and reads the body, of at most limit bytes.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request, limit int64) (*caller, error) {
	key, stamp, signed := strings.Cut(strings.TrimSpace(r.Header.Get(headerKey)), "|")
	sig := strings.TrimSpace(r.Header.Get(headerSignature))
	switch {
	case key == "":
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "missing %s header: send the API key of your channel (public mode), or KEY|TIMESTAMP with %s (private mode)", headerKey, headerSignature)
	case signed && sig == "":
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s KEY|TIMESTAMP needs an %s header: sha256=hex(HMAC-SHA256(secret, \"KEY|TIMESTAMP\"))", headerKey, headerSignature)
	case !signed && sig != "":
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s needs %s as KEY|TIMESTAMP (unix seconds): the signature covers both", headerSignature, headerKey)
	}
	ch, hook, err := a.channelByKey(r.Context(), key)
	if err != nil {
		return nil, err
	}
	if ch == nil {
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "unknown API key: copy it from the channel's page in the administration")
	}
	if ok, wait := a.limit.allow(ch.ID); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Round(time.Second)/time.Second))))
		return nil, switchboard.Errorf(switchboard.ETOOMANY, "this API channel sent more than %d requests in one second: the request was not treated; retry after the second", a.limit.rate)
	}
	c := &caller{channel: ch, hook: hook, signed: signed}
	if signed {
		if err := a.checkSignature(ch, key, stamp, sig); err != nil {
			return nil, err
		}
	}
	if c.body, err = readBody(w, r, limit); err != nil {
		return nil, err
	}
	if signed {
		c.replayID = replayID(r, c, sig)
	}
	return c, nil
}

// checkSignature verifies a private-mode signature and its time.
func (a *API) checkSignature(ch *switchboard.Channel, key, stamp, sig string) error {
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	got, err := hex.DecodeString(hexSig)
	if !ok || err != nil || len(got) != sha256.Size {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s must be sha256= followed by 64 hexadecimal digits", headerSignature)
	}
	signedAt, err := parseStamp(stamp)
	if err != nil {
		return err
	}
	secret, err := ChannelSecret(a.sealer, ch)
	if err != nil {
		return err
	}
	if !hmac.Equal(got, Sign(secret, key+"|"+stamp)) {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s does not match: sign exactly the %s value (KEY|TIMESTAMP) with the channel's API secret", headerSignature, headerKey)
	}
	now := a.clock.Now()
	if skew := now.Sub(signedAt); skew.Abs() > signatureWindow {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "the signed timestamp %s is %s away from the server's time (%d): a signature is valid for %s; sign with the current time",
			stamp, skew.Abs().Round(time.Second), now.Unix(), signatureWindow)
	}
	return nil
}

// parseStamp reads the time of a signature: unix seconds, as CSML Studio
// signs, or milliseconds (13 digits), for clients that send more than one
// identical request a second.
func parseStamp(stamp string) (time.Time, error) {
	n, err := strconv.ParseInt(stamp, 10, 64)
	switch {
	case err != nil || n <= 0:
		return time.Time{}, switchboard.Errorf(switchboard.EUNAUTHORIZED, "%s timestamp %q is not a unix time in seconds (or milliseconds)", headerKey, stamp)
	case len(stamp) >= 13:
		return time.UnixMilli(n), nil
	default:
		return time.Unix(n, 0), nil
	}
}

// replayID is the request id of a signed request that names none: a hash
// of its signature and of the request it signs. CSML's signature covers the
// key and the time only, so the same signature may sign several different
// requests within its second; the same request twice is a replay (or a
// retry), and its id makes the engine answer it with the first one's reply
// instead of running it again. (The body is not signed: only HTTPS keeps it
// from being changed on the way.)
func replayID(r *http.Request, c *caller, sig string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s %s\n", c.channel.ID, sig, r.Method, r.URL.RequestURI())
	h.Write(c.body)
	return "sig-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Sign returns HMAC-SHA256(secret, message): the signature of private-mode
// requests (message "KEY|TIMESTAMP") and of callbacks ("TIMESTAMP.BODY").
func Sign(secret []byte, message string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(message))
	return m.Sum(nil)
}

// readBody reads a request body whole, refusing one over the limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, switchboard.Errorf(switchboard.ETOOLARGE, "request body is larger than %d bytes", limit)
	case err != nil:
		return nil, switchboard.Errorf(switchboard.EINVALID, "could not read the request body: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
