package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"switchboard/csml"
	"switchboard/csml/smtphost"
	"switchboard/internal/netpolicy"
	"switchboard/internal/syncbuf"
)

// TestDevMail starts `switchboard dev mail`, sends a bot's e-mail to it
// through the server's SMTP setting the tool prints (host, port, no
// encryption), and finds the e-mail on its web page, its HTML shown as
// text.
func TestDevMail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"dev", "mail", "--addr", "127.0.0.1:0", "--web", "127.0.0.1:0"}, stdio{out: &out, err: io.Discard})
	}()
	page := waitOutput(t, &out, regexp.MustCompile(`e-mails on (\S+)`))
	flags := regexp.MustCompile(`--smtp-host (\S+) --smtp-port (\d+) --smtp-tls none`).FindStringSubmatch(out.String())
	if flags == nil {
		t.Fatalf("no server settings printed:\n%s", out.String())
	}
	port, _ := strconv.Atoi(flags[2])
	host := smtphost.New(smtphost.Config{
		Allow:   netpolicy.MustParseRules(flags[1] + ":" + flags[2]),
		Account: &smtphost.Account{Host: flags[1], Port: port, TLS: smtphost.TLSNone},
	})
	bot, diags := csml.Compile(csml.Source{ID: "b", DefaultFlow: "f", Flows: []csml.FlowSource{{Name: "f", Content: `start:
  say SMTP("` + flags[1] + `").send({"from": "bot@example.com", "to": "ada@example.com", "subject": "Your order", "html": "<script>alert(1)</script><b>shipped</b>"})
`}}})
	if bot == nil {
		t.Fatal(diags)
	}
	res := bot.Run(ctx, csml.Context{}, csml.Event{}, csml.Host{SMTP: host.Send})
	if len(res.Messages) != 1 || string(res.Messages[0].Content) != `{"text":"true"}` {
		t.Fatalf("messages %v", res.Messages)
	}
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Your order", "bot@example.com", "ada@example.com", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;shipped&lt;/b&gt;"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), "<script>") {
		t.Error("the e-mail's HTML is rendered")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
}
