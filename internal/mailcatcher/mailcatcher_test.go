package mailcatcher

import (
	"net/http/httptest"
	"net/smtp"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/internal/testclock"
)

// TestKeepsTheLatest: the catcher keeps the last Keep e-mails, stamped by
// its clock, decodes quoted-printable multipart bodies, and lists them
// newest first on its page.
func TestKeepsTheLatest(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c, err := Start(Config{Keep: 2, Clock: testclock.New(at)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 1; i <= 3; i++ {
		body := "Subject: n" + strconv.Itoa(i) + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n" +
			"--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n"
		if err := smtp.SendMail(c.Addr, nil, "bot@example.com", []string{"ada@example.com"}, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	msgs := c.Messages()
	if len(msgs) != 2 || msgs[0].Header.Get("Subject") != "n2" || msgs[1].Header.Get("Subject") != "n3" {
		t.Fatalf("kept %d: %+v", len(msgs), msgs)
	}
	if m := msgs[1]; !m.Received.Equal(at) || strings.TrimSpace(m.Text) != "café" || strings.TrimSpace(m.HTML) != "<p>x</p>" || m.TLS || m.User != "" {
		t.Errorf("message %+v", m)
	}
	w := httptest.NewRecorder()
	c.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	page := w.Body.String()
	if strings.Index(page, "n3") > strings.Index(page, "n2") || !strings.Contains(page, "2026-03-04 05:06:07") || !strings.Contains(page, "&lt;p&gt;x&lt;/p&gt;") {
		t.Errorf("page:\n%s", page)
	}
}

// TestCredentials: with credentials set, sending needs them.
func TestCredentials(t *testing.T) {
	c, err := Start(Config{Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := []byte("Subject: x\r\n\r\nx\r\n")
	if err := smtp.SendMail(c.Addr, nil, "bot@example.com", []string{"ada@example.com"}, msg); err == nil || !strings.Contains(err.Error(), "Authentication required") {
		t.Errorf("without AUTH: %v", err)
	}
	if len(c.Messages()) != 0 {
		t.Error("an e-mail got in without credentials")
	}
}
