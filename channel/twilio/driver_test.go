package twilio_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/twilio"
	"switchboard/channel/twilio/twiliosim"
)

// TestSignatureMatchesTwilios checks the signature against the vector of
// Twilio's own validator tests, and VerifyURL against the URL with and
// without the default port, a JSON body's bodySHA256, and forgeries.
func TestSignatureMatchesTwilios(t *testing.T) {
	u := "https://mycompany.com/myapp.php?foo=1&bar=2"
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"}, "From": {"+14158675309"}, "To": {"+18005551212"}}
	if got := twilio.Signature("12345", u, params); got != "RSOYDt4T1cUTdK1PDd93/VVr8B8=" {
		t.Fatalf("signature %s", got)
	}
	conn := open(t, "12345", "https://api.twilio.com")
	body := []byte(params.Encode())
	verify := conn.(channel.URLVerifier).VerifyURL
	sig := func(s string) http.Header { return http.Header{"X-Twilio-Signature": {s}} }
	if err := verify(u, sig("RSOYDt4T1cUTdK1PDd93/VVr8B8="), body); err != nil {
		t.Errorf("Twilio's vector refused: %v", err)
	}
	withPort := twilio.Signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", params)
	if err := verify(u, sig(withPort), body); err != nil {
		t.Errorf("signed with the default port: %v", err)
	}
	jsonBody := []byte(`{"MessageSid":"SM1"}`)
	ju := "https://example.com/hook?bodySHA256=" + "a8f1a1c3e1c5a3c6f1d8d3f5f2a1a9e0f0a4c3c2b1f6e0d9c8b7a6f5e4d3c2b1"
	if err := verify(ju, sig(twilio.Signature("12345", ju, nil)), jsonBody); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
		t.Errorf("a JSON body that is not the bodySHA256 signed: %v", err)
	}
	for name, h := range map[string]http.Header{
		"none":        {},
		"other token": sig(twilio.Signature("54321", u, params)),
		"other URL":   sig(twilio.Signature("12345", "https://evil.example/myapp.php?foo=1&bar=2", params)),
		"body edited": sig(twilio.Signature("12345", u, url.Values{"Digits": {"9999"}})),
	} {
		if err := verify(u, h, body); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
			t.Errorf("%s: %v, want EUNAUTHORIZED", name, err)
		}
	}
	if ct, answer := conn.(channel.Answerer).WebhookAnswer(); ct != "text/xml; charset=utf-8" || !strings.HasSuffix(string(answer), "<Response/>") {
		t.Errorf("the webhook answer: %s %s", ct, answer)
	}
}

func open(t *testing.T, token, base string) channel.Conn {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"account_sid": twiliosim.DefaultAccountSID, "auth_token": token, "from": twiliosim.DefaultNumber, "api_base": base})
	stored, err := twilio.Driver{}.Setup(raw, channeltest.PlainSealer{}, "channel:t")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := twilio.Driver{}.Open(stored, channeltest.PlainSealer{}, "channel:t")
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestSegments counts segments as carriers bill them.
func TestSegments(t *testing.T) {
	for _, c := range []struct {
		text string
		enc  string
		segs int
	}{
		{strings.Repeat("a", 160), "GSM-7", 1},
		{strings.Repeat("a", 161), "GSM-7", 2},
		{strings.Repeat("a", 306), "GSM-7", 2},
		{strings.Repeat("a", 307), "GSM-7", 3},
		{strings.Repeat("€", 80), "GSM-7", 1}, // extension characters cost two
		{strings.Repeat("€", 81), "GSM-7", 2},
		{"héllo", "GSM-7", 1},
		{strings.Repeat("ê", 70), "UCS-2", 1},
		{strings.Repeat("ê", 71), "UCS-2", 2},
		{strings.Repeat("ê", 134), "UCS-2", 2},
		{strings.Repeat("😀", 35), "UCS-2", 1}, // two UTF-16 units each
		{strings.Repeat("😀", 36), "UCS-2", 2},
	} {
		if enc, n := twilio.Segments(c.text); enc != c.enc || n != c.segs {
			t.Errorf("%.20q… (%d chars): %s %d, want %s %d", c.text, len([]rune(c.text)), enc, n, c.enc, c.segs)
		}
	}
}

