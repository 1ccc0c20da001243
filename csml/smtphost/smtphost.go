// Package smtphost is the production e-mail hook of CSML runs
// (csml.Host.SMTP): the bots' SMTP(server)...send(email) calls go through
// it. The message is built and sent by github.com/wneessen/go-mail. Every
// connection obeys internal/netpolicy's dial-time address policy, the one
// of the bots' HTTP calls: only public addresses, unless Config.Allow names
// a range (the dev mail catcher on 127.0.0.1, a relay on the LAN).
//
// A bot's own SMTP(...) arguments are used as the reference uses them. A
// bot that gives no credentials (no .auth()) sends through the configured
// account (the bot's own, else the server's) when it names that account's
// host: the account's port, TLS mode and credentials then apply, so a
// password never has to be written in a flow and is never sent to another
// host.
package smtphost

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"switchboard/csml"
	"switchboard/csml/httphost"
	"switchboard/internal/netpolicy"
)

// TLS modes of an Account.
const (
	TLSImplicit = "tls"      // SMTPS: TLS from the first byte (port 465)
	TLSStart    = "starttls" // plain connection upgraded by STARTTLS (port 587)
	TLSNone     = "none"     // no encryption (a catcher or relay on loopback)
)

// Account is a configured SMTP server and its credentials.
type Account struct {
	Host     string `json:"host"`
	Port     int    `json:"port,omitempty"`
	TLS      string `json:"tls,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
}

// Validate checks an account and names the field at fault.
func (a Account) Validate() error {
	if strings.TrimSpace(a.Host) == "" {
		return errors.New("host is empty: give the SMTP server's name (smtp.example.com)")
	}
	if a.Port < 0 || a.Port > 65535 {
		return fmt.Errorf("port %d is not a TCP port", a.Port)
	}
	switch a.TLS {
	case "", TLSImplicit, TLSStart, TLSNone:
	default:
		return fmt.Errorf("tls %q is unknown: use tls (port 465), starttls (port 587) or none", a.TLS)
	}
	if (a.Username == "") != (a.Password == "") {
		return errors.New("give both username and password, or neither")
	}
	return nil
}

// Config sets what bots may reach; its zero value is the safe default.
type Config struct {
	// Timeout bounds one e-mail, from dialling to the end (default 20s).
	Timeout time.Duration
	// Allow lists the non-public addresses bots may reach anyway.
	Allow []netpolicy.Rule
	// Account is the server-wide account of the bots that give no
	// credentials; nil means none.
	Account *Account
	// TLS, when set, is the base TLS configuration (tests trust their
	// self-signed certificate with it); ServerName is set per e-mail.
	TLS *tls.Config
}

// DefaultTimeout bounds an e-mail when Config.Timeout is 0.
const DefaultTimeout = 20 * time.Second

// Host sends e-mails for CSML runs.
type Host struct{ cfg Config }

// New returns a host with cfg's limits.
func New(cfg Config) *Host {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Host{cfg: cfg}
}

// ErrNoAccount is the error of an e-mail without credentials to a server
// no account is configured for.
var ErrNoAccount = csml.ErrSMTPNoCredentials

// Send sends a bot's e-mail through the server's account. Its signature is
// csml.Host.SMTP's.
func (h *Host) Send(ctx context.Context, msg csml.SMTPMessage) error {
	return h.SendAs(ctx, nil, msg)
}

// SendAs sends a bot's e-mail; account, when not nil, is the bot's own
// account, which comes before the server's.
func (h *Host) SendAs(ctx context.Context, account *Account, msg csml.SMTPMessage) error {
	if msg.Username == "" && msg.Password == "" {
		a := account
		if a == nil || !strings.EqualFold(a.Host, msg.Server) {
			a = h.cfg.Account
		}
		if a == nil || !strings.EqualFold(a.Host, msg.Server) {
			return ErrNoAccount
		}
		msg = withAccount(msg, *a)
	}
	m, err := build(msg)
	if err != nil {
		return err
	}
	client, err := h.client(msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, m); err != nil {
		return &csml.HTTPError{Reason: reason(err), Err: fmt.Errorf("smtp %s:%d: %w", msg.Server, msg.Port, err)}
	}
	return nil
}

// withAccount replaces the connection settings of msg by account's.
func withAccount(msg csml.SMTPMessage, a Account) csml.SMTPMessage {
	msg.Server, msg.Username, msg.Password = a.Host, a.Username, a.Password
	msg.TLS, msg.StartTLS = a.TLS == "" || a.TLS == TLSImplicit, a.TLS == TLSStart
	msg.Port = a.Port
	if msg.Port == 0 {
		msg.Port = map[bool]int{true: 465, false: 587}[msg.TLS]
		if a.TLS == TLSNone {
			msg.Port = 25
		}
	}
	msg.Mechanisms = nil
	return msg
}

// build makes the message: one address or a comma-separated list per
// field, as the reference's fields are strings.
func build(msg csml.SMTPMessage) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(msg.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	for _, f := range []struct {
		name string
		list string
		set  func(...string) error
	}{{"to", msg.To, m.To}, {"cc", msg.Cc, m.Cc}, {"bcc", msg.Bcc, m.Bcc}} {
		if msg.To == "" && f.name == "to" || f.list == "" {
			continue
		}
		if err := f.set(splitList(f.list)...); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if msg.ReplyTo != "" {
		if err := m.ReplyTo(msg.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply_to: %w", err)
		}
	}
	m.Subject(msg.Subject)
	switch {
	case msg.Text != "" && msg.HTML != "":
		m.SetBodyString(mail.TypeTextPlain, msg.Text)
		m.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	case msg.HTML != "":
		m.SetBodyString(mail.TypeTextHTML, msg.HTML)
	default:
		m.SetBodyString(mail.TypeTextPlain, msg.Text)
	}
	return m, nil
}

func splitList(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// client makes the go-mail client of msg's server: implicit TLS when
// msg.TLS, else mandatory STARTTLS when msg.StartTLS, else none.
func (h *Host) client(msg csml.SMTPMessage) (*mail.Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if h.cfg.TLS != nil {
		tlsConf = h.cfg.TLS.Clone()
	}
	tlsConf.ServerName = msg.Server
	dialer := &net.Dialer{Timeout: h.cfg.Timeout, Control: netpolicy.Policy{Allow: h.cfg.Allow}.Control}
	dial := dialer.DialContext
	if msg.TLS {
		dial = (&tls.Dialer{NetDialer: dialer, Config: tlsConf}).DialContext
	}
	opts := []mail.Option{
		mail.WithPort(msg.Port), mail.WithTimeout(h.cfg.Timeout), mail.WithTLSConfig(tlsConf),
		mail.WithDialContextFunc(dial), mail.WithoutNoop(),
	}
	switch {
	case msg.TLS:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS)) // already encrypted
	case msg.StartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if msg.Username != "" || msg.Password != "" {
		opts = append(opts, mail.WithSMTPAuth(authType(msg)), mail.WithUsername(msg.Username), mail.WithPassword(msg.Password))
	}
	return mail.NewClient(msg.Server, opts...)
}

// authType picks the mechanism: the bot's first choice, else PLAIN. On an
// unencrypted connection (the bot's tls(false) without starttls) the
// "no encryption" variants are needed, as go-mail otherwise refuses to
// send credentials in the clear.
func authType(msg csml.SMTPMessage) mail.SMTPAuthType {
	clear := !msg.TLS && !msg.StartTLS
	mech := "PLAIN"
	if len(msg.Mechanisms) > 0 {
		mech = msg.Mechanisms[0]
	}
	switch mech {
	case "AUTH LOGIN":
		if clear {
			return mail.SMTPAuthLoginNoEnc
		}
		return mail.SMTPAuthLogin
	case "XOAUTH2":
		return mail.SMTPAuthXOAUTH2
	}
	if clear {
		return mail.SMTPAuthPlainNoEnc
	}
	return mail.SMTPAuthPlain
}

// reason says in a few words why an e-mail was not sent, naming no
// address: httphost's reasons for the connection, else the SMTP dialogue's.
func reason(err error) string {
	if r := httphost.Reason(err); r != "no answer" {
		return r
	}
	switch msg := strings.ToLower(err.Error()); {
	case strings.Contains(msg, "starttls"):
		return "the server does not offer STARTTLS"
	case strings.Contains(msg, "auth"):
		return "authentication failed"
	}
	return "the server did not accept the e-mail"
}
