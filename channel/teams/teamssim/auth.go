package teamssim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"time"

	"switchboard/channel/teams"
	"switchboard/internal/simkit"
)

// metadata is the OpenID metadata document, as login.botframework.com
// serves it.
func (s *Sim) metadata(w http.ResponseWriter, _ *http.Request) {
	simkit.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                teams.Issuer,
		"authorization_endpoint":                "https://invalid.botframework.com",
		"jwks_uri":                              s.URL() + "/v1/.well-known/keys",
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
	})
}

// jwks lists the keys with their endorsements (not the stranger's).
func (s *Sim) jwks(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.keyFetches++
	s.mu.Unlock()
	var keys []teams.JWK
	for _, k := range []signer{s.main, s.other} {
		keys = append(keys, teams.JWK{Kty: "RSA", Use: "sig", Kid: k.kid, Endorsements: k.endorsements,
			N: base64.RawURLEncoding.EncodeToString(k.key.N.Bytes()), E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.key.E)).Bytes())})
	}
	simkit.WriteJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// KeyFetches is how many times the JWKS was read.
func (s *Sim) KeyFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyFetches
}

// entraError answers as Entra's token endpoint does.
func entraError(w http.ResponseWriter, status int, code, desc string) {
	simkit.WriteJSON(w, status, map[string]any{"error": code, "error_description": desc, "error_codes": []int{}, "timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z")})
}

// issueToken is the client-credentials grant of the bot's app.
func (s *Sim) issueToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		entraError(w, http.StatusBadRequest, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.")
		return
	}
	f := r.PostForm
	switch {
	case f.Get("grant_type") != "client_credentials":
		entraError(w, http.StatusBadRequest, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
	case f.Get("client_id") != s.cfg.AppID:
		entraError(w, http.StatusBadRequest, "unauthorized_client", "AADSTS700016: Application with identifier '"+f.Get("client_id")+"' was not found in the directory.")
	case f.Get("client_secret") != s.cfg.AppPassword:
		entraError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
	case f.Get("scope") != teams.Scope:
		entraError(w, http.StatusBadRequest, "invalid_scope", "AADSTS70011: The provided request must include a 'scope' input parameter.")
	default:
		tok := "sim." + randomID(24)
		s.mu.Lock()
		s.tokens[tok] = s.cfg.Now().Add(s.cfg.TokenTTL)
		s.mu.Unlock()
		ttl := int64(s.cfg.TokenTTL / time.Second)
		simkit.WriteJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": ttl, "ext_expires_in": ttl, "access_token": tok})
	}
}

// botAuthorized reports whether a request carries a bot token the
// simulator issued and that has not expired.
func (s *Sim) botAuthorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	until, known := s.tokens[tok]
	s.mu.Unlock()
	return known && s.cfg.Now().Before(until)
}

// ExpireTokens makes every bot token issued so far expired, as an hour
// later.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	for t := range s.tokens {
		s.tokens[t] = time.Time{}
	}
	s.mu.Unlock()
}

// Forgery is what is wrong with the tokens of the next activities.
type Forgery string

// The forgeries.
const (
	ForgeNone Forgery = ""
	// ForgeKey signs with a key the JWKS does not list, under the kid of
	// one it lists.
	ForgeKey Forgery = "wrong_key"
	// ForgeKid signs with a key of a kid the JWKS does not list.
	ForgeKid Forgery = "unknown_kid"
	// ForgeEndorsement signs with a listed key endorsed for webchat only.
	ForgeEndorsement Forgery = "no_endorsement"
	// ForgeAudience makes the token for another app.
	ForgeAudience Forgery = "wrong_audience"
	// ForgeIssuer makes the token another issuer's.
	ForgeIssuer Forgery = "wrong_issuer"
	// ForgeExpired makes a token that expired ten minutes ago.
	ForgeExpired Forgery = "expired"
	// ForgeServiceURL posts the activity with a serviceUrl that is not the
	// token's serviceurl claim (a token replayed with a forged one).
	ForgeServiceURL Forgery = "wrong_service_url"
)

// Forge makes the tokens of the next activities wrong that way, until
// Forge(ForgeNone).
func (s *Sim) Forge(f Forgery) {
	s.mu.Lock()
	s.forge = f
	s.wake()
	s.mu.Unlock()
}

// ForgedServiceURL is the serviceUrl an activity of ForgeServiceURL
// names, where nobody should post the bot's token.
const ForgedServiceURL = "https://attacker.example.com/"

// sign makes the JWT of an activity posted for serviceURL, forged as f.
func (s *Sim) sign(serviceURL string, f Forgery) string {
	now := s.cfg.Now()
	k, kid := s.main, s.main.kid
	claims := map[string]any{"iss": teams.Issuer, "aud": s.cfg.AppID, "serviceurl": serviceURL,
		"nbf": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
	switch f {
	case ForgeKey:
		k = s.stranger
	case ForgeKid:
		k, kid = s.stranger, s.stranger.kid
	case ForgeEndorsement:
		k, kid = s.other, s.other.kid
	case ForgeAudience:
		claims["aud"] = "00000000-0000-4000-8000-0000000000ff"
	case ForgeIssuer:
		claims["iss"] = "https://sts.windows.net/" + s.cfg.TenantID + "/"
	case ForgeExpired:
		claims["nbf"], claims["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-10*time.Minute).Unix()
	}
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid, "x5t": kid})
	body, _ := json.Marshal(claims)
	signing := base64.RawURLEncoding.EncodeToString(head) + "." + base64.RawURLEncoding.EncodeToString(body)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, sum[:])
	if err != nil {
		panic("teamssim: sign: " + err.Error())
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}