// TestSettingsRefused: bad settings are refused naming the field; what
// the administration shows has no Auth Token.
func TestSettingsRefused(t *testing.T) {
	good := map[string]string{"account_sid": twiliosim.DefaultAccountSID, "auth_token": "tok", "from": "+15005550006"}
	for field, c := range map[string]struct{ value, says string }{
		"account_sid": {"SK123", "twilio.account_sid"},
		"auth_token":  {"", "twilio.auth_token is missing"},
		"from":        {"5005550006", "twilio.from"},
		"api_base":    {"ftp://x", "twilio.api_base"},
		"unknown":     {"x", "unknown field"},
	} {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		m[field] = c.value
		raw, _ := json.Marshal(m)
		_, err := twilio.Driver{}.Setup(raw, channeltest.PlainSealer{}, "channel:t")
		if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s=%q: %v, want %q", field, c.value, err, c.says)
		}
	}
	raw, _ := json.Marshal(good)
	stored, err := twilio.Driver{}.Setup(raw, channeltest.PlainSealer{}, "channel:t")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := twilio.Driver{}.Public(stored)
	if pub["api_base"] != twilio.DefaultAPIBase || pub["auth_token"] != nil || pub["from"] != "+15005550006" {
		t.Errorf("public settings %v", pub)
	}
}

// TestParse: a status callback's failure keeps Twilio's error code; STOP
// reaches the bot as the customer's text, marked as unsubscribing (START
// as subscribing again); fields Twilio adds are ignored.
func TestParse(t *testing.T) {
	conn := open(t, "tok", "https://api.twilio.com")
	items, err := conn.Parse([]byte(url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}, "To": {"+15551230001"}, "AccountSid": {twiliosim.DefaultAccountSID}}.Encode()))
	if err != nil || len(items) != 1 || items[0].Kind != channel.ItemStatus || items[0].Status != switchboard.SentFailed || items[0].UserID != "15551230001" || !strings.Contains(items[0].Error, "30003") {
		t.Errorf("undelivered: %+v %v", items, err)
	}
	items, _ = conn.Parse([]byte(url.Values{"MessageSid": {"SM2"}, "MessageStatus": {"queued"}, "To": {"+15551230001"}}.Encode()))
	if len(items) != 0 {
		t.Errorf("queued says nothing new: %+v", items)
	}
	items, err = conn.Parse([]byte(url.Values{"MessageSid": {"SM3"}, "From": {"+15551230001"}, "Body": {"STOP"}, "OptOutType": {"STOP"}, "SomethingNew": {"1"}}.Encode()))
	if err != nil || len(items) != 1 || items[0].ID != "SM3" || items[0].Payload.ContentType != "text" || items[0].Consent != channel.ConsentStop {
		t.Errorf("STOP: %+v %v", items, err)
	}
	for text, want := range map[string]string{" unsubscribe ": channel.ConsentStop, "Yes": channel.ConsentStart, "unstop": channel.ConsentStart, "stop please": "", "HELP": ""} {
		items, _ := conn.Parse([]byte(url.Values{"MessageSid": {"SM5"}, "From": {"+15551230001"}, "Body": {text}}.Encode()))
		if len(items) != 1 || items[0].Consent != want {
			t.Errorf("%q: consent %+v, want %q", text, items, want)
		}
	}
	if _, err := conn.Parse([]byte("Body=hi")); err == nil {
		t.Error("a form without MessageSid parsed")
	}
	if _, err := conn.Parse([]byte(url.Values{"MessageSid": {"SM4"}, "AccountSid": {"AC" + strings.Repeat("9", 32)}}.Encode())); err == nil {
		t.Error("another account's form parsed")
	}
}

