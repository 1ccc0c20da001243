package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/mail"
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

// CreateAgent hashes the password (bcrypt, golang.org/x/crypto/bcrypt) and
// stores the agent. Bad input is EINVALID with a message naming the field; an
// email already in use is ECONFLICT.
func CreateAgent(ctx context.Context, store switchboard.Store, clock switchboard.Clock, email, name, password string) (*switchboard.Agent, error) {
	if clock == nil {
		clock = switchboard.SystemClock{}
	}
	email, name = strings.TrimSpace(email), strings.TrimSpace(name)
	if err := validateAgent(email, name, password); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	a := &switchboard.Agent{
		ID: uuid.NewString(), Email: email, Name: name,
		PasswordHash: string(hash), CreatedAt: clock.Now(),
	}
	if err := store.Update(ctx, func(tx switchboard.Tx) error { return tx.CreateAgent(ctx, a) }); err != nil {
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
	if utf8.RuneCountInString(password) < minPasswordRunes {
		return switchboard.Errorf(switchboard.EINVALID, "password is too short: use at least %d characters", minPasswordRunes)
	}
	if len(password) > maxPasswordBytes {
		return switchboard.Errorf(switchboard.EINVALID, "password is longer than %d bytes", maxPasswordBytes)
	}
	return nil
}

// AgentChange is what an administrator changes of an agent; nil fields are
// left as they are.
type AgentChange struct {
	Name     *string `json:"name,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
	Admin    *bool   `json:"admin,omitempty"`
}

// ChangeAgent applies a change to an agent. A disabled agent is signed out
// at their next request; a missing agent is ENOTFOUND.
func ChangeAgent(ctx context.Context, store switchboard.Store, id string, ch AgentChange) (*switchboard.Agent, error) {
	var a *switchboard.Agent
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
	err := store.Update(ctx, func(tx switchboard.Tx) error {
		var err error
		if a, err = tx.Agent(ctx, id); err != nil {
			return err
		}
		if ch.Name != nil {
			a.Name = *ch.Name
		}
		if ch.Disabled != nil {
			a.Disabled = *ch.Disabled
		}
		if ch.Admin != nil {
			a.Admin = *ch.Admin
		}
		return tx.UpdateAgent(ctx, a)
	})
	if err != nil {
		return nil, fmt.Errorf("change agent %s: %w", id, err)
	}
	return a, nil
}

// NewPassword returns 16 random characters that are easy to read out and
// type, for an agent's first password.
func NewPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
