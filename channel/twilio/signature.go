package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"switchboard"
)

// Signature is X-Twilio-Signature of a request to fullURL with the form
// fields params: base64 of HMAC-SHA1 keyed by the Auth Token, over the URL
// followed by each field's name and value, sorted by name (a repeated
// name: each value, sorted).
func Signature(authToken, fullURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// portVariants are the URL as given, and with its default port added or
// removed: Twilio is not consistent about the port it signs, and its own
// validators accept both.
func portVariants(fullURL string) []string {
	u, err := url.Parse(fullURL)
	if err != nil {
		return []string{fullURL}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	other := *u
	switch u.Port() {
	case "":
		other.Host = u.Host + ":" + def
	case def:
		other.Host = u.Hostname()
	default:
		return []string{fullURL}
	}
	return []string{fullURL, other.String()}
}

// VerifyURL checks X-Twilio-Signature for a POST to webhookURL (the URL
// as Twilio called it: the public URL, not the one behind a proxy). A
// JSON body is signed through the bodySHA256 query parameter, its hash.
func (c *Conn) VerifyURL(webhookURL string, h http.Header, body []byte) error {
	got := h.Get("X-Twilio-Signature")
	if got == "" {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "the X-Twilio-Signature header is missing: only Twilio posts to this webhook")
	}
	params, err := url.ParseQuery(string(body))
	if u, perr := url.Parse(webhookURL); perr == nil && u.Query().Has("bodySHA256") {
		sum := sha256.Sum256(body)
		if !hmac.Equal([]byte(strings.ToLower(u.Query().Get("bodySHA256"))), []byte(hex.EncodeToString(sum[:]))) {
			return switchboard.Errorf(switchboard.EUNAUTHORIZED, "the body's SHA-256 is not the bodySHA256 Twilio signed")
		}
		params, err = url.Values{}, nil
	}
	if err != nil {
		return switchboard.Errorf(switchboard.EUNAUTHORIZED, "the body is not a form Twilio signs: %v", err)
	}
	for _, u := range portVariants(webhookURL) {
		if hmac.Equal([]byte(got), []byte(Signature(c.s.AuthToken, u, params))) {
			return nil
		}
	}
	return switchboard.Errorf(switchboard.EUNAUTHORIZED, "X-Twilio-Signature does not match the Auth Token over %s and the form: a forged request, another account's Auth Token, or a public URL setting that is not the URL set in Twilio's console", webhookURL)
}

// Verify refuses: a Twilio signature covers the URL, which the layer gives
// VerifyURL.
func (c *Conn) Verify(http.Header, []byte) error {
	return switchboard.Errorf(switchboard.EUNAUTHORIZED, "a Twilio webhook is verified with its URL")
}

// Handshake refuses: Twilio has no webhook handshake.
func (c *Conn) Handshake(url.Values) (string, error) {
	return "", switchboard.Errorf(switchboard.EINVALID, "Twilio posts to this webhook; it has no GET handshake")
}

// twiml is the answer to every webhook: no message in TwiML, since the
// replies go through the REST API in order.
var twiml = []byte(`<?xml version="1.0" encoding="UTF-8"?><Response/>`)

// WebhookAnswer is an empty TwiML response.
func (c *Conn) WebhookAnswer() (string, []byte) { return "text/xml; charset=utf-8", twiml }
