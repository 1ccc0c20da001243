package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestChatwootSettingsAreCheckedOnSave saves Chatwoot settings the way every
// path does (configuration file, admin API): a bad URL, a refused token, an
// agent's token (which cannot make inboxes), an unreachable instance and a
// required signature an old Chatwoot cannot give are refused with an error
// that names what failed, and make nothing; good ones make the inbox and
// are stored with the token and the webhook secret sealed, shown masked.
func TestChatwootSettingsAreCheckedOnSave(t *testing.T) {
	agent := chatwootsim.User{ID: 2, Name: "Intern", Email: "intern@example.com", Token: "intern-token", Roles: map[int64]string{1: "agent"}}
	admin := chatwootsim.DefaultUser
	admin.Roles = map[int64]string{1: "administrator"}
	sim, err := chatwootsim.Start("", chatwootsim.Config{Users: []chatwootsim.User{admin, agent}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	unsigned, err := chatwootsim.Start("", chatwootsim.Config{Unsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unsigned.Close() })
	srv := startServer(t, testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)), nil)
	save := func(url, token, signature string) (livechat.Settings, error) {
		return srv.app.Livechat.Configure(context.Background(), "livechat-demo", livechat.Settings{
			Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{URL: url, AccessToken: token, Signature: signature},
		})
	}
	refused := []struct {
		name, url, token, signature string
		want                        []string
	}{
		{"a URL that is not one", "chat.example.com", "t", "", []string{"chatwoot.url", "must start with https://"}},
		{"no access token", sim.URL, "", "", []string{"access_token is empty"}},
		{"a wrong access token", sim.URL, "wrong-token", "", []string{"refused the access token", "401", "Invalid Access Token"}},
		{"an agent's token", sim.URL, agent.Token, "", []string{"intern@example.com", "administrator"}},
		{"an unreachable instance", "http://127.0.0.1:1", "t", "", []string{"cannot reach Chatwoot at http://127.0.0.1:1"}},
		{"a URL that is not Chatwoot's API", sim.URL + "/nothing-here/", "t", "", []string{"no Chatwoot API at " + sim.URL + "/nothing-here", "check the url"}},
		{"a required signature without a secret", unsigned.URL, chatwootsim.DefaultUser.Token, "required", []string{"no webhook secret", "present or off"}},
	}
	for _, c := range refused {
		_, err := save(c.url, c.token, c.signature)
		msg := switchboard.ErrorMessage(err)
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not say %q", c.name, msg, w)
			}
		}
	}
	if got := storedPlatform(t, srv); got != "" {
		t.Fatalf("refused settings were stored: platform %q", got)
	}
	if n := len(sim.Inboxes()); n != 0 {
		t.Fatalf("refused settings made %d inboxes", n)
	}

	// A dashboard URL is cut back to the instance.
	saved, err := save(sim.URL+"/app/accounts/1/dashboard", admin.Token, "")
	if err != nil {
		t.Fatalf("good settings: %v", err)
	}
	cw := saved.Chatwoot
	if cw.URL != sim.URL || cw.AccountID != 1 || cw.InboxID == 0 || cw.AccessToken != livechat.Mask || cw.WebhookSecret != livechat.Mask || saved.Token != livechat.Mask {
		t.Errorf("saved %+v (token %q): want the instance, the account and inbox found, the secrets masked", cw, saved.Token)
	}
	var raw []byte
	err = srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		raw, err = tx.Setting(context.Background(), livechat.SettingName("livechat-demo"))
		return err
	})
	inbox := sim.Inboxes()[0]
	if err != nil || strings.Contains(string(raw), admin.Token) || strings.Contains(string(raw), inbox.Secret) {
		t.Errorf("a secret is stored in clear: %s %v", raw, err)
	}
	// Saving again with the masked token (as a settings page sends it back)
	// keeps it, and makes no second inbox.
	if _, err := save(sim.URL, livechat.Mask, ""); err != nil {
		t.Errorf("saving with the masked token: %v", err)
	}
	if n := len(sim.Inboxes()); n != 1 || storedPlatform(t, srv) != livechat.PlatformChatwoot {
		t.Errorf("inboxes = %d, platform %q", n, storedPlatform(t, srv))
	}
}
