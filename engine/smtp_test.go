package engine_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"switchboard"
	"switchboard/csml/smtphost"
	"switchboard/engine"
	"switchboard/internal/mailcatcher"
	"switchboard/internal/netpolicy"
	"switchboard/internal/testclock"
	"switchboard/secrets"
	"switchboard/store/sqlite"
)

// mailFixture is an engine whose server SMTP account is a mail catcher's,
// and a bot that sends an e-mail without .auth() to the catcher's host.
type mailFixture struct {
	t       *testing.T
	catcher *mailcatcher.Catcher
	store   *sqlite.DB
	eng     *engine.Engine
	keys    *secrets.Keyring
	host    string
	port    int
}

func newMailFixture(t *testing.T, server smtphost.Account) *mailFixture {
	catcher, err := mailcatcher.Start(mailcatcher.Config{Username: "botuser", Password: "botpw"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { catcher.Close() })
	host, port, _ := net.SplitHostPort(catcher.Addr)
	p, _ := strconv.Atoi(port)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sb.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	keys, err := secrets.New(secrets.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	server.Host, server.Port, server.TLS = host, p, smtphost.TLSNone
	eng := engine.New(store, nil, engine.NewBots(), engine.Config{Clock: testclock.New(t0), Sealer: keys, SMTP: smtphost.Config{
		Allow: netpolicy.MustParseRules(catcher.Addr), Account: &server,
	}})
	bot := switchboard.Bot{ID: "mailer", Name: "Mailer", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: `start:
  say SMTP("` + host + `").send({"from": "bot@example.com", "to": "ada@example.com", "subject": "Order", "text": "shipped"})
  goto end
`}}}
	if _, err := eng.Bots().Put(switchboard.NewBotVersion(bot, t0)); err != nil {
		t.Fatal(err)
	}
	return &mailFixture{t: t, catcher: catcher, store: store, eng: eng, keys: keys, host: host, port: p}
}

// send runs the bot once and returns its first message.
func (f *mailFixture) send() string {
	r, err := f.eng.HandleEvent(context.Background(), engine.Request{Client: switchboard.ClientKey{BotID: "mailer", ChannelID: "web", UserID: "u"},
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(r.Messages) == 0 {
		f.t.Fatal("no message")
	}
	return string(r.Messages[0].Payload.Content)
}

// TestBotsSendEmail: with the server's SMTP setting a bot's
// SMTP(host).send(email) reaches the mail server (it used to fail with
// "SMTP is not available on this server").
func TestBotsSendEmail(t *testing.T) {
	f := newMailFixture(t, smtphost.Account{Username: "botuser", Password: "botpw"})
	if got := f.send(); got != `{"text":"true"}` {
		t.Fatalf("message %s", got)
	}
	msgs := f.catcher.Messages()
	if len(msgs) != 1 || msgs[0].User != "botuser" || msgs[0].Header.Get("Subject") != "Order" {
		t.Fatalf("caught %+v", msgs)
	}
}

// TestBotsOwnSMTPAccount: a bot's own account (sealed in the store) comes
// before the server's.
func TestBotsOwnSMTPAccount(t *testing.T) {
	f := newMailFixture(t, smtphost.Account{Username: "relay", Password: "wrong"})
	if got := f.send(); !strings.Contains(got, "Could not send email: authentication failed") {
		t.Fatalf("with the server's wrong credentials: %s", got)
	}
	own := &smtphost.Account{Host: f.host, Port: f.port, TLS: smtphost.TLSNone, Username: "botuser", Password: "botpw"}
	if err := f.store.Update(context.Background(), func(tx switchboard.Tx) error {
		return engine.SaveSMTPAccount(context.Background(), tx, f.keys, "mailer", own)
	}); err != nil {
		t.Fatal(err)
	}
	if got := f.send(); got != `{"text":"true"}` {
		t.Fatalf("message %s", got)
	}
	if msgs := f.catcher.Messages(); len(msgs) != 1 || msgs[0].User != "botuser" {
		t.Fatalf("caught %+v", msgs)
	}
}
