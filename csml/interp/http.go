package interp

import (
	"context"
	"errors"
)

// HTTPRequest is an HTTP call a bot makes (HTTP(url)...send()): the host
// performs it. Body is JSON, nil for none.
type HTTPRequest struct {
	Method             string
	URL                string
	Header             map[string]string
	Body               []byte
	InsecureSkipVerify bool
}

// HTTPResponse is what the host got back.
type HTTPResponse struct {
	Status int
	Header map[string]string
	Body   []byte
}

// HTTPFunc performs an HTTP call for a run.
type HTTPFunc func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)

// ErrNoHTTP is the error of a call made when the host gives no HTTP access.
var ErrNoHTTP = errors.New("HTTP calls are not available")

// HTTPError is a failed HTTP call as a bot's users may read it: Reason says
// what went wrong without naming anything internal (the addresses a name
// resolved to, the resolver); Err is the whole story, for the logs.
type HTTPError struct {
	Reason string
	Err    error
}

func (e *HTTPError) Error() string { return e.Err.Error() }
func (e *HTTPError) Unwrap() error { return e.Err }

// InfoError is a library error that also carries additional info (an HTTP
// failure's status, headers and body): the null it leaves reports it through
// get_info().
type InfoError struct {
	Msg  string
	Info *ObjectData
}

func (e *InfoError) Error() string { return e.Msg }

// HTTP performs req through the host.
func (c *Call) HTTP(req HTTPRequest) (HTTPResponse, error) {
	if c.r.in.HTTP == nil {
		return HTTPResponse{}, ErrNoHTTP
	}
	ctx, cancel := c.r.hostContext()
	defer cancel()
	return c.r.in.HTTP(ctx, req)
}

// SMTPMessage is an e-mail a bot sends (SMTP(server)...send(email)): the
// host sends it.
type SMTPMessage struct {
	Server   string
	Port     int
	TLS      bool
	StartTLS bool
	Username string
	Password string
	// Mechanisms are the allowed authentication mechanisms ("PLAIN",
	// "AUTH LOGIN", "XOAUTH2"); empty allows PLAIN and LOGIN.
	Mechanisms []string
	From       string
	To         string
	ReplyTo    string
	Cc         string
	Bcc        string
	Subject    string
	Text       string
	HTML       string
}

// SMTPFunc sends an e-mail for a run.
type SMTPFunc func(ctx context.Context, msg SMTPMessage) error

// ErrNoSMTP is the error of an e-mail sent when the host gives no SMTP
// access.
var ErrNoSMTP = errors.New("SMTP is not available on this server")

// SMTP sends msg through the host.
func (c *Call) SMTP(msg SMTPMessage) error {
	if c.r.in.SMTP == nil {
		return ErrNoSMTP
	}
	ctx, cancel := c.r.hostContext()
	defer cancel()
	return c.r.in.SMTP(ctx, msg)
}
