package smtphost

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"switchboard/csml"
	"switchboard/internal/mailcatcher"
	"switchboard/internal/netpolicy"
)

var loopback = netpolicy.MustParseRules("127.0.0.1")

// testCert is a self-signed certificate for 127.0.0.1 (httptest's) and the
// client configuration that trusts it.
func testCert(t *testing.T) (server, client *tls.Config) {
	srv := httptest.NewTLSServer(nil)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return &tls.Config{Certificates: srv.TLS.Certificates}, &tls.Config{RootCAs: pool}
}

func startCatcher(t *testing.T, cfg mailcatcher.Config) (*mailcatcher.Catcher, int) {
	c, err := mailcatcher.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_, port, _ := net.SplitHostPort(c.Addr)
	p, _ := strconv.Atoi(port)
	return c, p
}

// runBot runs one step of CSML against host and returns its messages.
func runBot(t *testing.T, code string, host csml.Host) string {
	t.Helper()
	bot, diags := csml.Compile(csml.Source{ID: "b", DefaultFlow: "f", Flows: []csml.FlowSource{{Name: "f", Content: code}}})
	if bot == nil {
		t.Fatal(diags)
	}
	res := bot.Run(context.Background(), csml.Context{}, csml.Event{}, host)
	var out []string
	for _, m := range res.Messages {
		out = append(out, string(m.Content))
	}
	return strings.Join(out, "\n")
}

// TestReferenceExample runs the reference's documented example
// (CSML-by-Clevy docs-language, "SMTP Client": .auth(), .tls(true),
// .port()) against a real SMTP server, over TLS with a self-signed
// certificate the test trusts.
func TestReferenceExample(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	catcher, port := startCatcher(t, mailcatcher.Config{TLS: serverTLS, Implicit: true, Username: "john", Password: "s3cret"})
	code := `start:
  do email = {
    "from": "John <john.doe@gmail.com>",
    "to": "Jane <jane.smith@hotmail.com>",
    "html": "<h1>Hello in HTML!</h1>",
    "text": "Hi there in plain text",
    "reply_to": "Iron Man <tony.stark@gmx.de>",
    "bcc": "James <james.bond@yahoo.com>",
    "cc": "toto@truc.com",
    "subject": "Happy new year",
  }
  do sent = SMTP("127.0.0.1")
    .auth("john", "s3cret")
    .tls(true)
    .port(` + strconv.Itoa(port) + `)
    .send(email)
  say sent
`
	got := runBot(t, code, csml.Host{SMTP: New(Config{Allow: loopback, TLS: clientTLS}).Send})
	if got != `{"text":"true"}` {
		t.Fatalf("messages %s", got)
	}
	msgs := catcher.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails caught", len(msgs))
	}
	m := msgs[0]
	if !m.TLS || m.User != "john" || m.From != "john.doe@gmail.com" {
		t.Errorf("tls %v, user %q, from %q", m.TLS, m.User, m.From)
	}
	if strings.Join(m.To, ",") != "jane.smith@hotmail.com,toto@truc.com,james.bond@yahoo.com" {
		t.Errorf("envelope recipients %v", m.To)
	}
	for k, want := range map[string]string{"Subject": "Happy new year", "Reply-To": `"Iron Man" <tony.stark@gmx.de>`, "Cc": "<toto@truc.com>", "Bcc": ""} {
		if got := m.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if strings.TrimSpace(m.Text) != "Hi there in plain text" || strings.TrimSpace(m.HTML) != "<h1>Hello in HTML!</h1>" {
		t.Errorf("text %q, html %q", m.Text, m.HTML)
	}
}

// TestTLSModes sends over TLS from the first byte, STARTTLS and plain
// text, the bot's .tls()/.starttls() choosing.
func TestTLSModes(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	for _, tc := range []struct {
		name    string
		cfg     mailcatcher.Config
		builder string
		tls     bool
	}{
		{"implicit", mailcatcher.Config{TLS: serverTLS, Implicit: true}, "", true},
		{"starttls", mailcatcher.Config{TLS: serverTLS}, ".tls(false).starttls(true)", true},
		{"plain", mailcatcher.Config{}, ".tls(false)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			catcher, port := startCatcher(t, tc.cfg)
			code := "start:\n  say SMTP(\"127.0.0.1\").auth(\"u\", \"p\").port(" + strconv.Itoa(port) + ")" + tc.builder +
				".send({\"from\": \"bot@example.com\", \"to\": \"ada@example.com\", \"subject\": \"Hi\", \"text\": \"hello\"})\n"
			if got := runBot(t, code, csml.Host{SMTP: New(Config{Allow: loopback, TLS: clientTLS}).Send}); got != `{"text":"true"}` {
				t.Fatalf("messages %s", got)
			}
			msgs := catcher.Messages()
			if len(msgs) != 1 || msgs[0].TLS != tc.tls || msgs[0].Header.Get("Subject") != "Hi" {
				t.Fatalf("caught %+v", msgs)
			}
		})
	}
}

