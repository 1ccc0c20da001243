package stdlib

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"switchboard/csml/interp"
)

// SMTP(server) is an object {"smtp_server", "port": 465, "tls": true} of
// content type "smtp"; auth, port, tls, starttls and set_auth_mechanism
// complete it, send(email) hands the e-mail to the host.

const (
	smtpContentType = "smtp"
	errSMTP         = "SMTP builtin expects SMTP Server Address. Example: SMTP(\"smtp.gmail.com\")"
	errSMTPUser     = "username is missing or invalid type"
	errSMTPPass     = "password is missing or invalid type"
	errSMTPMechs    = "Available mechanisms: PLAIN, AUTH LOGIN, XOAUTH2. set_auth_mechanism(String || Array<String>) => smtp object"
)

func smtpBuiltin(c *interp.Call) (interp.Value, error) {
	server, ok := c.Args.Get("smtp_server", 0)
	if !ok || server.Kind() != interp.String {
		return nullValue(), c.Errorf(errSMTP)
	}
	o := interp.NewObject(3)
	o.Set("smtp_server", server)
	o.Set("port", interp.IntValue(465))
	o.Set("tls", boolean(true))
	return interp.ObjectValue(o).WithContentType(smtpContentType), nil
}

// smtpSet returns a copy of the SMTP object with the given keys set.
func smtpSet(c *interp.Call, kv ...any) interp.Value {
	o := c.Recv.Obj().Clone()
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1].(interp.Value))
	}
	return interp.ObjectValue(o).WithContentType(smtpContentType)
}

// smtpArg reads argument i of kind k, else the usage error.
func smtpArg(c *interp.Call, i int, k interp.Kind, usage string) (interp.Value, error) {
	v, ok := c.Args.At(i)
	if !ok || v.Kind() != k {
		return interp.Value{}, c.Errorf("usage: " + usage)
	}
	return v, nil
}

// mechanism normalizes an authentication mechanism name.
func mechanism(v interp.Value) (string, bool) {
	if v.Kind() != interp.String {
		return "", false
	}
	switch strings.ToLower(v.Str()) {
	case "plain":
		return "PLAIN", true
	case "auth login":
		return "AUTH LOGIN", true
	case "xoauth2":
		return "XOAUTH2", true
	}
	return "", false
}

var smtpMethods = map[string]interp.Method{
	"auth": read(func(c *interp.Call) (interp.Value, error) {
		const usage = "credentials(username, password) => smtp object"
		user, err := smtpArg(c, 0, interp.String, usage)
		if err != nil {
			return nullValue(), err
		}
		pass, err := smtpArg(c, 1, interp.String, usage)
		if err != nil {
			return nullValue(), err
		}
		return smtpSet(c, "username", user, "password", pass), nil
	}),
	"port": read(func(c *interp.Call) (interp.Value, error) {
		port, err := smtpArg(c, 0, interp.Int, "port(port) => smtp object")
		if err != nil {
			return nullValue(), err
		}
		return smtpSet(c, "port", port), nil
	}),
	"tls": read(func(c *interp.Call) (interp.Value, error) {
		on, err := smtpArg(c, 0, interp.Bool, "tls(BOOLEAN) => smtp object")
		if err != nil {
			return nullValue(), err
		}
		return smtpSet(c, "tls", on), nil
	}),
	"starttls": read(func(c *interp.Call) (interp.Value, error) {
		on, err := smtpArg(c, 0, interp.Bool, "starttls(BOOLEAN) => smtp object")
		if err != nil {
			return nullValue(), err
		}
		return smtpSet(c, "starttls", on), nil
	}),
	"set_auth_mechanism": read(func(c *interp.Call) (interp.Value, error) {
		arg, _ := c.Args.At(0)
		mechs := interp.NewObject(3)
		switch arg.Kind() {
		case interp.String:
			m, ok := mechanism(arg)
			if !ok {
				return nullValue(), c.Errorf(errSMTPMechs)
			}
			mechs.Set(m, nullValue())
		case interp.Array:
			for _, it := range arg.Items() {
				if m, ok := mechanism(it); ok {
					mechs.Set(m, nullValue())
				}
			}
			if mechs.Len() == 0 {
				return nullValue(), c.Errorf("usage: " + errSMTPMechs)
			}
		default:
			return nullValue(), c.Errorf("usage: " + errSMTPMechs)
		}
		return smtpSet(c, "auth_mechanisms", interp.ObjectValue(mechs)), nil
	}),
	"send": read(smtpSend),
}

