package livechat_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/secrets"
	"switchboard/store/sqlite"
)

// checkingProvider is a platform whose credential check the test controls.
type checkingProvider struct {
	livechat.Provider
	err    error
	checks []livechat.CheckRequest
}

func (p *checkingProvider) Check(_ context.Context, r livechat.CheckRequest) (livechat.Settings, error) {
	p.checks = append(p.checks, r)
	if p.err != nil {
		return livechat.Settings{}, p.err
	}
	s := r.Settings
	if s.Chatwoot != nil {
		s.Chatwoot.InboxID = 42 // found on the platform
	}
	return s, nil
}

func newConfigurer(t *testing.T) (livechat.Configurer, *checkingProvider, *sqlite.DB) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	k, _ := secrets.New(secrets.NewKey())
	p := &checkingProvider{}
	return livechat.Configurer{Store: store, Sealer: k, PublicURL: "https://sb.example.com",
		Providers: map[string]livechat.Provider{livechat.PlatformGorgias: p, livechat.PlatformChatwoot: p, livechat.PlatformDesk: nil}}, p, store
}

func stored(t *testing.T, c livechat.Configurer) (raw string, s livechat.Settings) {
	t.Helper()
	ctx := context.Background()
	err := c.Store.View(ctx, func(tx switchboard.Tx) error {
		r, err := tx.Setting(ctx, livechat.SettingName("shop"))
		raw = string(r)
		if err != nil {
			return err
		}
		s, err = livechat.LoadSettings(ctx, tx, c.Sealer, "shop")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw, s
}

func TestConfigureSealsSecretsAndNeverShowsThemBack(t *testing.T) {
	c, p, _ := newConfigurer(t)
	ctx := context.Background()
	in := livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "acme", Username: "bot@acme.com", APIKey: "key-123"}}
	out, err := c.Configure(ctx, "shop", in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Gorgias.APIKey != livechat.Mask || out.Token != livechat.Mask {
		t.Fatalf("secrets shown back: %+v %+v", out, out.Gorgias)
	}
	if len(p.checks) != 1 || p.checks[0].Settings.Gorgias.APIKey != "key-123" || p.checks[0].Settings.Token == "" || p.checks[0].PublicURL != "https://sb.example.com" {
		t.Fatalf("check requests: %+v", p.checks)
	}
	raw, s := stored(t, c)
	if strings.Contains(raw, "key-123") || strings.Contains(raw, s.Token) {
		t.Fatalf("a secret is stored in clear: %s", raw)
	}
	if s.Gorgias.APIKey != "key-123" || s.Token == "" {
		t.Fatalf("loaded: %+v", s.Gorgias)
	}
	token := s.Token

	// A page sends back what it was shown: the masked key keeps the stored
	// one, and the token does not change.
	out.Gorgias.Username = "agent@acme.com"
	if _, err := c.Configure(ctx, "shop", out); err != nil {
		t.Fatal(err)
	}
	_, s = stored(t, c)
	if s.Gorgias.APIKey != "key-123" || s.Gorgias.Username != "agent@acme.com" || s.Token != token {
		t.Fatalf("after saving masked settings: %+v token %q→%q", s.Gorgias, token, s.Token)
	}
}

func TestConfigureRefusesBadSettingsAndChangesNothing(t *testing.T) {
	c, p, _ := newConfigurer(t)
	ctx := context.Background()
	good := livechat.Settings{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{URL: "https://chat.example.com", AccessToken: "tok"}}
	if _, err := c.Configure(ctx, "shop", good); err != nil {
		t.Fatal(err)
	}
	_, before := stored(t, c)
	if before.Chatwoot.InboxID != 42 {
		t.Fatalf("what the check found was not kept: %+v", before.Chatwoot)
	}

	p.err = switchboard.Errorf(switchboard.EUNAUTHORIZED, "Chatwoot refused the access token (401 Invalid Access Token)")
	bad := good
	bad.Chatwoot = &livechat.ChatwootSettings{URL: "https://chat.example.com", AccessToken: "wrong"}
	_, err := c.Configure(ctx, "shop", bad)
	if switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED || !strings.Contains(err.Error(), "Invalid Access Token") {
		t.Fatalf("bad credentials: %v", err)
	}
	p.err = nil
	if _, err := c.Configure(ctx, "shop", livechat.Settings{Platform: "zendesk"}); switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Fatalf("unknown platform: %v", err)
	}
	if _, err := c.Configure(ctx, "shop", livechat.Settings{Platform: livechat.PlatformGorgias}); err == nil || !strings.Contains(err.Error(), "needs the gorgias settings") {
		t.Fatalf("gorgias without settings: %v", err)
	}
	_, after := stored(t, c)
	if after.Chatwoot.AccessToken != "tok" || after.Chatwoot.InboxID != 42 {
		t.Fatalf("a refused save changed the settings: %+v", after.Chatwoot)
	}
}

