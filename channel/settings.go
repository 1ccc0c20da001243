package channel

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
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

// NewSecret makes a random 256-bit secret a channel gives its platform
// (Telegram's secret_token, a webhook URL's token): 43 characters of
// A-Z a-z 0-9 _ -, safe in a header and in a URL.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
