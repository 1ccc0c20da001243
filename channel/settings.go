package channel

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"switchboard"
)

// DecodeSettings reads a channel's settings as the administrator gave them
// into v, refusing unknown fields: EINVALID naming the type and expected,
// the fields it takes.
func DecodeSettings(t switchboard.ChannelType, raw json.RawMessage, v any, expected string) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "%s: the settings do not read: %v (expected %s)", t, err, expected)
	}
	return nil
}

// SealFields seals a driver's secret settings in place, each bound to
// place/<field name>.
func SealFields(seal Sealer, place string, fields map[string]*string) {
	for name, v := range fields {
		*v = seal.Seal([]byte(*v), place+"/"+name)
	}
}

// OpenFields opens what SealFields sealed, in place.
func OpenFields(seal Sealer, place string, fields map[string]*string) error {
	for name, v := range fields {
		plain, err := seal.Open(*v, place+"/"+name)
		if err != nil {
			return err
		}
		*v = string(plain)
	}
	return nil
}

// OpenStored reads a channel's stored settings into v and opens its
// sealed fields (pointers into v, as SealFields took them).
func OpenStored(stored json.RawMessage, v any, seal Sealer, place string, fields map[string]*string) error {
	if err := json.Unmarshal(stored, v); err != nil {
		return fmt.Errorf("read stored channel settings: %w", err)
	}
	return OpenFields(seal, place, fields)
}

// NewSecret makes a random 256-bit secret a channel gives its platform
// (Telegram's secret_token, a webhook URL's token): 43 characters of
// A-Z a-z 0-9 _ -, safe in a header and in a URL.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckAPIBase reads a driver's api_base setting (the platform's API, or a
// simulator's): trimmed of spaces and a trailing slash, def when empty. It
// is EINVALID unless an http(s) URL without credentials, query or
// fragment, nor a path when bare (the API's paths are the driver's).
func CheckAPIBase(t switchboard.ChannelType, v, def string, bare bool) (string, error) {
	v = strings.TrimRight(strings.TrimSpace(v), "/")
	if v == "" {
		return def, nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (bare && u.Path != "") {
		shown := []rune(v)
		if len(shown) > 40 {
			shown = append(shown[:40], '…')
		}
		what := "credentials or query"
		if bare {
			what = "path, credentials or query"
		}
		return "", switchboard.Errorf(switchboard.EINVALID, "%s.api_base %q is not an http(s) URL without %s: leave it out for %s", t, string(shown), what, def)
	}
	return v, nil
}
