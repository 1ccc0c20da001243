// Package secrets keeps secrets at rest (platform credentials, webhook tokens,
// channel keys) encrypted with AES-256-GCM. A keyring has a primary key that
// seals and older keys that still open, so the key can be rotated: add a new
// primary key, re-seal what is stored, then drop the old key.
//
// A sealed value is text: "sb1:<key id>:<base64url(nonce | ciphertext)>". The
// place a secret is stored in (for example "livechat:shop:gorgias.api_key") is
// bound to it as additional data, so a sealed value copied to another place
// does not open.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeySize is the size of a key: AES-256.
const KeySize = 32

const prefix = "sb1:"

// Keyring seals with its primary key and opens with any of its keys.
type Keyring struct {
	keys []key // keys[0] is the primary
}

type key struct {
	id   string
	aead cipher.AEAD
}

// New returns a keyring; the first key is the primary.
func New(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("secrets: a keyring needs at least one key")
	}
	k := &Keyring{}
	for i, raw := range keys {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("secrets: key %d is %d bytes: a key is %d random bytes", i+1, len(raw), KeySize)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("secrets: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secrets: key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(raw)
		k.keys = append(k.keys, key{id: hex.EncodeToString(sum[:4]), aead: aead})
	}
	return k, nil
}

// NewKey returns a fresh random key.
func NewKey() []byte {
	b := make([]byte, KeySize)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return b
}

// Seal encrypts plain for the given place.
func (k *Keyring) Seal(plain []byte, place string) string {
	p := k.keys[0]
	nonce := make([]byte, p.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := p.aead.Seal(nonce, nonce, plain, []byte(place))
	return prefix + p.id + ":" + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a sealed value stored at place.
func (k *Keyring) Open(sealed, place string) ([]byte, error) {
	id, data, ok := parse(sealed)
	if !ok {
		return nil, errors.New("secrets: not a sealed value")
	}
	for _, c := range k.keys {
		if c.id != id {
			continue
		}
		n := c.aead.NonceSize()
		if len(data) < n {
			return nil, errors.New("secrets: sealed value is truncated")
		}
		plain, err := c.aead.Open(nil, data[:n], data[n:], []byte(place))
		if err != nil {
			return nil, fmt.Errorf("secrets: the value stored at %s does not open: it was altered or sealed for another place", place)
		}
		return plain, nil
	}
	return nil, fmt.Errorf("secrets: the value stored at %s was sealed with key %s, which is not in the keyring (was the key rotated away too early?)", place, id)
}

// Stale reports whether a sealed value was sealed with an older key and
// should be sealed again with the primary.
func (k *Keyring) Stale(sealed string) bool {
	id, _, ok := parse(sealed)
	return ok && id != k.keys[0].id
}

// IsSealed reports whether s looks like a sealed value.
func IsSealed(s string) bool {
	_, _, ok := parse(s)
	return ok
}

func parse(sealed string) (id string, data []byte, ok bool) {
	rest, found := strings.CutPrefix(sealed, prefix)
	if !found {
		return "", nil, false
	}
	id, enc, found := strings.Cut(rest, ":")
	if !found || len(id) != 8 {
		return "", nil, false
	}
	data, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", nil, false
	}
	return id, data, true
}

// Primary returns the id of the primary key, as sealed values name it.
func (k *Keyring) Primary() string { return k.keys[0].id }

// sealedPattern matches a sealed value inside a text (a JSON document).
var sealedPattern = regexp.MustCompile(`sb1:[0-9a-f]{8}:[A-Za-z0-9_-]+`)

// SealedIn returns the sealed values found in a text, for tools that check
// which key sealed what.
func SealedIn(text string) []string { return sealedPattern.FindAllString(text, -1) }

// Len returns the number of keys.
func (k *Keyring) Len() int { return len(k.keys) }
