package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard"
)

func agent(id, email string, created time.Time) switchboard.Agent {
	return switchboard.Agent{ID: id, Email: email, Name: "Agent " + id, PasswordHash: "$argon2id$" + id, CreatedAt: created}
}

func createAgents(t *testing.T, s switchboard.Store, as ...switchboard.Agent) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range as {
			if err := tx.CreateAgent(t.Context(), &as[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func findByEmail(t *testing.T, s switchboard.Store, email string) *switchboard.Agent {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Agent, error) { return tx.FindAgentByEmail(t.Context(), email) })
}

func findLogin(t *testing.T, s switchboard.Store, hash string, now time.Time) *switchboard.AgentLogin {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.AgentLogin, error) { return tx.FindLogin(t.Context(), hash, now) })
}

var agentTests = []test{
	{"RoundTripAndUpdate", func(t *testing.T, s switchboard.Store) {
		a := agent("a1", "Ann@Example.com", t0)
		createAgents(t, s, a)
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Agent, error) { return tx.Agent(t.Context(), "a1") })
		equal(t, "Agent", got, &a)
		a.Email, a.Name, a.PasswordHash, a.Disabled = "ann@new.example.com", "Ann B.", "$argon2id$new", true
		a.AllBots, a.Bots, a.SignInGeneration = true, []string{"bot1", "bot 2"}, 3
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &a) })
		got = read(t, s, func(tx switchboard.Tx) (*switchboard.Agent, error) { return tx.Agent(t.Context(), "a1") })
		equal(t, "Agent after update", got, &a)
		equal(t, "FindAgentByEmail(new email)", findByEmail(t, s, "ANN@new.example.com"), &a)
		if got := findByEmail(t, s, "ann@example.com"); got != nil {
			t.Errorf("FindAgentByEmail(old email) = %+v, want nil", got)
		}
	}},
	{"FindByEmailIgnoresCase", func(t *testing.T, s switchboard.Store) {
		a, b := agent("a1", "Ann@Example.com", t0), agent("b1", "bob@example.com", t0)
		createAgents(t, s, a, b)
		for _, email := range []string{"Ann@Example.com", "ann@example.com", "ANN@EXAMPLE.COM"} {
			equal(t, "FindAgentByEmail("+email+")", findByEmail(t, s, email), &a)
		}
		if got := findByEmail(t, s, "carol@example.com"); got != nil {
			t.Errorf("FindAgentByEmail of an unknown email = %+v, want nil", got)
		}
	}},
	{"EmailInUseConflicts", func(t *testing.T, s switchboard.Store) {
		a, b := agent("a1", "ann@example.com", t0), agent("b1", "bob@example.com", t0)
		createAgents(t, s, a, b)
		dup := agent("a2", "ANN@example.COM", t0)
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.CreateAgent(t.Context(), &dup) })
		wantCode(t, "CreateAgent with an email in use", err, switchboard.ECONFLICT)
		b.Email = "Ann@Example.com"
		err = s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &b) })
		wantCode(t, "UpdateAgent to an email in use", err, switchboard.ECONFLICT)
		// An agent may change the case of its own email.
		a.Email = "ANN@example.com"
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &a) })
		equal(t, "FindAgentByEmail", findByEmail(t, s, "ann@example.com"), &a)
	}},
	{"MissingIsNotFound", func(t *testing.T, s switchboard.Store) {
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.Agent(t.Context(), "nope"); return err })
		wantCode(t, "Agent", err, switchboard.ENOTFOUND)
		a := agent("nope", "nope@example.com", t0)
		err = s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &a) })
		wantCode(t, "UpdateAgent", err, switchboard.ENOTFOUND)
	}},
	{"ListAgents", func(t *testing.T, s switchboard.Store) {
		if got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Agent, error) { return tx.ListAgents(t.Context()) }); len(got) != 0 {
			t.Errorf("ListAgents of an empty store = %+v", got)
		}
		as := []switchboard.Agent{agent("b", "b@example.com", t0), agent("a", "a@example.com", at(time.Minute)), agent("c", "c@example.com", at(-time.Minute))}
		createAgents(t, s, as...)
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Agent, error) { return tx.ListAgents(t.Context()) })
		byID := func(x, y switchboard.Agent) int { return strings.Compare(x.ID, y.ID) }
		slices.SortFunc(got, byID)
		slices.SortFunc(as, byID)
		equal(t, "ListAgents", got, as)
	}},
	{"Logins", func(t *testing.T, s switchboard.Store) {
		a := agent("a1", "ann@example.com", t0)
		createAgents(t, s, a)
		l := switchboard.AgentLogin{TokenHash: "hash1", AgentID: "a1", CSRFToken: "csrf1", CreatedAt: t0, ExpiresAt: at(time.Hour)}
		update(t, s, func(tx switchboard.Tx) error { return tx.CreateLogin(t.Context(), &l) })
		equal(t, "FindLogin", findLogin(t, s, "hash1", at(time.Minute)), &l)
		if got := findLogin(t, s, "hash2", at(time.Minute)); got != nil {
			t.Errorf("FindLogin of an unknown token = %+v, want nil", got)
		}
		if got := findLogin(t, s, "hash1", at(time.Hour)); got != nil {
			t.Errorf("FindLogin when it expires = %+v, want nil", got)
		}
		if got := findLogin(t, s, "hash1", at(2*time.Hour)); got != nil {
			t.Errorf("FindLogin after it expired = %+v, want nil", got)
		}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.DeleteLogin(t.Context(), "hash1"); err != nil {
				return err
			}
			return tx.DeleteLogin(t.Context(), "hash1") // signing out twice is harmless
		})
		if got := findLogin(t, s, "hash1", at(time.Minute)); got != nil {
			t.Errorf("FindLogin after DeleteLogin = %+v, want nil", got)
		}
	}},
	{"LoginsEndWithTheirGeneration", func(t *testing.T, s switchboard.Store) {
		a := agent("a1", "ann@example.com", t0)
		a.SignInGeneration = 4
		createAgents(t, s, a)
		old := switchboard.AgentLogin{TokenHash: "old", AgentID: "a1", CSRFToken: "csrf1", Generation: 3, CreatedAt: t0, ExpiresAt: at(time.Hour)}
		cur := switchboard.AgentLogin{TokenHash: "cur", AgentID: "a1", CSRFToken: "csrf2", Generation: 4, CreatedAt: t0, ExpiresAt: at(time.Hour)}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.CreateLogin(t.Context(), &old); err != nil {
				return err
			}
			return tx.CreateLogin(t.Context(), &cur)
		})
		if got := findLogin(t, s, "old", at(time.Minute)); got != nil {
			t.Errorf("FindLogin of a sign-in of an earlier generation = %+v, want nil", got)
		}
		equal(t, "FindLogin of the current generation", findLogin(t, s, "cur", at(time.Minute)), &cur)
		a.SignInGeneration++ // every sign-in of the agent ends
		update(t, s, func(tx switchboard.Tx) error { return tx.UpdateAgent(t.Context(), &a) })
		if got := findLogin(t, s, "cur", at(time.Minute)); got != nil {
			t.Errorf("FindLogin after the agent's generation moved on = %+v, want nil", got)
		}
	}},
	{"LoginOfAMissingAgentIsNotFound", func(t *testing.T, s switchboard.Store) {
		l := switchboard.AgentLogin{TokenHash: "hash1", AgentID: "nope", CSRFToken: "csrf1", CreatedAt: t0, ExpiresAt: at(time.Hour)}
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.CreateLogin(t.Context(), &l) })
		wantCode(t, "CreateLogin", err, switchboard.ENOTFOUND)
	}},
	{"SavedReplies", func(t *testing.T, s switchboard.Store) {
		list := func() []switchboard.SavedReply {
			got := read(t, s, func(tx switchboard.Tx) ([]switchboard.SavedReply, error) { return tx.ListSavedReplies(t.Context()) })
			slices.SortFunc(got, func(x, y switchboard.SavedReply) int { return strings.Compare(x.ID, y.ID) })
			if got == nil {
				got = []switchboard.SavedReply{}
			}
			return got
		}
		equal(t, "ListSavedReplies of an empty store", list(), []switchboard.SavedReply{})
		r1 := switchboard.SavedReply{ID: "r1", Title: "Hello", Text: "Hi, how can I help?", CreatedAt: t0}
		r2 := switchboard.SavedReply{ID: "r2", Title: "Bye", Text: "Goodbye!\nLIVECHAT_SESSION_END", CreatedAt: at(time.Minute)}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutSavedReply(t.Context(), &r1); err != nil {
				return err
			}
			return tx.PutSavedReply(t.Context(), &r2)
		})
		equal(t, "ListSavedReplies", list(), []switchboard.SavedReply{r1, r2})
		r1.Title, r1.Text = "Hi", "Hello there"
		update(t, s, func(tx switchboard.Tx) error { return tx.PutSavedReply(t.Context(), &r1) })
		equal(t, "ListSavedReplies after replace", list(), []switchboard.SavedReply{r1, r2})
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteSavedReply(t.Context(), "r2") })
		equal(t, "ListSavedReplies after delete", list(), []switchboard.SavedReply{r1})
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.DeleteSavedReply(t.Context(), "r2") })
		wantCode(t, "DeleteSavedReply of a missing reply", err, switchboard.ENOTFOUND)
	}},
}
