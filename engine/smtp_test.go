package engine_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"switchboard"
	"switchboard/csml/smtphost"
	"switchboard/engine"
	"switchboard/internal/mailcatcher"
	"switchboard/internal/netpolicy"
	"switchboard/internal/testclock"
	"switchboard/store/sqlite"
)

// TestBotsSendEmail: with the server's SMTP setting a bot's
// SMTP(host).send(email) reaches the mail server (it used to fail with
// "SMTP is not available on this server").
func TestBotsSendEmail(t *testing.T) {
	catcher, err := mailcatcher.Start(mailcatcher.Config{Username: "relay", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer catcher.Close()
	host, port, _ := net.SplitHostPort(catcher.Addr)
	p, _ := strconv.Atoi(port)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sb.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	eng := engine.New(store, nil, engine.NewBots(), engine.Config{Clock: testclock.New(t0), SMTP: smtphost.Config{
		Allow:   netpolicy.MustParseRules(catcher.Addr),
		Account: &smtphost.Account{Host: host, Port: p, TLS: smtphost.TLSNone, Username: "relay", Password: "pw"},
	}})
	bot := switchboard.Bot{ID: "mailer", Name: "Mailer", DefaultFlow: "Main", Flows: []switchboard.Flow{{ID: "Main", Name: "Main", Commands: []string{}, Content: `start:
  say SMTP("` + host + `").send({"from": "bot@example.com", "to": "ada@example.com", "subject": "Order", "text": "shipped"})
  goto end
`}}}
	if _, err := eng.Bots().Put(switchboard.NewBotVersion(bot, t0)); err != nil {
		t.Fatal(err)
	}
	r, err := eng.HandleEvent(ctx, engine.Request{Client: switchboard.ClientKey{BotID: "mailer", ChannelID: "web", UserID: "u"},
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Messages) != 1 || string(r.Messages[0].Payload.Content) != `{"text":"true"}` {
		t.Fatalf("messages %+v", r.Messages)
	}
	msgs := catcher.Messages()
	if len(msgs) != 1 || msgs[0].User != "relay" || msgs[0].Header.Get("Subject") != "Order" {
		t.Fatalf("caught %+v", msgs)
	}
}
