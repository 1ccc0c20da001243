package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"switchboard"
	"switchboard/csml/smtphost"
	"switchboard/engine"
	"switchboard/internal/mailcatcher"
)

// TestServerSMTPSetting: the configuration's smtp setting reaches the
// bots: a flow's SMTP(host).send() without .auth() goes through the
// server's account, to an address smtp.allow lets through.
func TestServerSMTPSetting(t *testing.T) {
	catcher, err := mailcatcher.Start(mailcatcher.Config{Username: "relay", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer catcher.Close()
	host, port, _ := net.SplitHostPort(catcher.Addr)
	p, _ := strconv.Atoi(port)
	model, _ := json.Marshal(map[string]any{"id": "mailer", "name": "Mailer", "default_flow": "main", "flows": []map[string]any{{
		"id": "f1", "name": "main", "commands": []string{},
		"content": "start:\n  say SMTP(\"" + host + "\").send({\"from\": \"bot@example.com\", \"to\": \"ada@example.com\", \"text\": \"hi\"})\n  goto end",
	}}})
	path := filepath.Join(t.TempDir(), "mailer.json")
	if err := os.WriteFile(path, model, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := New(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Bots: []BotConfig{{Path: path}},
		SMTP: SMTPConfig{Account: smtphost.Account{Host: host, Port: p, TLS: smtphost.TLSNone, Username: "relay", Password: "pw"}, Allow: []string{catcher.Addr}}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	r, err := a.Engine.HandleEvent(context.Background(), engine.Request{Client: switchboard.ClientKey{BotID: "mailer", ChannelID: "web", UserID: "u"},
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Messages) == 0 || string(r.Messages[0].Payload.Content) != `{"text":"true"}` {
		t.Fatalf("messages %+v", r.Messages)
	}
	if msgs := catcher.Messages(); len(msgs) != 1 || msgs[0].User != "relay" {
		t.Fatalf("caught %+v", msgs)
	}
}
