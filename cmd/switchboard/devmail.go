package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"switchboard/internal/mailcatcher"
)

// A mail catcher, to try a bot's SMTP(...).send() with no mail account: it
// keeps the e-mails and shows them on a web page.
func init() {
	devCommands["mail"] = command{"an SMTP server that keeps e-mails and shows them on a web page (--addr, --web)", runDevMail}
}

// runDevMail serves the catcher until Ctrl+C and prints how a bot and the
// server reach it.
func runDevMail(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev mail", std)
	addr := fs.String("addr", "127.0.0.1:1025", "SMTP listen `address`")
	web := fs.String("web", "127.0.0.1:8025", "web page listen `address`")
	user := fs.String("username", "", "the only `username` accepted (AUTH PLAIN); empty accepts any")
	pass := fs.String("password", "", "its `password`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	catcher, err := mailcatcher.Start(mailcatcher.Config{Addr: *addr, Username: *user, Password: *pass})
	if err != nil {
		return err
	}
	defer catcher.Close()
	ln, err := net.Listen("tcp", *web)
	if err != nil {
		return fmt.Errorf("web page: %w", err)
	}
	srv := &http.Server{Handler: catcher.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	host, port, _ := net.SplitHostPort(catcher.Addr)
	out := std.out
	fmt.Fprintf(out, "Mail catcher: SMTP on %s, e-mails on http://%s/\n\n", catcher.Addr, ln.Addr())
	fmt.Fprintf(out, "Let the bots reach it (a loopback address is refused by default):\n\n  switchboard serve --smtp-allow %s ...\n\n", catcher.Addr)
	fmt.Fprintf(out, "and send from a flow without encryption:\n\n  do SMTP(%q).port(%s).tls(false).auth(\"any\", \"any\").send({\"from\": \"bot@example.com\", \"to\": \"you@example.com\", \"subject\": \"Hi\", \"text\": \"Hello\"})\n\n", host, port)
	fmt.Fprintf(out, "or serve with --smtp-host %s --smtp-port %s --smtp-tls none and leave out .port(), .tls() and .auth().\n", host, port)
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	if err := srv.Shutdown(context.Background()); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
