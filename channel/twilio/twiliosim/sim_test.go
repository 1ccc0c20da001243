package twiliosim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/channel/twilio"
	"switchboard/channel/twilio/twiliosim"
)

func start(t *testing.T) *twiliosim.Sim {
	t.Helper()
	sim := twiliosim.New(twiliosim.Config{StatusDelay: 10 * time.Millisecond})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

// send calls the REST API with form and Basic auth user:pass.
func send(t *testing.T, sim *twiliosim.Sim, user, pass string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, sim.URL()+"/2010-04-01/Accounts/"+twiliosim.DefaultAccountSID+"/Messages.json", strings.NewReader(form.Encode()))
	req.SetBasicAuth(user, pass)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestOutage: while the REST API is down a send is answered 503 (20503)
// and nothing is sent; then sends work again.
func TestOutage(t *testing.T) {
	sim := start(t)
	form := url.Values{"To": {"+16315551181"}, "From": {twiliosim.DefaultNumber}, "Body": {"hello"}}
	// Turned on as the console does.
	res, err := http.PostForm(sim.URL()+"/sim/outage", url.Values{"on": {"true"}})
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /sim/outage: %v %v", res, err)
	}
	res.Body.Close()
	if status, e := send(t, sim, twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken, form); status != http.StatusServiceUnavailable || e["code"] != float64(20503) {
		t.Errorf("during the outage: %d %v, want 503 code 20503", status, e)
	}
	if got := sim.Conversation("+16315551181"); len(got) != 0 {
		t.Errorf("sent during the outage: %v", got)
	}
	sim.SetOutage(false)
	if status, m := send(t, sim, twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken, form); status != http.StatusCreated {
		t.Errorf("after the outage: %d %v", status, m)
	}
}

// TestRESTChecksAsTwilio: the Messages API answers Twilio's error JSON
// for refused credentials and fields, and 201 with the segments counted.
func TestRESTChecksAsTwilio(t *testing.T) {
	sim := start(t)
	ok := func(change map[string]string) url.Values {
		f := url.Values{"To": {"+16315551181"}, "From": {twiliosim.DefaultNumber}, "Body": {"hello"}}
		for k, v := range change {
			if v == "" {
				f.Del(k)
			} else {
				f.Set(k, v)
			}
		}
		return f
	}
	for _, c := range []struct {
		name   string
		pass   string
		form   url.Values
		status int
		code   float64
		info   string
	}{
		{"wrong token", "wrong", ok(nil), 401, 20003, "/errors/20003"},
		{"invalid To", twiliosim.DefaultAuthToken, ok(map[string]string{"To": "12345"}), 400, 21211, "/errors/21211"},
		{"no body", twiliosim.DefaultAuthToken, ok(map[string]string{"Body": ""}), 400, 21602, "/errors/21602"},
		{"other From", twiliosim.DefaultAuthToken, ok(map[string]string{"From": "+15550000000"}), 400, 21606, "/errors/21606"},
		{"too long", twiliosim.DefaultAuthToken, ok(map[string]string{"Body": strings.Repeat("a", 1601)}), 400, 21617, "/errors/21617"},
	} {
		status, out := send(t, sim, twiliosim.DefaultAccountSID, c.pass, c.form)
		info, _ := out["more_info"].(string)
		if status != c.status || out["code"] != c.code || out["status"] != float64(c.status) || !strings.HasSuffix(info, c.info) {
			t.Errorf("%s: %d %v", c.name, status, out)
		}
	}
	status, out := send(t, sim, twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken, ok(map[string]string{"Body": strings.Repeat("é", 10) + strings.Repeat("ж", 61)}))
	if status != 201 || out["status"] != "queued" || out["num_segments"] != "2" || !strings.HasPrefix(out["sid"].(string), "SM") {
		t.Errorf("a 71-character UCS-2 text: %d %v", status, out)
	}
}

