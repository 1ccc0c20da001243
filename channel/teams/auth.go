package teams

import (
	"context"
	"crypto"
	"crypto/rsa"
	_ "crypto/sha256" // RS256
	_ "crypto/sha512" // RS384, RS512
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchboard"
	"switchboard/internal/driverkit"
)

// What a token of the Bot Connector is checked against (botbuilder-js
// channelValidation.ts, authenticationConstants.ts).
const (
	// ClockSkew is how far exp and nbf may be off.
	ClockSkew = 5 * time.Minute
	// keysTTL is how long fetched keys are used before they are fetched
	// again (the SDKs keep them for days; Microsoft rotates them rarely).
	keysTTL = 24 * time.Hour
	// keysRefetch is the least time between two fetches: a token naming an
	// unknown key fetches them again, but a flood of forged kids does not
	// flood the metadata endpoint.
	keysRefetch = time.Minute
	// fetchTimeout bounds a fetch of the keys during a delivery.
	fetchTimeout = 10 * time.Second
)

// algorithms are the signing algorithms the Bot Framework SDKs accept.
var algorithms = map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}

// signingKey is one key of the JWKS, with the channels it is endorsed
// for.
type signingKey struct {
	pub          *rsa.PublicKey
	endorsements []string
}

// keySet is the keys of one OpenID metadata document.
type keySet struct {
	keys    map[string]signingKey
	fetched time.Time
}

// JWK is a key of the Bot Framework's JWKS as it publishes them (only
// RSA keys are read).
type JWK struct {
	Kty          string   `json:"kty"`
	Use          string   `json:"use,omitempty"`
	Kid          string   `json:"kid"`
	N            string   `json:"n"`
	E            string   `json:"e"`
	Endorsements []string `json:"endorsements,omitempty"`
}

// key returns the signing key kid of the metadata document at metadataURL:
// from the keys fetched before, or fetched again when they are a day old
// or do not have it (at most once a minute).
func (c *Client) key(ctx context.Context, metadataURL, kid string) (signingKey, error) {
	c.fetch.Lock()
	defer c.fetch.Unlock()
	c.mu.Lock()
	ks := c.keys[metadataURL]
	c.mu.Unlock()
	now := c.now()
	if ks != nil {
		k, ok := ks.keys[kid]
		fresh := now.Sub(ks.fetched) < keysTTL
		if ok && fresh || now.Sub(ks.fetched) < keysRefetch {
			if !ok {
				return signingKey{}, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is signed with key %q, which the Bot Framework's metadata does not list", kid)
			}
			return k, nil
		}
	}
	keys, err := c.fetchKeys(ctx, metadataURL)
	if err != nil {
		if ks != nil {
			if k, ok := ks.keys[kid]; ok {
				return k, nil // the keys we have still name it
			}
		}
		return signingKey{}, switchboard.Errorf(switchboard.EUNAVAILABLE, "the Bot Framework's signing keys could not be fetched: %v", err)
	}
	c.mu.Lock()
	c.keys[metadataURL] = &keySet{keys: keys, fetched: now}
	c.mu.Unlock()
	k, ok := keys[kid]
	if !ok {
		return signingKey{}, switchboard.Errorf(switchboard.EUNAUTHORIZED, "the token is signed with key %q, which the Bot Framework's metadata does not list", kid)
	}
	return k, nil
}

// fetchKeys reads the metadata document's jwks_uri, then the keys.
func (c *Client) fetchKeys(ctx context.Context, metadataURL string) (map[string]signingKey, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := c.getJSON(ctx, metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if _, err := plainURL(meta.JWKSURI); err != nil {
		return nil, fmt.Errorf("openid metadata: jwks_uri %q is not an http(s) URL", meta.JWKSURI)
	}
	var set struct {
		Keys []JWK `json:"keys"`
	}
	if err := c.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	keys := map[string]signingKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Kid == "" {
			continue
		}
		pub, err := rsaKey(k.N, k.E)
		if err != nil {
			continue
		}
		keys[k.Kid] = signingKey{pub: pub, endorsements: k.Endorsements}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("keys: %s lists no RSA key", meta.JWKSURI)
	}
	return keys, nil
}

