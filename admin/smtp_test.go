package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/internal/browsertest"
	"switchboard/livechat"
)

type smtpView struct {
	BotID   string `json:"bot_id"`
	Account *struct {
		Host     string `json:"host"`
		Port     int    `json:"port"`
		TLS      string `json:"tls"`
		Username string `json:"username"`
		Password string `json:"password"`
	} `json:"account"`
}

// TestBotSMTPAccount: an administrator gives a bot its own SMTP account;
// the password is sealed at rest, never shown back nor logged, and kept
// when sent back masked.
func TestBotSMTPAccount(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	const path = "/v1/admin/bots/livechat-demo/smtp"
	var v smtpView
	c.must("GET", path, nil, http.StatusOK, &v)
	if v.BotID != "livechat-demo" || v.Account != nil {
		t.Fatalf("before: %+v", v)
	}
	for _, bad := range []struct {
		body map[string]any
		says string
	}{
		{map[string]any{"host": "smtp.example.com", "tls": "ssl"}, `tls "ssl" is unknown`},
		{map[string]any{"host": "", "username": "u", "password": "p"}, "host is empty"},
		{map[string]any{"host": "smtp.example.com", "username": "bot"}, "give both username and password"},
		{map[string]any{"host": "smtp.example.com", "hostname": "x"}, "hostname"},
	} {
		if msg := c.fails("PUT", path, bad.body, "", http.StatusBadRequest); !strings.Contains(msg, bad.says) {
			t.Errorf("%v: %q, want %q", bad.body, msg, bad.says)
		}
	}
	c.fails("PUT", "/v1/admin/bots/nope/smtp", map[string]any{"host": "h"}, "", http.StatusNotFound)
	const password = "correct-horse-battery"
	c.must("PUT", path, map[string]any{"host": "smtp.example.com", "port": 587, "tls": "starttls", "username": "bot@example.com", "password": password}, http.StatusOK, &v)
	if v.Account == nil || v.Account.Host != "smtp.example.com" || v.Account.Port != 587 || v.Account.Password != livechat.Mask {
		t.Fatalf("saved: %+v", v.Account)
	}
	stored := func() string {
		var raw []byte
		if err := f.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
			var err error
			raw, err = tx.Setting(context.Background(), "smtp:livechat-demo")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	first := stored()
	if strings.Contains(first, password) || !strings.Contains(first, `"password":"sb1:`) {
		t.Fatalf("stored %s", first)
	}
	// Sent back as shown: the password stays.
	c.must("PUT", path, map[string]any{"host": "smtp.example.com", "port": 2525, "tls": "starttls", "username": "bot@example.com", "password": livechat.Mask}, http.StatusOK, &v)
	if s := stored(); !strings.Contains(s, `"password":"sb1:`) || !strings.Contains(s, `"port":2525`) {
		t.Fatalf("after a masked save: %s", s)
	}
	c.must("DELETE", path, nil, http.StatusOK, &v)
	if v.Account != nil {
		t.Fatalf("after delete: %+v", v.Account)
	}
	if strings.Contains(f.logs.String(), password) {
		t.Error("the password is in the logs")
	}
}

// TestBotSMTPAccountInABrowser: the bot's page sets its SMTP account; the
// password is not in the page afterwards, and the account can be removed.
func TestBotSMTPAccountInABrowser(t *testing.T) {
	f := newFixture(t)
	browser := browsertest.Browser(t)
	admin := adminTab(t, f, browser)
	browsertest.Navigate(t, admin, f.base+"/admin/#/bots/livechat-demo")
	waitJS(t, admin, "the e-mail settings", present("#smtp-host"))
	typeIn(t, admin, "#smtp-host", "smtp.example.com")
	typeIn(t, admin, "#smtp-username", "bot@example.com")
	typeIn(t, admin, "#smtp-password", "correct-horse-battery")
	click(t, admin, "#smtp-save")
	waitJS(t, admin, "the account saved", textHas("#smtp-status", "Saved"))
	if html := browsertest.Eval[string](t, admin, "document.documentElement.outerHTML"); strings.Contains(html, "correct-horse-battery") {
		t.Error("the password shows after saving")
	}
	// Saved again without typing the password: it stays.
	click(t, admin, "#smtp-save")
	waitJS(t, admin, "the account saved again", textHas("#smtp-status", "Saved"))
	var v smtpView
	f.script().must("GET", "/v1/admin/bots/livechat-demo/smtp", nil, http.StatusOK, &v)
	if v.Account == nil || v.Account.Host != "smtp.example.com" || v.Account.TLS != "tls" || v.Account.Password != livechat.Mask {
		t.Fatalf("saved: %+v", v.Account)
	}
	click(t, admin, "#smtp-remove")
	waitJS(t, admin, "the account removed", textHas("#smtp-status", "Removed"))
}
