package chatwoot_test

import (
	"strings"
	"testing"

	"switchboard"
	"switchboard/internal/simkit/simtest"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestCheckMakesOneInboxAndFollowsThePublicURL saves settings as a team
// would, again and again: one inbox, found by its id or by the bot's token
// in its webhook URL, its webhook moved when switchboard's public URL
// moves, its secret kept.
func TestCheckMakesOneInboxAndFollowsThePublicURL(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	c := chatwoot.New(chatwoot.Options{})
	check := func(s livechat.Settings, public string) livechat.Settings {
		t.Helper()
		out, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "shop", Settings: s, PublicURL: public})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		return out
	}
	base := livechat.Settings{Platform: livechat.PlatformChatwoot, Token: "tok", Chatwoot: &livechat.ChatwootSettings{URL: sim.URL, AccessToken: chatwootsim.DefaultUser.Token}}
	first := check(base, "https://sb.example.com")
	again := check(first, "https://sb.example.com")
	moved := check(base, "https://chat.example.com") // the inbox id forgotten: found by the token
	in := sim.Inboxes()
	if len(in) != 1 || in[0].Name != "switchboard shop" || in[0].WebhookURL != "https://chat.example.com/v1/livechat/chatwoot/receive?token=tok" {
		t.Fatalf("inboxes %+v", in)
	}
	for _, s := range []livechat.Settings{first, again, moved} {
		if cw := s.Chatwoot; cw.AccountID != 1 || cw.InboxID != int(in[0].ID) || cw.WebhookSecret != in[0].Secret || cw.WebhookSecret == "" {
			t.Errorf("settings %+v, want account 1, inbox %d and its secret", cw, in[0].ID)
		}
	}
	// Another bot's token is another inbox.
	other := base
	other.Token = "other"
	check(other, "https://chat.example.com")
	if n := len(sim.Inboxes()); n != 2 {
		t.Errorf("inboxes = %d, want one per bot", n)
	}
}

// TestCheckChoosesAnAccountTheUserAdministers reads the accounts of the
// token's user: the one administered is chosen, and an account named in the
// settings where the user is only an agent is refused.
func TestCheckChoosesAnAccountTheUserAdministers(t *testing.T) {
	u := chatwootsim.User{ID: 5, Name: "Sam", Email: "sam@example.com", Token: "sam-token", Roles: map[int64]string{1: "agent", 2: "administrator"}}
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{Accounts: []chatwootsim.Account{{ID: 1, Name: "Support"}, {ID: 2, Name: "Sales"}}, Users: []chatwootsim.User{u}})
	c := chatwoot.New(chatwoot.Options{})
	s := livechat.Settings{Platform: livechat.PlatformChatwoot, Token: "tok", Chatwoot: &livechat.ChatwootSettings{URL: sim.URL, AccessToken: u.Token}}
	out, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "b", Settings: s, PublicURL: "https://sb.example.com"})
	if err != nil || out.Chatwoot.AccountID != 2 {
		t.Fatalf("Check = %+v, %v; want account 2", out.Chatwoot, err)
	}
	s.Chatwoot.AccountID = 1
	_, err = c.Check(t.Context(), livechat.CheckRequest{BotID: "b", Settings: s, PublicURL: "https://sb.example.com"})
	if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), "agent of account 1") {
		t.Errorf("an account the user does not administer: %v", err)
	}
	s.Chatwoot.AccountID = 7
	if _, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "b", Settings: s, PublicURL: "https://sb.example.com"}); err == nil || !strings.Contains(err.Error(), "not in account 7") {
		t.Errorf("an account the user is not in: %v", err)
	}
}
