package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"switchboard"
)

// Limits of an agent's fields. bcrypt reads at most 72 bytes of a password, so
// a longer one is refused rather than silently cut.
const (
	minPasswordRunes = 8
	maxPasswordBytes = 72
	maxNameRunes     = 100
	maxEmailBytes    = 254
)

// maxAgentBots bounds the bots one agent is given.
const maxAgentBots = 1000

// NewAgent is an agent to create. Bots, when not nil, are the only bots
// whose sessions the agent sees (none when empty); nil lets the agent see
// every bot's, as agents made before scopes existed do.
type NewAgent struct {
	Email, Name, Password string
	Admin                 bool
	Bots                  []string
}

// CreateAgent creates an agent who sees every bot: see AddAgent.
func CreateAgent(ctx context.Context, store switchboard.Store, clock switchboard.Clock, email, name, password string) (*switchboard.Agent, error) {
	return AddAgent(ctx, store, clock, NewAgent{Email: email, Name: name, Password: password})
}

// AddAgent hashes the password (bcrypt, golang.org/x/crypto/bcrypt) and
// stores the agent, in one transaction with its bots. Bad input is EINVALID
// with a message naming the field; an email already in use is ECONFLICT.
func AddAgent(ctx context.Context, store switchboard.Store, clock switchboard.Clock, n NewAgent) (*switchboard.Agent, error) {
	if clock == nil {
		clock = switchboard.SystemClock{}
	}
	email, name := strings.TrimSpace(n.Email), strings.TrimSpace(n.Name)
	if err := validateAgent(email, name, n.Password); err != nil {
		return nil, err
	}
	hash, err := hashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	a := &switchboard.Agent{
		ID: uuid.NewString(), Email: email, Name: name, PasswordHash: hash,
		Admin: n.Admin, AllBots: n.Bots == nil, Bots: []string{}, CreatedAt: clock.Now(),
	}
	err = store.Update(ctx, func(tx switchboard.Tx) error {
		if n.Bots != nil {
			if a.Bots, err = checkBots(ctx, tx, n.Bots); err != nil {
				return err
			}
		}
		return tx.CreateAgent(ctx, a)
	})
	if err != nil {
		return nil, fmt.Errorf("create agent %s: %w", email, err)
	}
	return a, nil
}

// validateAgent checks what a person typed for a new agent.
func validateAgent(email, name, password string) error {
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > maxEmailBytes || !strings.Contains(email, "@") {
		return switchboard.Errorf(switchboard.EINVALID, "email %q is not an email address like agent@example.com", email)
	}
	if name == "" {
		return switchboard.Errorf(switchboard.EINVALID, "name is empty: give the name customers will see on the agent's messages")
	}
	if err := switchboard.CheckName("name", name, maxNameRunes); err != nil {
		return err
	}
	return validatePassword(password)
}

// validatePassword checks a new password.
func validatePassword(password string) error {
	if utf8.RuneCountInString(password) < minPasswordRunes {
		return switchboard.Errorf(switchboard.EINVALID, "password is too short: use at least %d characters", minPasswordRunes)
	}
	if len(password) > maxPasswordBytes {
		return switchboard.Errorf(switchboard.EINVALID, "password is longer than %d bytes", maxPasswordBytes)
	}
	return nil
}

// hashPassword is the bcrypt hash the store keeps of a password.
func hashPassword(password string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(hash), nil
}

// checkBots returns the bots given to an agent, trimmed and without
// repeats, or EINVALID naming the first that is not a bot of this server.
func checkBots(ctx context.Context, tx switchboard.Tx, bots []string) ([]string, error) {
	if len(bots) > maxAgentBots {
		return nil, switchboard.Errorf(switchboard.EINVALID, "bots lists %d bots: an agent can be given at most %d", len(bots), maxAgentBots)
	}
	out := make([]string, 0, len(bots))
	for _, id := range bots {
		id = strings.TrimSpace(id)
		if slices.Contains(out, id) {
			continue
		}
		if _, err := tx.LatestBot(ctx, id); switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
			return nil, switchboard.Errorf(switchboard.EINVALID, "bots: there is no bot %q on this server: import it first, or check the id (GET /v1/admin/bots lists them)", id)
		} else if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// AgentChange is what an administrator changes of an agent; nil fields are
// left as they are. Bots, when set, limits the agent to those bots (and
// clears AllBots unless the change sets it too).
type AgentChange struct {
	Name     *string   `json:"name,omitempty"`
	Disabled *bool     `json:"disabled,omitempty"`
	Admin    *bool     `json:"admin,omitempty"`
	AllBots  *bool     `json:"all_bots,omitempty"`
	Bots     *[]string `json:"bots,omitempty"`
}

// ChangeAgent applies a change to an agent. Disabling an agent ends every
// sign-in it has, so enabling it again revives none; a missing agent is
// ENOTFOUND.
func ChangeAgent(ctx context.Context, store switchboard.Store, id string, ch AgentChange) (*switchboard.Agent, error) {
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		if name == "" {
			return nil, switchboard.Errorf(switchboard.EINVALID, "name is empty: give the name customers will see on the agent's messages")
		}
		if err := switchboard.CheckName("name", name, maxNameRunes); err != nil {
			return nil, err
		}
		ch.Name = &name
	}
	return updateAgent(ctx, store, id, func(tx switchboard.Tx, a *switchboard.Agent) error {
		if ch.Bots != nil {
			bots, err := checkBots(ctx, tx, *ch.Bots)
			if err != nil {
				return err
			}
			a.Bots, a.AllBots = bots, false
		}
		if ch.AllBots != nil {
			a.AllBots = *ch.AllBots
		}
		if ch.Name != nil {
			a.Name = *ch.Name
		}
		if ch.Disabled != nil {
			if *ch.Disabled {
				a.SignInGeneration++
			}
			a.Disabled = *ch.Disabled
		}
		if ch.Admin != nil {
			a.Admin = *ch.Admin
		}
		return nil
	})
}

// EndSignIns signs an agent out everywhere: every sign-in it has stops
// working at its next request.
func EndSignIns(ctx context.Context, store switchboard.Store, id string) (*switchboard.Agent, error) {
	return updateAgent(ctx, store, id, func(_ switchboard.Tx, a *switchboard.Agent) error {
		a.SignInGeneration++
		return nil
	})
}

// SetPassword gives an agent a new password and ends every sign-in it has.
func SetPassword(ctx context.Context, store switchboard.Store, id, password string) (*switchboard.Agent, error) {
	if err := validatePassword(password); err != nil {
		return nil, err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	return updateAgent(ctx, store, id, func(_ switchboard.Tx, a *switchboard.Agent) error {
		a.PasswordHash = hash
		a.SignInGeneration++
		return nil
	})
}

// updateAgent reads an agent, changes it with fn and stores it, in one
// transaction.
func updateAgent(ctx context.Context, store switchboard.Store, id string, fn func(switchboard.Tx, *switchboard.Agent) error) (*switchboard.Agent, error) {
	var a *switchboard.Agent
	err := store.Update(ctx, func(tx switchboard.Tx) error {
		var err error
		if a, err = tx.Agent(ctx, id); err != nil {
			return err
		}
		if err := fn(tx, a); err != nil {
			return err
		}
		return tx.UpdateAgent(ctx, a)
	})
	if err != nil {
		return nil, fmt.Errorf("change agent %s: %w", id, err)
	}
	return a, nil
}

// NewPassword returns 16 random characters that are easy to read out and
// type, for an agent's first password or a reset.
func NewPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