// smtpSend checks the e-mail as the reference does and has the host send
// it; it gives true.
func smtpSend(c *interp.Call) (interp.Value, error) {
	email, err := smtpArg(c, 0, interp.Object, "send(email) => smtp object")
	if err != nil {
		return nullValue(), err
	}
	msg := interp.SMTPMessage{}
	fields := []struct {
		key     string
		dst     *string
		address bool
	}{
		{"from", &msg.From, true}, {"to", &msg.To, true}, {"reply_to", &msg.ReplyTo, true},
		{"bcc", &msg.Bcc, true}, {"cc", &msg.Cc, true}, {"subject", &msg.Subject, false},
		{"text", &msg.Text, false}, {"html", &msg.HTML, false},
	}
	for _, f := range fields {
		v, ok := email.Obj().Get(f.key)
		if !ok {
			continue
		}
		if v.Kind() != interp.String {
			extra := ""
			if f.address {
				extra = "and a valid email"
			}
			return nullValue(), c.Errorf("email [" + f.key + "] value need to be of type String " + extra)
		}
		if f.address {
			if _, err := mail.ParseAddress(v.Str()); err != nil {
				return nullValue(), c.Errorf("Invalid email format: " + err.Error())
			}
		}
		*f.dst = v.Str()
	}
	if msg.Text == "" && msg.HTML == "" {
		return nullValue(), c.Errorf("email text/html parameter is mandatory")
	}
	if msg.From == "" || msg.To == "" {
		return nullValue(), c.Errorf("missing mandatory email parameter [from] or [to]")
	}
	o := c.Recv.Obj()
	get := func(k string, kind interp.Kind) (interp.Value, bool) {
		v, ok := o.Get(k)
		return v, ok && v.Kind() == kind
	}
	// Without .auth() the host may hold an account for the server; the
	// reference's error comes only when it does not.
	user, hasUser := o.Get("username")
	pass, hasPass := o.Get("password")
	if hasUser && user.Kind() != interp.String {
		return nullValue(), c.Errorf(errSMTPUser)
	}
	if hasPass && pass.Kind() != interp.String || hasUser && !hasPass {
		return nullValue(), c.Errorf(errSMTPPass)
	}
	if hasPass && !hasUser {
		return nullValue(), c.Errorf(errSMTPUser)
	}
	server, ok := get("smtp_server", interp.String)
	if !ok {
		return nullValue(), c.Errorf("SMTP server address is missing or invalid type")
	}
	msg.Server, msg.Port, msg.TLS = server.Str(), 465, true
	if hasUser {
		msg.Username, msg.Password = user.Str(), pass.Str()
	}
	if p, ok := get("port", interp.Int); ok {
		msg.Port = int(uint16(p.Int()))
	}
	if t, ok := get("tls", interp.Bool); ok {
		msg.TLS = t.Bool()
	}
	if t, ok := get("starttls", interp.Bool); ok {
		msg.StartTLS = t.Bool()
	}
	if m, ok := get("auth_mechanisms", interp.Object); ok {
		msg.Mechanisms = m.Obj().Keys()
	}
	if err := c.SMTP(msg); err != nil {
		if !errors.Is(err, interp.ErrSMTPNoCredentials) {
			c.Log("warn", fmt.Sprintf("SMTP %s:%d failed: %v", msg.Server, msg.Port, err))
		}
		return nullValue(), c.Errorf(smtpFailure(err))
	}
	return boolean(true), nil
}

// smtpFailure is the error message users see for an e-mail the host did
// not send: the reference's for missing credentials, else the host's
// reason (interp.HTTPError), never the addresses its error names.
func smtpFailure(err error) string {
	var he *interp.HTTPError
	switch {
	case errors.Is(err, interp.ErrSMTPNoCredentials):
		return errSMTPUser
	case errors.As(err, &he):
		return "Could not send email: " + he.Reason
	}
	return "Could not send email: " + err.Error()
}