// receiver is a webhook endpoint that checks Twilio's signature with the
// driver's function and keeps the forms.
type receiver struct {
	mu    sync.Mutex
	forms []url.Values
	bad   int
	reply string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	u := "http://" + r.Host + r.URL.RequestURI()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if r.Header.Get("X-Twilio-Signature") != twilio.Signature(twiliosim.DefaultAuthToken, u, form) {
		rc.bad++
		w.WriteHeader(http.StatusForbidden)
		return
	}
	rc.forms = append(rc.forms, form)
	w.Header().Set("Content-Type", "text/xml")
	_, _ = io.WriteString(w, rc.reply)
}

func (rc *receiver) find(match func(url.Values) bool) url.Values {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, f := range rc.forms {
		if match(f) {
			return f
		}
	}
	return nil
}

// TestWebhooksSignedAndStatuses: a customer's text and the statuses of a
// send reach the webhook signed; an unreachable number ends undelivered
// with 30003; a TwiML <Message> in the answer is sent to the customer.
func TestWebhooksSignedAndStatuses(t *testing.T) {
	sim := start(t)
	rc := &receiver{reply: `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>`}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	sim.SetWebhook(srv.URL + "/hook?x=1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msid, err := sim.CustomerText(ctx, "+16315551181", "Hi there")
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	f := rc.find(func(f url.Values) bool { return f.Get("MessageSid") == msid })
	if f == nil || f.Get("Body") != "Hi there" || f.Get("From") != "+16315551181" || f.Get("To") != twiliosim.DefaultNumber || f.Get("SmsStatus") != "received" || f.Get("NumSegments") != "1" {
		t.Fatalf("the text came as %v (refused %d)", f, rc.bad)
	}
	conv := sim.Conversation("+16315551181")
	if last := conv[len(conv)-1]; last.Direction != "outbound-reply" || last.Body != "Thanks!" {
		t.Errorf("the TwiML reply: %+v", conv)
	}

	sim.SetUnreachable("+16315551182", true)
	for _, to := range []string{"+16315551181", "+16315551182"} {
		status, out := send(t, sim, twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken, url.Values{"To": {to}, "From": {twiliosim.DefaultNumber}, "Body": {"hello"}, "StatusCallback": {srv.URL + "/status"}})
		if status != 201 {
			t.Fatalf("send: %d %v", status, out)
		}
		want := map[string]string{"+16315551181": "delivered", "+16315551182": "undelivered"}[to]
		if err := sim.WaitStatus(ctx, out["sid"].(string), want); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	if f := rc.find(func(f url.Values) bool { return f.Get("MessageStatus") == "undelivered" }); f == nil || f.Get("ErrorCode") != "30003" || f.Get("To") != "+16315551182" {
		t.Errorf("undelivered status: %v", f)
	}
	if f := rc.find(func(f url.Values) bool { return f.Get("MessageStatus") == "delivered" }); f == nil {
		t.Error("no delivered status")
	}
	if rc.bad != 0 {
		t.Errorf("%d webhooks were not signed right", rc.bad)
	}
}

// TestConnectionOverrides: a text whose webhook answers 502 is given up
// (Twilio retries only a failed connection), unless the URL's fragment
// asks for retries on 5xx (#rc=2&rp=5xx); the fragment is neither sent
// nor signed.
func TestConnectionOverrides(t *testing.T) {
	for _, c := range []struct {
		fragment string
		want     int // texts received
	}{{"", 0}, {"#rc=2&rp=ct,5xx", 1}, {"#rc=1&rp=5xx", 0}} {
		sim := start(t)
		rc := &receiver{}
		var calls atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) <= 2 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			rc.ServeHTTP(w, r)
		}))
		sim.SetWebhook(srv.URL + "/hook" + c.fragment)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if _, err := sim.CustomerText(ctx, "+16315551181", "Hi there"); err != nil {
			t.Fatal(err)
		}
		if err := sim.WaitDeliveries(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		srv.Close()
		if got := len(rc.forms); got != c.want || rc.bad != 0 {
			t.Errorf("%q: %d texts received (%d calls, %d badly signed), want %d", c.fragment, got, calls.Load(), rc.bad, c.want)
		}
	}
}