// getJSON reads a JSON document.
func (c *Client) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return driverkit.NetworkCause(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return driverkit.NetworkCause(err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("GET %s: not JSON: %w", u, err)
	}
	return nil
}

// rsaKey makes a public key of a JWK's modulus and exponent.
func rsaKey(n, e string) (*rsa.PublicKey, error) {
	nb, err := b64(n)
	if err != nil {
		return nil, err
	}
	eb, err := b64(e)
	if err != nil || len(eb) == 0 || len(eb) > 4 {
		return nil, fmt.Errorf("bad exponent")
	}
	exp := 0
	for _, b := range eb {
		exp = exp<<8 | int(b)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: exp}
	if pub.N.BitLen() < 2048 {
		return nil, fmt.Errorf("key shorter than 2048 bits")
	}
	return pub, nil
}

// b64 decodes base64url, with or without padding.
func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// Claims are the claims of a token of the Bot Connector that switchboard
// checks.
type Claims struct {
	Issuer     string   `json:"iss"`
	Audience   Audience `json:"aud"`
	Expires    int64    `json:"exp"`
	NotBefore  int64    `json:"nbf,omitempty"`
	ServiceURL string   `json:"serviceurl"`
}

// Audience is a token's aud: one string, or a list of them.
type Audience []string

// UnmarshalJSON reads either form.
func (a *Audience) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*a = Audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("aud: %w", err)
	}
	*a = many
	return nil
}

// unauthorized is the error of a token that is not the Bot Connector's.
func unauthorized(format string, args ...any) error {
	return switchboard.Errorf(switchboard.EUNAUTHORIZED, "teams: "+format, args...)
}

// verifyToken checks a delivery's bearer token for the activity's
// serviceUrl and channelId (shared/spec/channels.md §6.2): signature,
// issuer, audience, times, serviceurl claim, then the key's endorsement
// of the channel (EFORBIDDEN, as the SDKs answer 403).
func (c *Conn) verifyToken(authorization, serviceURL, channelID string) error {
	raw, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || raw == "" {
		return unauthorized("the Authorization header has no bearer token: only the Bot Connector's activities, each with its JWT, are taken")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return unauthorized("the bearer token is not a JWT")
	}
	var head struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	hb, err1 := b64(parts[0])
	cb, err2 := b64(parts[1])
	sig, err3 := b64(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &head) != nil {
		return unauthorized("the bearer token is not a JWT")
	}
	hash, ok := algorithms[head.Alg]
	if !ok {
		return unauthorized("the token's algorithm %q is not one the Bot Framework signs with (RS256, RS384, RS512)", head.Alg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	key, err := c.c.key(ctx, c.s.OpenIDMetadataURL, head.Kid)
	if err != nil {
		return err
	}
	h := hash.New()
	h.Write([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key.pub, hash, h.Sum(nil), sig) != nil {
		return unauthorized("the token's signature does not verify with the Bot Framework's key %q", head.Kid)
	}
	var cl Claims
	if err := json.Unmarshal(cb, &cl); err != nil {
		return unauthorized("the token's claims do not read: %v", err)
	}
	now := c.c.now()
	switch {
	case cl.Issuer != Issuer:
		return unauthorized("the token's issuer %q is not %s", cl.Issuer, Issuer)
	case !slices.Contains(cl.Audience, c.s.AppID):
		return unauthorized("the token is for %v, not this bot's app id %s: check teams.app_id", []string(cl.Audience), c.s.AppID)
	case cl.Expires == 0 || now.After(time.Unix(cl.Expires, 0).Add(ClockSkew)):
		return unauthorized("the token expired")
	case cl.NotBefore != 0 && now.Before(time.Unix(cl.NotBefore, 0).Add(-ClockSkew)):
		return unauthorized("the token is not valid yet")
	case cl.ServiceURL == "" || cl.ServiceURL != serviceURL:
		return unauthorized("the token's serviceurl claim %q is not the activity's serviceUrl %q", cl.ServiceURL, serviceURL)
	case channelID == "" || !slices.Contains(key.endorsements, channelID):
		return switchboard.Errorf(switchboard.EFORBIDDEN, "teams: the signing key %q is not endorsed for channel %q", head.Kid, channelID)
	}
	return nil
}