// TestStartTLSIsMandatory: a bot that asks for STARTTLS does not send its
// password to a server that does not offer it.
func TestStartTLSIsMandatory(t *testing.T) {
	catcher, port := startCatcher(t, mailcatcher.Config{})
	code := "start:\n  say SMTP(\"127.0.0.1\").auth(\"u\", \"p\").port(" + strconv.Itoa(port) + ").tls(false).starttls(true)" +
		".send({\"from\": \"bot@example.com\", \"to\": \"ada@example.com\", \"text\": \"hello\"})\n"
	got := runBot(t, code, csml.Host{SMTP: New(Config{Allow: loopback}).Send})
	if !strings.Contains(got, "Could not send email: the server does not offer STARTTLS") || len(catcher.Messages()) != 0 {
		t.Fatalf("messages %s, caught %d", got, len(catcher.Messages()))
	}
}

// TestAddressPolicy: SMTP servers on non-public addresses are refused
// unless allowed, as the bots' HTTP calls are, and users see the reason,
// not the address.
func TestAddressPolicy(t *testing.T) {
	catcher, port := startCatcher(t, mailcatcher.Config{})
	var logs []string
	host := csml.Host{SMTP: New(Config{}).Send, Log: func(level, msg string) { logs = append(logs, level+" "+msg) }}
	code := "start:\n  say SMTP(\"localhost\").auth(\"u\", \"p\").port(" + strconv.Itoa(port) + ").tls(false)" +
		".send({\"from\": \"bot@example.com\", \"to\": \"ada@example.com\", \"text\": \"hello\"})\n"
	got := runBot(t, code, host)
	if !strings.Contains(got, "Could not send email: address not allowed") || strings.Contains(got, "127.0.0.1") {
		t.Errorf("messages %s", got)
	}
	if len(catcher.Messages()) != 0 {
		t.Error("an e-mail got through")
	}
	if len(logs) != 1 || !strings.HasPrefix(logs[0], "warn SMTP localhost:") {
		t.Errorf("logs %q", logs)
	}
}

// TestAccounts: a bot without .auth() sends through the account
// configured for the server it names (the bot's own first, else the
// server-wide one), with that account's port, TLS mode and credentials;
// for any other server it fails as the reference does.
func TestAccounts(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	catcher, port := startCatcher(t, mailcatcher.Config{TLS: serverTLS, Username: "relay", Password: "pw"})
	server := &Account{Host: "127.0.0.1", Port: port, TLS: TLSStart, Username: "relay", Password: "pw"}
	h := New(Config{Allow: loopback, TLS: clientTLS, Account: server})
	msg := csml.SMTPMessage{Server: "127.0.0.1", Port: 465, TLS: true, From: "bot@example.com", To: "ada@example.com", Text: "hi"}
	if err := h.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	wrong := &Account{Host: "127.0.0.1", Port: port, TLS: TLSStart, Username: "relay", Password: "bad"}
	err := h.SendAs(context.Background(), wrong, msg)
	var he *csml.HTTPError
	if !errors.As(err, &he) || he.Reason != "authentication failed" {
		t.Errorf("bot's own wrong account: %v", err)
	}
	other := msg
	other.Server = "smtp.example.com"
	if err := h.Send(context.Background(), other); !errors.Is(err, csml.ErrSMTPNoCredentials) {
		t.Errorf("other server: %v", err)
	}
	msgs := catcher.Messages()
	if len(msgs) != 1 || msgs[0].User != "relay" || !msgs[0].TLS {
		t.Fatalf("caught %+v", msgs)
	}
	code := "start:\n  say SMTP(\"smtp.example.com\").send({\"from\": \"bot@example.com\", \"to\": \"ada@example.com\", \"text\": \"x\"})\n"
	if got := runBot(t, code, csml.Host{SMTP: h.Send}); !strings.Contains(got, "username is missing or invalid type") {
		t.Errorf("no account: %s", got)
	}
}

func TestAccountValidate(t *testing.T) {
	for _, tc := range []struct {
		a    Account
		want string
	}{
		{Account{}, "host is empty"},
		{Account{Host: "h", Port: 70000}, "not a TCP port"},
		{Account{Host: "h", TLS: "ssl"}, `tls "ssl" is unknown`},
		{Account{Host: "h", Username: "u"}, "give both username and password"},
	} {
		if err := tc.a.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.a, err, tc.want)
		}
	}
	if err := (Account{Host: "smtp.example.com", Port: 587, TLS: TLSStart, Username: "u", Password: "p"}).Validate(); err != nil {
		t.Error(err)
	}
}