// TestKeywordsAndMedia: STOP unsubscribes (21610) until START, HELP is
// answered, and an MMS's media is served with Basic auth only.
func TestKeywordsAndMedia(t *testing.T) {
	sim := start(t)
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	sim.SetWebhook(srv.URL + "/hook")
	ctx := context.Background()
	text := url.Values{"To": {"+16315551181"}, "From": {twiliosim.DefaultNumber}, "Body": {"hello"}}
	for _, c := range []struct {
		in     string
		status int
	}{{"Stop", 400}, {"HELP", 400}, {"start", 201}} {
		if _, err := sim.CustomerText(ctx, "+16315551181", c.in); err != nil {
			t.Fatal(err)
		}
		if status, out := send(t, sim, twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken, text); status != c.status || (status == 400 && out["code"] != float64(21610)) {
			t.Errorf("a send after %s: %d %v", c.in, status, out)
		}
	}
	_ = sim.WaitDeliveries(ctx)
	if f := rc.find(func(f url.Values) bool { return f.Get("Body") == "Stop" }); f == nil || f.Get("OptOutType") != "STOP" {
		t.Errorf("STOP's webhook: %v", f)
	}
	msid, err := sim.CustomerMedia(ctx, "+16315551181", "image/png", []byte("PNGDATA"), "look")
	if err != nil {
		t.Fatal(err)
	}
	_ = sim.WaitDeliveries(ctx)
	f := rc.find(func(f url.Values) bool { return f.Get("MessageSid") == msid })
	if f == nil || f.Get("NumMedia") != "1" || !strings.HasPrefix(msid, "MM") || f.Get("MediaContentType0") != "image/png" {
		t.Fatalf("the MMS came as %v", f)
	}
	for _, auth := range []bool{false, true} {
		req, _ := http.NewRequest(http.MethodGet, f.Get("MediaUrl0"), nil)
		if auth {
			req.SetBasicAuth(twiliosim.DefaultAccountSID, twiliosim.DefaultAuthToken)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if auth && (resp.StatusCode != 200 || string(body) != "PNGDATA") || !auth && resp.StatusCode != 401 {
			t.Errorf("media with auth %v: %d %s", auth, resp.StatusCode, body)
		}
	}
}

// TestConsoleTextsAsACustomer: the console's calls set the webhook and
// text, refusing what is not a URL or a number.
func TestConsoleTextsAsACustomer(t *testing.T) {
	sim := start(t)
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	post := func(path string, form url.Values) int {
		resp, err := http.PostForm(sim.URL()+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post("/sim/webhook", url.Values{"url": {"javascript:alert(1)"}}); s != 400 {
		t.Errorf("a bad webhook URL: %d", s)
	}
	if s := post("/sim/webhook", url.Values{"url": {srv.URL + "/hook"}}); s != 204 {
		t.Errorf("the webhook URL: %d", s)
	}
	if s := post("/sim/text", url.Values{"from": {"nobody"}, "body": {"hi"}}); s != 400 {
		t.Errorf("a text from no number: %d", s)
	}
	if s := post("/sim/text", url.Values{"from": {"+16315551181"}, "body": {"hi"}}); s != 200 {
		t.Errorf("a text: %d", s)
	}
	_ = sim.WaitDeliveries(context.Background())
	if rc.find(func(f url.Values) bool { return f.Get("Body") == "hi" }) == nil {
		t.Error("the console's text did not reach the webhook")
	}
	resp, err := http.Get(sim.URL() + "/sim/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Webhook  string              `json:"webhook"`
		Messages []twiliosim.Message `json:"messages"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&st)
	if st.Webhook != srv.URL+"/hook" || len(st.Messages) != 1 || st.Messages[0].Segments != 1 {
		t.Errorf("state: %+v", st)
	}
}