// TestSendErrors: Twilio's refusals come back classified, and after STOP
// nothing reaches the customer until START.
func TestSendErrors(t *testing.T) {
	sim := twiliosim.New(twiliosim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	conn := open(t, twiliosim.DefaultAuthToken, sim.URL())
	text := func(s string) channel.Native {
		return channel.Native{Kind: "sms", Body: twilio.Message{Body: s}}
	}
	ctx := t.Context()
	if _, err := conn.Send(ctx, "not-a-number", text("hi")); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "21211") {
		t.Errorf("invalid To: %v", err)
	}
	if _, err := conn.Send(ctx, "15551230001", text(strings.Repeat("x", 1601))); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "21617") {
		t.Errorf("too long: %v", err)
	}
	sim.Throttle(0)
	_, err := conn.Send(ctx, "15551230001", text("hi"))
	var ra interface{ RetryAfter() time.Duration }
	if !errors.As(err, &ra) || channel.IsPermanent(err) || !strings.Contains(err.Error(), "20429") {
		t.Errorf("throttled: %v", err)
	}
	sim.Throttle(-1)
	sim.SetWebhook("http://127.0.0.1:1/unused")
	if _, err := sim.CustomerText(ctx, "+15551230001", "stop"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Send(ctx, "15551230001", text("hi")); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "texted STOP") {
		t.Errorf("after STOP: %v", err)
	}
	if _, err := sim.CustomerText(ctx, "+15551230001", "START"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Send(ctx, "15551230001", text("welcome back")); err != nil {
		t.Errorf("after START: %v", err)
	}
	msgs := sim.Conversation("+15551230001")
	var replies []string
	for _, m := range msgs {
		if m.Direction == "outbound-reply" {
			replies = append(replies, m.Body)
		}
	}
	if len(replies) != 2 || !strings.Contains(replies[0], "unsubscribed") || !strings.Contains(replies[1], "re-subscribed") {
		t.Errorf("Twilio's keyword answers: %q", replies)
	}
}

// TestRender: buttons are numbered text, a long text is cut within 1600
// characters with its segments counted, an agent's name leads their text.
func TestRender(t *testing.T) {
	conn := open(t, "tok", "https://api.twilio.com")
	render := func(ct string, content any, sender switchboard.Sender) []channel.Native {
		raw, _ := json.Marshal(content)
		m := switchboard.Message{ID: 7, Direction: switchboard.DirectionSend, Sender: sender, Payload: switchboard.Payload{ContentType: ct, Content: raw}}
		out, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	q := render("question", map[string]any{"title": "Talk to a human?", "buttons": []map[string]string{{"title": "Yes", "payload": "Y"}, {"title": "No", "payload": "N"}}}, switchboard.Sender{})
	if len(q) != 1 || q[0].Body.(twilio.Message).Body != "Talk to a human?\n1. Yes\n2. No" {
		t.Errorf("question: %+v", q)
	}
	long := render("text", map[string]string{"text": strings.Repeat("word ", 400)}, switchboard.Sender{})
	if len(long) != 2 || len([]rune(long[0].Body.(twilio.Message).Body)) > 1600 || long[0].Body.(twilio.Message).Segments != 11 {
		t.Errorf("a 2000-character text: %d parts, first %+v", len(long), long[0].Body.(twilio.Message).Segments)
	}
	agent := render("text", map[string]string{"text": "Hello"}, switchboard.Sender{Kind: switchboard.SenderAgent, Name: "Ana"})
	if agent[0].Body.(twilio.Message).Body != "Ana: Hello" {
		t.Errorf("agent text: %+v", agent)
	}
	if typing := render("typing", map[string]any{"duration": 1000}, switchboard.Sender{}); len(typing) != 0 {
		t.Errorf("typing: %+v", typing)
	}
}
