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

// SetupSettings is the Setup of a driver whose settings are an S, all
// given by the operator: it reads raw (an unknown member is refused,
// naming expected), checks it with check and seals the secrets, as
// secrets gives them.
func SetupSettings[S any](t switchboard.ChannelType, raw json.RawMessage, seal Sealer, place, expected string, secrets func(*S) map[string]*string, check func(*S) error) (json.RawMessage, error) {
	var s S
	if err := DecodeSettings(t, raw, &s, expected); err != nil {
		return nil, err
	}
	if err := check(&s); err != nil {
		return nil, err
	}
	SealFields(seal, place, secrets(&s))
	return json.Marshal(&s)
}

// EditSettings is the Edit (Editor) of a driver whose settings are an S
// stored with its secrets sealed: it reads raw over the stored settings (a
// member left out keeps its value, an unknown one is refused, naming
// expected), gives a secret raw leaves empty its stored value, refuses a
// change of a secret in made (one switchboard made itself, as Telegram's
// secret token), checks the result with check and seals the secrets again.
// secrets gives the secret fields of an S by name, as SealFields takes
// them.
func EditSettings[S any](t switchboard.ChannelType, stored, raw json.RawMessage, seal Sealer, place, expected string, secrets func(*S) map[string]*string, made []string, check func(*S) error) (json.RawMessage, error) {
	var s S
	if err := json.Unmarshal(stored, &s); err != nil {
		return nil, fmt.Errorf("read stored %s settings: %w", t, err)
	}
	fields := secrets(&s)
	if err := OpenFields(seal, place, fields); err != nil {
		return nil, fmt.Errorf("open stored %s settings: %w", t, err)
	}
	kept := map[string]string{}
	for name, v := range fields {
		kept[name], *v = *v, ""
	}
	if err := DecodeSettings(t, raw, &s, expected); err != nil {
		return nil, err
	}
	for name, v := range fields {
		if *v == "" {
			*v = kept[name]
		}
	}
	for _, name := range made {
		if *fields[name] != kept[name] {
			return nil, switchboard.Errorf(switchboard.EINVALID, "%s.%s is not a setting: switchboard makes it itself", t, name)
		}
	}
	if err := check(&s); err != nil {
		return nil, err
	}
	SealFields(seal, place, fields)
	return json.Marshal(&s)
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
