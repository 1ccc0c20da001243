// Package mailcatcher is an SMTP server that keeps the e-mails it is given
// instead of delivering them, and shows them on a small web page: the
// `switchboard dev mail` tool, for trying a bot's SMTP(...).send() offline,
// and the real SMTP server of the e-mail tests. The SMTP dialogue is
// github.com/emersion/go-smtp's; it offers STARTTLS (or TLS from the first
// byte) when given a certificate, and AUTH PLAIN when given credentials.
package mailcatcher

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"switchboard"
)

// Config sets up a catcher; its zero value listens on a free loopback port,
// without TLS or authentication.
type Config struct {
	// Addr is the SMTP listen address (default 127.0.0.1:0).
	Addr string
	// TLS, when set, is the server certificate: STARTTLS is offered, or
	// TLS from the first byte with Implicit.
	TLS      *tls.Config
	Implicit bool
	// Username and Password, when set, are the only credentials AUTH PLAIN
	// accepts, and sending needs them.
	Username, Password string
	// Keep is how many e-mails are kept, the oldest dropped first
	// (default 100).
	Keep int
	// Clock stamps Message.Received (default the real clock).
	Clock switchboard.Clock
}

// MaxMessageBytes bounds one e-mail.
const MaxMessageBytes = 4 << 20

// Message is a caught e-mail.
type Message struct {
	Received time.Time
	From     string   // the envelope sender (MAIL FROM)
	To       []string // the envelope recipients (RCPT TO), Bcc included
	User     string   // who authenticated, "" for nobody
	TLS      bool     // whether the connection was encrypted
	Header   mail.Header
	Text     string
	HTML     string
	Raw      []byte
}

// Catcher is a running catcher.
type Catcher struct {
	// Addr is the SMTP server's address (127.0.0.1:port).
	Addr string
	cfg  Config
	srv  *smtp.Server
	mu   sync.Mutex
	msgs []Message
}

// Start listens and serves SMTP until Close.
func Start(cfg Config) (*Catcher, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Keep <= 0 {
		cfg.Keep = 100
	}
	if cfg.Clock == nil {
		cfg.Clock = switchboard.SystemClock{}
	}
	if cfg.Implicit && cfg.TLS == nil {
		return nil, errors.New("mailcatcher: TLS from the first byte needs a certificate")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mailcatcher: %w", err)
	}
	c := &Catcher{Addr: ln.Addr().String(), cfg: cfg}
	c.srv = smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) {
		_, secure := conn.TLSConnectionState()
		return &session{c: c, tls: secure || cfg.Implicit}, nil
	}))
	c.srv.Domain = "localhost"
	c.srv.MaxMessageBytes = MaxMessageBytes
	c.srv.MaxRecipients = 50
	c.srv.ReadTimeout, c.srv.WriteTimeout = time.Minute, time.Minute
	c.srv.AllowInsecureAuth = true // loopback only: the dev tool and tests
	c.srv.ErrorLog = discard{}
	if cfg.TLS != nil && !cfg.Implicit {
		c.srv.TLSConfig = cfg.TLS
	}
	if cfg.Implicit {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	go c.srv.Serve(ln)
	return c, nil
}

// Close stops the server.
func (c *Catcher) Close() error { return c.srv.Close() }

// Messages returns the caught e-mails, oldest first.
func (c *Catcher) Messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.msgs...)
}

func (c *Catcher) add(m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
	if len(c.msgs) > c.cfg.Keep {
		c.msgs = c.msgs[len(c.msgs)-c.cfg.Keep:]
	}
}

// discard drops go-smtp's connection errors (clients that hang up).
type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// session is one SMTP connection's transaction.
type session struct {
	c    *Catcher
	tls  bool
	user string
	from string
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if s.c.cfg.Username != "" && (username != s.c.cfg.Username || password != s.c.cfg.Password) {
			return errors.New("invalid username or password")
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.c.cfg.Username != "" && s.user == "" {
		return errAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{Received: s.c.cfg.Clock.Now(), From: s.from, To: s.to, User: s.user, TLS: s.tls, Raw: raw}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = parsed.Header
		m.Text, m.HTML = bodies(parsed.Header.Get("Content-Type"), parsed.Header.Get("Content-Transfer-Encoding"), parsed.Body)
	}
	s.c.add(m)
	s.to = nil
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// bodies reads the text and HTML parts of a body, through multiparts.
func bodies(contentType, encoding string, body io.Reader) (text, html string) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = "text/plain"
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return text, html
			}
			t, h := bodies(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			text, html = text+t, html+h
		}
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	data, _ := io.ReadAll(io.LimitReader(body, MaxMessageBytes))
	switch media {
	case "text/html":
		return "", string(data)
	case "text/plain":
		return string(data), ""
	}
	return "", ""
}

// Handler is the web page of the caught e-mails, newest first.
func (c *Catcher) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The e-mails' HTML is shown as text, never rendered: a bot's
		// e-mail must not run scripts on this page.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		msgs := c.Messages()
		if err := page.Execute(w, struct {
			Addr     string
			Messages []Message
		}{c.Addr, reverse(msgs)}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

func reverse(m []Message) []Message {
	for i, j := 0, len(m)-1; i < j; i, j = i+1, j-1 {
		m[i], m[j] = m[j], m[i]
	}
	return m
}
