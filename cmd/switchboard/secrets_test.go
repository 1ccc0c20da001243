package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/csml/smtphost"
	"switchboard/engine"
	"switchboard/httpapi"
	"switchboard/livechat"
	"switchboard/secrets"
)

// TestSecretsRotation rotates the key of a data folder with sealed secrets
// of every kind, and checks that the server still opens them all with the
// new key alone.
func TestSecretsRotation(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	open := func() *app.App {
		a, err := app.New(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: dir, Log: slog.New(slog.DiscardHandler),
			Bots: []app.BotConfig{{Path: "../../examples/livechat"}}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := open()
	if _, err := a.Livechat.Configure(ctx, "livechat-demo", livechat.Settings{Platform: livechat.PlatformDesk}); err != nil {
		t.Fatal(err)
	}
	token, err := a.Livechat.Token(ctx, "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	ch := switchboard.Channel{ID: "api", BotID: "livechat-demo", Type: switchboard.ChannelAPI, CreatedAt: time.Now()}
	secret := httpapi.NewCredentials(a.Livechat.Sealer, &ch)
	if err := a.Store.Update(ctx, func(tx switchboard.Tx) error { return tx.PutChannel(ctx, &ch) }); err != nil {
		t.Fatal(err)
	}
	mailAccount := smtphost.Account{Host: "smtp.example.com", Username: "bot", Password: "mail-secret"}
	if err := a.Store.Update(ctx, func(tx switchboard.Tx) error {
		return engine.SaveSMTPAccount(ctx, tx, a.Livechat.Sealer, "livechat-demo", &mailAccount)
	}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	keyFile := filepath.Join(dir, "secret.key")
	oldKeys, _ := secrets.ReadKeyFile(keyFile)

	want := func(what string, wantCode int, args ...string) string {
		t.Helper()
		code, out, errOut := runCmd(t, append(append([]string{"secrets"}, args...), "--data", dir)...)
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s%s", what, code, wantCode, out, errOut)
		}
		return out + errOut
	}
	if out := want("status", 0, "status"); !strings.Contains(out, "1 key(s)") || !strings.Contains(out, "0 secret(s) sealed with an older key") {
		t.Fatalf("status: %s", out)
	}
	// A new primary key in the file, without sealing again: the older key
	// is still needed, and prune refuses to drop it.
	if err := secrets.WriteKeyFile(keyFile, append([][]byte{secrets.NewKey()}, oldKeys...)); err != nil {
		t.Fatal(err)
	}
	if out := want("status with a stale key", 0, "status"); !strings.Contains(out, "2 key(s)") || strings.Contains(out, " 0 secret(s)") {
		t.Fatalf("status: %s", out)
	}
	if out := want("prune too early", 1, "prune"); !strings.Contains(out, "reseal") {
		t.Fatalf("prune: %s", out)
	}
	// rotate adds yet another key and seals everything with it; prune
	// then keeps only it.
	if out := want("rotate", 0, "rotate"); !strings.Contains(out, "sealed with key") {
		t.Fatalf("rotate: %s", out)
	}
	if keys, _ := secrets.ReadKeyFile(keyFile); len(keys) != 3 {
		t.Fatalf("after rotate the key file has %d keys, want 3", len(keys))
	}
	if out := want("status after rotate", 0, "status"); !strings.Contains(out, "0 secret(s) sealed with an older key") {
		t.Fatalf("status: %s", out)
	}
	want("prune", 0, "prune")
	keys, _ := secrets.ReadKeyFile(keyFile)
	if len(keys) != 1 || string(keys[0]) == string(oldKeys[0]) {
		t.Fatalf("after prune: %d keys", len(keys))
	}

	// The server starts with the new key alone and every secret opens.
	a = open()
	defer a.Close()
	if got, err := a.Livechat.Token(ctx, "livechat-demo"); err != nil || got != token {
		t.Fatalf("webhook token after rotation: %v (changed: %v)", err, got != token)
	}
	if err := a.Store.View(ctx, func(tx switchboard.Tx) error {
		got, err := engine.LoadSMTPAccount(ctx, tx, a.Livechat.Sealer, "livechat-demo")
		if err == nil && (got == nil || *got != mailAccount) {
			err = fmt.Errorf("got %+v", got)
		}
		return err
	}); err != nil {
		t.Fatalf("the bot's SMTP account after rotation: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	stamp := ch.APIKey + "|" + strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stamp))
	req, _ := http.NewRequest("POST", srv.URL+"/v1/api/chat", strings.NewReader(`{"client":{"user_id":"u"},"payload":{"content_type":"text","content":{"text":"hi"}}}`))
	req.Header.Set("X-Api-Key", stamp)
	req.Header.Set("X-Api-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("signed chat after rotation → %d %s", res.StatusCode, body)
	}

	// With the keys in the environment, rotate says what to do instead.
	t.Setenv(secrets.EnvVar, "x")
	if out := want("rotate with env keys", 1, "rotate"); !strings.Contains(out, "reseal") {
		t.Fatalf("rotate with env keys: %s", out)
	}
	want("unknown subcommand", 2, "spin")
}
