package desk

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"switchboard"
	"switchboard/httpx"
)

// Sign-in: the browser holds a random token in an HttpOnly cookie, the store
// only its SHA-256; state-changing requests also carry the sign-in's CSRF
// token in a header, which a page of another origin cannot read or set. Each
// area signs in on its own, with a cookie scoped to its API (DeskPath for the
// desk; the administration uses its own path): the same account, two
// sign-ins, and a desk sign-in never reaches the administration.
const (
	cookieName = "switchboard_desk"
	csrfHeader = "X-CSRF-Token"
	loginTTL   = 12 * time.Hour
	// DeskPath is the path of the desk's sign-in cookie.
	DeskPath = "/desk"
)

var (
	errWrongCredentials = switchboard.Errorf(switchboard.EUNAUTHORIZED, "wrong email or password")
	errNotSignedIn      = switchboard.Errorf(switchboard.EUNAUTHORIZED, "you are not signed in (or your sign-in expired): sign in again")
	errBadCSRF          = switchboard.Errorf(switchboard.EFORBIDDEN, "missing or wrong "+csrfHeader+" header: reload the page and try again")
	errCrossOrigin      = switchboard.Errorf(switchboard.EFORBIDDEN, "cross-origin request refused: use the pages of this server")
	errDisabled         = switchboard.Errorf(switchboard.EFORBIDDEN, "this agent account is disabled: ask an administrator")
)

// dummyHash is compared against when the email is unknown, so a wrong email
// takes as long as a wrong password and reveals nothing.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no agent has this password"), bcrypt.DefaultCost)
	return h
})

// SignIn signs agents in and out and admits their requests: the one
// implementation behind the desk and the administration pages.
type SignIn struct {
	store    switchboard.Store
	clock    switchboard.Clock
	log      *slog.Logger
	secure   bool
	throttle *throttle
	origin   *http.CrossOriginProtection
}

// NewSignIn returns the sign-in over a store; secure sets the Secure flag on
// its cookie (when served over https). clock and log may be nil.
func NewSignIn(store switchboard.Store, clock switchboard.Clock, log *slog.Logger, secure bool) *SignIn {
	if clock == nil {
		clock = switchboard.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SignIn{store: store, clock: clock, log: log, secure: secure, throttle: newThrottle(clock), origin: http.NewCrossOriginProtection()}
}

// Caller is the signed-in agent of a request.
type Caller struct {
	Agent *switchboard.Agent
	Login *switchboard.AgentLogin
}

// signedInResponse is what login and me return.
type signedInResponse struct {
	Agent     *switchboard.Agent `json:"agent"`
	CSRFToken string             `json:"csrf_token"`
}

// Require admits requests of a signed-in, enabled agent (see Check).
func (s *SignIn) Require(fn func(http.ResponseWriter, *http.Request, *Caller)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Check(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fn(w, r, c)
	})
}

// Check returns the signed-in, enabled agent of a request; a state-changing
// request must also be same-origin and carry the CSRF token.
func (s *SignIn) Check(r *http.Request) (*Caller, error) {
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead
	if !safe && s.origin.Check(r) != nil {
		return nil, errCrossOrigin
	}
	c, err := s.Authenticate(r)
	if err != nil {
		return nil, err
	}
	if !safe && subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(c.Login.CSRFToken)) != 1 {
		return nil, errBadCSRF
	}
	return c, nil
}

// Authenticate finds the sign-in of the request's cookie and its agent.
func (s *SignIn) Authenticate(r *http.Request) (*Caller, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, errNotSignedIn
	}
	c := &Caller{}
	err = s.store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		if c.Login, err = tx.FindLogin(r.Context(), hashToken(ck.Value), s.clock.Now()); err != nil || c.Login == nil {
			return err
		}
		c.Agent, err = tx.Agent(r.Context(), c.Login.AgentID)
		return err
	})
	switch {
	case switchboard.ErrorCode(err) == switchboard.ENOTFOUND:
		return nil, errNotSignedIn // the agent was deleted
	case err != nil:
		return nil, fmt.Errorf("authenticate: %w", err)
	case c.Login == nil:
		return nil, errNotSignedIn
	case c.Agent.Disabled:
		return nil, switchboard.Errorf(switchboard.EUNAUTHORIZED, "this agent account is disabled")
	}
	return c, nil
}

// fail answers with an application error as JSON.
func (s *SignIn) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, s.log, err)
}

// Login returns the handler that checks an email and password and starts a
// sign-in whose cookie has this path.
func (s *SignIn) Login(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.login(w, r, path) }
}