func TestWhatTheCheckFoundIsKeptForTheSameInstance(t *testing.T) {
	c, p, _ := newConfigurer(t)
	ctx := context.Background()
	save := func(url string) {
		t.Helper()
		s := livechat.Settings{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{URL: url, AccessToken: livechat.Mask}}
		if _, err := c.Configure(ctx, "shop", s); err != nil && !strings.Contains(err.Error(), "access_token") {
			t.Fatal(err)
		}
	}
	if _, err := c.Configure(ctx, "shop", livechat.Settings{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{URL: "https://chat.example.com", AccessToken: "tok", AccountID: 3}}); err != nil {
		t.Fatal(err)
	}
	save("https://CHAT.example.com/") // as a page sends it back: no account, no inbox
	// (The fake check sets the inbox on what it is given: the account says
	// what it was given.)
	if got := p.checks[len(p.checks)-1].Settings.Chatwoot; got.AccountID != 3 {
		t.Errorf("the check of the same instance got %+v, want the account found before", got)
	}
	save("https://other.example.com")
	if got := p.checks[len(p.checks)-1].Settings.Chatwoot; got.AccountID != 0 {
		t.Errorf("the check of another instance got %+v, want none", got)
	}
}

func TestSealedSettingsNeedTheirKey(t *testing.T) {
	c, _, store := newConfigurer(t)
	ctx := context.Background()
	if _, err := c.Configure(ctx, "shop", livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "a", Username: "u", APIKey: "k"}}); err != nil {
		t.Fatal(err)
	}
	other, _ := secrets.New(secrets.NewKey())
	err := store.View(ctx, func(tx switchboard.Tx) error {
		_, err := livechat.LoadSettings(ctx, tx, other, "shop")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "not in the keyring") {
		t.Fatalf("opening with another key: %v", err)
	}
	if errors.Is(err, context.Canceled) {
		t.Fatal("unexpected")
	}
}

func TestTokenIsMadeOnceAndKept(t *testing.T) {
	c, _, _ := newConfigurer(t)
	ctx := context.Background()
	t1, err := c.Token(ctx, "shop")
	if err != nil || len(t1) < 20 {
		t.Fatalf("token %q %v", t1, err)
	}
	t2, _ := c.Token(ctx, "shop")
	if t1 != t2 {
		t.Fatal("the token changed between two reads")
	}
}

// TestCredentialsInAURLAreRefusedAndNeverShown: a Gorgias domain or a
// Chatwoot URL with user:password@ would keep a password unsealed and show
// it back; it is refused without repeating it, and one that an earlier
// version stored is masked in answers.
func TestCredentialsInAURLAreRefusedAndNeverShown(t *testing.T) {
	c, _, store := newConfigurer(t)
	ctx := context.Background()
	for _, in := range []livechat.Settings{
		{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "http://ops:hunter2@127.0.0.1:8090", Username: "bot@acme.com", APIKey: "key-123"}},
		{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "ops:hunter2@acme.gorgias.com", Username: "bot@acme.com", APIKey: "key-123"}},
		{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{URL: "https://ops:hunter2@chat.example.com", AccessToken: "tok"}},
	} {
		_, err := c.Configure(ctx, "shop", in)
		if switchboard.ErrorCode(err) != switchboard.EINVALID || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "user name or password") {
			t.Errorf("Configure(%+v): %v, want invalid, naming the user information without repeating it", in, err)
		}
	}
	// An @ in a path is no user information.
	ok := livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "https://proxy.example.com/team@acme", Username: "bot@acme.com", APIKey: "key-123"}}
	if _, err := c.Configure(ctx, "shop", ok); err != nil {
		t.Errorf("an @ in the path: %v", err)
	}
	// Stored by an earlier version, the password is masked in answers.
	old := livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{Domain: "http://ops:hunter2@127.0.0.1:8090", Username: "bot@acme.com", APIKey: "key-123"}}
	if err := store.Update(ctx, func(tx switchboard.Tx) error { return livechat.SaveSettings(ctx, tx, c.Sealer, "shop", old) }); err != nil {
		t.Fatal(err)
	}
	_, s := stored(t, c)
	if got := s.Masked().Gorgias.Domain; got != "http://"+livechat.Mask+"@127.0.0.1:8090" {
		t.Errorf("masked domain %q", got)
	}
}
