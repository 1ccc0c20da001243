package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/testclock"
	"switchboard/livechat"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasSettingsAreCheckedOnSave saves Gorgias settings the way every
// path does (configuration file, admin API): refused credentials, a user
// without API access and an unreachable domain are refused with an error
// that names what failed; good ones are stored with the API key sealed and
// come back masked.
func TestGorgiasSettingsAreCheckedOnSave(t *testing.T) {
	limited := gorgiassim.User{ID: 2, Email: "intern@example.com", Name: "Intern", APIKey: "intern-key", NoAPI: true}
	sim, err := gorgiassim.Start("", gorgiassim.Config{Users: []gorgiassim.User{gorgiassim.DefaultUser, limited}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	srv := startServer(t, testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)), nil)
	save := func(domain, user, key string) (livechat.Settings, error) {
		return srv.app.Livechat.Configure(context.Background(), "livechat-demo", livechat.Settings{
			Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: domain, Username: user, APIKey: key},
		})
	}
	refused := []struct {
		name, domain, user, key string
		want                    []string
	}{
		{"a wrong API key", sim.URL, gorgiassim.DefaultUser.Email, "wrong-key", []string{"refused the username", "agent@example.com", "401"}},
		{"a wrong username", sim.URL, "nobody@example.com", gorgiassim.DefaultUser.APIKey, []string{"refused the username", "nobody@example.com"}},
		{"a user without API access", sim.URL, limited.Email, limited.APIKey, []string{"may not use the REST API", "403"}},
		{"an unreachable domain", "http://127.0.0.1:1", gorgiassim.DefaultUser.Email, "k", []string{"cannot reach Gorgias at http://127.0.0.1:1"}},
		{"a domain that is not Gorgias", "acme.example.com", gorgiassim.DefaultUser.Email, "k", []string{"not on gorgias.com"}},
		{"no API key", sim.URL, gorgiassim.DefaultUser.Email, "", []string{"gorgias.api_key is empty"}},
	}
	for _, c := range refused {
		_, err := save(c.domain, c.user, c.key)
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

	saved, err := save("  "+sim.URL+"/ ", gorgiassim.DefaultUser.Email, gorgiassim.DefaultUser.APIKey)
	if err != nil {
		t.Fatalf("good settings: %v", err)
	}
	if saved.Gorgias.APIKey != livechat.Mask || saved.Token != livechat.Mask {
		t.Errorf("secrets shown back: %+v %q", saved.Gorgias, saved.Token)
	}
	var raw []byte
	err = srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		raw, err = tx.Setting(context.Background(), livechat.SettingName("livechat-demo"))
		return err
	})
	if err != nil || strings.Contains(string(raw), gorgiassim.DefaultUser.APIKey) {
		t.Errorf("the API key is stored in clear: %s %v", raw, err)
	}
	// Saving again with the masked key (as a settings page sends it back)
	// keeps the key.
	if _, err := save(sim.URL, gorgiassim.DefaultUser.Email, livechat.Mask); err != nil {
		t.Errorf("saving with the masked key: %v", err)
	}
	if got := storedPlatform(t, srv); got != livechat.PlatformGorgias {
		t.Errorf("stored platform %q", got)
	}
}

// storedPlatform reads the demo bot's stored platform ("" when none was saved).
func storedPlatform(t *testing.T, srv *server) string {
	t.Helper()
	var s livechat.Settings
	err := srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		s, err = livechat.LoadSettings(context.Background(), tx, srv.app.Livechat.Sealer, "livechat-demo")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.Platform
}