// login checks an email and password and starts a sign-in. The attempt is
// counted by the throttle before the password is checked (see throttle).
func (s *SignIn) login(w http.ResponseWriter, r *http.Request, path string) {
	if err := s.origin.Check(r); err != nil {
		s.fail(w, r, errCrossOrigin)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "send the sign-in as Content-Type: application/json"))
		return
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := httpx.DecodeJSON(w, r, maxBody, true, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email == "" || in.Password == "" {
		s.fail(w, r, switchboard.Errorf(switchboard.EINVALID, "email and password are both required"))
		return
	}
	emailKey, ipKey := "email:"+strings.ToLower(in.Email), "ip:"+remoteIP(r)
	if until, blocked := s.throttle.attempt(emailKey, ipKey); blocked {
		wait := until.Sub(s.clock.Now())
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.fail(w, r, switchboard.Errorf(switchboard.ETOOMANY, "too many failed sign-ins: try again in %s (at %s UTC)",
			humanWait(wait), until.UTC().Format("15:04:05")))
		return
	}
	agent, err := s.checkPassword(r, in.Email, in.Password)
	if errors.Is(err, errWrongCredentials) {
		s.log.Info("desk sign-in failed", "email", in.Email, "ip", remoteIP(r))
		s.fail(w, r, err)
		return
	}
	s.throttle.release(ipKey)
	s.throttle.release(emailKey)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.throttle.forget(emailKey)
	csrf, err := s.startLogin(w, r, agent, path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("desk sign-in", "agent", agent.ID, "email", agent.Email)
	httpx.WriteJSON(w, http.StatusOK, signedInResponse{Agent: agent, CSRFToken: csrf})
}

// checkPassword returns the agent with this email and password, or
// errWrongCredentials for an unknown email or a wrong password alike.
func (s *SignIn) checkPassword(r *http.Request, email, password string) (*switchboard.Agent, error) {
	var agent *switchboard.Agent
	err := s.store.View(r.Context(), func(tx switchboard.Tx) error {
		var err error
		agent, err = tx.FindAgentByEmail(r.Context(), email)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if agent == nil {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return nil, errWrongCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(agent.PasswordHash), []byte(password)) != nil {
		return nil, errWrongCredentials
	}
	if agent.Disabled {
		return nil, errDisabled
	}
	return agent, nil
}

// startLogin stores a new sign-in under the agent's current sign-in
// generation, read in the same transaction (an agent disabled or signed out
// everywhere meanwhile leaves it void), and sets its cookie; it returns the
// CSRF token.
func (s *SignIn) startLogin(w http.ResponseWriter, r *http.Request, agent *switchboard.Agent, path string) (string, error) {
	ctx := r.Context()
	token, csrf := randomToken(), randomToken()
	now := s.clock.Now()
	l := &switchboard.AgentLogin{
		TokenHash: hashToken(token), AgentID: agent.ID, CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: now.Add(loginTTL),
	}
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		a, err := tx.Agent(ctx, agent.ID)
		if err != nil {
			return err
		}
		if a.Disabled {
			return errDisabled
		}
		l.Generation = a.SignInGeneration
		return tx.CreateLogin(ctx, l)
	})
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: token, Path: path,
		Expires: l.ExpiresAt, MaxAge: int(loginTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
	return csrf, nil
}

// Logout returns the handler that ends the caller's sign-in and clears its
// cookie, of this path.
func (s *SignIn) Logout(path string) func(http.ResponseWriter, *http.Request, *Caller) {
	return func(w http.ResponseWriter, r *http.Request, c *Caller) {
		err := s.store.Update(r.Context(), func(tx switchboard.Tx) error { return tx.DeleteLogin(r.Context(), c.Login.TokenHash) })
		if err != nil {
			s.fail(w, r, fmt.Errorf("sign out: %w", err))
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: cookieName, Value: "", Path: path, MaxAge: -1,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
		})
		w.WriteHeader(http.StatusNoContent)
	}
}

// Me returns the signed-in agent and the CSRF token, for a reloaded page.
func (s *SignIn) Me(w http.ResponseWriter, _ *http.Request, c *Caller) {
	httpx.WriteJSON(w, http.StatusOK, signedInResponse{Agent: c.Agent, CSRFToken: c.Login.CSRFToken})
}

// randomToken returns 32 random bytes, base64url-encoded.
// crypto/rand.Read never fails (it crashes the program instead).
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is the form in which a cookie token is stored.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// remoteIP is the address the request came from (the proxy's, behind one).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// humanWait renders a short delay for a person: "45 seconds", "4 minutes".
func humanWait(d time.Duration) string {
	if s := int(math.Ceil(d.Seconds())); s < 60 {
		return fmt.Sprintf("%d seconds", max(s, 1))
	}
	return fmt.Sprintf("%d minutes", int(math.Ceil(d.Minutes())))
}
