package teams_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/teams"
	"switchboard/channel/teams/teamssim"
	"switchboard/secrets"
)

// open makes a channel's settings for the simulator (with a client of
// its own: caches start empty) and opens them, as the layer does.
func open(t *testing.T, sim *teamssim.Sim, client *teams.Client) channel.Conn {
	t.Helper()
	ring, err := secrets.New(secrets.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(sim.Settings())
	d := teams.Driver{Client: client}
	stored, err := d.Setup(raw, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), teamssim.DefaultAppPassword) {
		t.Fatalf("the stored settings show the password: %s", stored)
	}
	conn, err := d.Open(stored, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// endpoint is a messaging endpoint over a Conn: it keeps what Verify said
// of each activity and the items of the verified ones.
type endpoint struct {
	conn  channel.Conn
	mu    sync.Mutex
	errs  []error
	items []channel.Item
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	err := e.conn.Verify(r.Header, body)
	var items []channel.Item
	if err == nil {
		items, err = e.conn.Parse(body)
	}
	e.mu.Lock()
	e.errs = append(e.errs, err)
	e.items = append(e.items, items...)
	e.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
	}
}

func (e *endpoint) last() (error, []channel.Item) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.errs[len(e.errs)-1], append([]channel.Item(nil), e.items...)
}

// listen points the simulator at an endpoint over conn.
func listen(t *testing.T, sim *teamssim.Sim, conn channel.Conn) *endpoint {
	e := &endpoint{conn: conn}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	sim.SetEndpoint(srv.URL)
	return e
}

// write is a user's text, once the endpoint answered it.
func write(t *testing.T, sim *teamssim.Sim, conv, text string) string {
	t.Helper()
	id, err := sim.UserText(conv, text)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := sim.Answer(ctx, id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSetupChecksTheSettings(t *testing.T) {
	ring, _ := secrets.New(secrets.NewKey())
	const app = `"app_id":"b0700000-0000-4000-8000-000000000001","app_password":"pw"`
	for raw, want := range map[string]string{
		`{}`: "teams.app_id is missing",
		`{"app_id":"my-bot","app_password":"pw"}`:                           "is not a Microsoft App ID",
		`{"app_id":"b0700000-0000-4000-8000-000000000001"}`:                 "teams.app_password is missing",
		`{` + app + `,"tenant_id":"contoso"}`:                               "teams.tenant_id",
		`{` + app + `,"token_url":"ftp://x"}`:                               "teams.token_url",
		`{` + app + `,"openid_metadata_url":"https://u:p@login.example/x"}`: "teams.openid_metadata_url",
		`{` + app + `,"colour":"red"}`:                                      "unknown field",
	} {
		_, err := teams.Driver{}.Setup(json.RawMessage(raw), ring, "channel:c2")
		if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("Setup(%s) = %v, want EINVALID with %q", raw, err, want)
		}
	}
	stored, err := teams.Driver{}.Setup(json.RawMessage(`{`+app+`,"tenant_id":"7e0a0000-0000-4000-8000-000000000001"}`), ring, "channel:c2")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := teams.Driver{}.Public(stored)
	if pub["token_url"] != "https://login.microsoftonline.com/7e0a0000-0000-4000-8000-000000000001/oauth2/v2.0/token" || pub["openid_metadata_url"] != teams.DefaultOpenIDMetadataURL || pub["app_password"] != nil {
		t.Fatalf("public settings of a single-tenant bot: %v", pub)
	}
	// An edit without the password keeps it.
	edited, err := teams.Driver{}.Edit(stored, json.RawMessage(`{"tenant_id":""}`), ring, "channel:c2")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := teams.Driver{}.Open(edited, ring, "channel:c2")
	if err != nil || conn == nil {
		t.Fatalf("open the edited settings: %v", err)
	}
}

func TestForgedTokensAreRefused(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	client := teams.NewClient(10 * time.Second)
	var mu sync.Mutex
	later := time.Duration(0)
	client.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return time.Now().Add(later)
	}
	conn := open(t, sim, client)
	ep := listen(t, sim, conn)
	conv := sim.AddUser("Ada", "")
	write(t, sim, conv, "hello")
	if err, items := ep.last(); err != nil || len(items) != 1 {
		t.Fatalf("a genuine activity: %v %v", err, items)
	}
	for f, code := range map[teamssim.Forgery]switchboard.Code{
		teamssim.ForgeKey: switchboard.EUNAUTHORIZED, teamssim.ForgeKid: switchboard.EUNAUTHORIZED, teamssim.ForgeAudience: switchboard.EUNAUTHORIZED,
		teamssim.ForgeIssuer: switchboard.EUNAUTHORIZED, teamssim.ForgeExpired: switchboard.EUNAUTHORIZED, teamssim.ForgeServiceURL: switchboard.EUNAUTHORIZED,
		teamssim.ForgeEndorsement: switchboard.EFORBIDDEN,
	} {
		sim.Forge(f)
		write(t, sim, conv, "forged "+string(f))
		if err, _ := ep.last(); switchboard.ErrorCode(err) != code {
			t.Errorf("%s: Verify = %v, want %s", f, err, code)
		}
	}
	// The keys were fetched once: an unknown kid within the minute does
	// not fetch them again; a minute later it does, once.
	if n := sim.KeyFetches(); n != 1 {
		t.Errorf("the keys were fetched %d times, want 1", n)
	}
	mu.Lock()
	later = 2 * time.Minute
	mu.Unlock()
	sim.Forge(teamssim.ForgeKid)
	write(t, sim, conv, "unknown kid")
	write(t, sim, conv, "unknown kid again")
	if n := sim.KeyFetches(); n != 2 {
		t.Errorf("the keys were fetched %d times, want 2", n)
	}
	sim.Forge(teamssim.ForgeNone)
	write(t, sim, conv, "genuine again")
	if err, _ := ep.last(); err != nil {
		t.Errorf("a genuine activity after the forgeries: %v", err)
	}
	if err := conn.Verify(http.Header{"Authorization": {"Bearer a.b.c"}}, []byte(`{"type":"message"}`)); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
		t.Errorf("a token that is no JWT: %v", err)
	}
}

func TestParse(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	conn := open(t, sim, teams.NewClient(10*time.Second))
	for body, want := range map[string]string{
		`{"type":"message","id":"1","conversation":{"id":"19:g@thread.v2","conversationType":"groupChat"},"from":{"id":"29:1","name":"Ada"},"recipient":{"id":"28:b"},"text":"<at>Helper</at> I need help","entities":[{"type":"mention","text":"<at>Helper</at>"}]}`:                                             `text {"text":"I need help"}`,
		`{"type":"message","id":"2","conversation":{"id":"a:1"},"from":{"id":"29:1"},"recipient":{"id":"28:b"},"value":{"payload":"HUMAN","title":"Talk to a human"},"text":"Talk to a human"}`:                                                                                                                   `payload {"payload":"HUMAN","title":"Talk to a human"}`,
		`{"type":"message","id":"3","conversation":{"id":"a:1"},"from":{"id":"29:1"},"recipient":{"id":"28:b"},"value":{"rating":"5"}}`:                                                                                                                                                                           `payload {"payload":"{\"rating\":\"5\"}"}`,
		`{"type":"message","id":"4","conversation":{"id":"a:1"},"from":{"id":"29:1"},"recipient":{"id":"28:b"},"attachments":[{"contentType":"application/vnd.microsoft.teams.file.download.info","name":"a.pdf","content":{"downloadUrl":"https://contoso.sharepoint.com/a.pdf?tempauth=x","fileType":"pdf"}}]}`: `file {"name":"a.pdf","url":"https://contoso.sharepoint.com/a.pdf?tempauth=x"}`,
	} {
		items, err := conn.Parse([]byte(body))
		if err != nil || len(items) != 1 || items[0].Payload.ContentType+" "+string(items[0].Payload.Content) != want {
			t.Errorf("parse %s: %+v %v, want %s", body, items, err, want)
		}
	}
	for _, body := range []string{
		`{"type":"conversationUpdate","id":"5","conversation":{"id":"a:1"},"membersAdded":[{"id":"28:b"}],"from":{"id":"29:1"},"recipient":{"id":"28:b"}}`,
		`{"type":"installationUpdate","action":"add","conversation":{"id":"a:1"},"from":{"id":"29:1"},"recipient":{"id":"28:b"}}`,
		`{"type":"message","id":"6","conversation":{"id":"a:1"},"from":{"id":"28:b"},"recipient":{"id":"28:b"},"text":"my own"}`,
	} {
		if items, err := conn.Parse([]byte(body)); err != nil || len(items) != 0 {
			t.Errorf("parse %s: %v %v, want nothing", body, items, err)
		}
	}
	if _, err := conn.Parse([]byte(`{"hello":1}`)); err == nil {
		t.Error("a body that is no activity parsed")
	}
}

// sendText renders and sends a text as the layer does, for a client of
// metadata.
func sendText(t *testing.T, conn channel.Conn, conv string, meta json.RawMessage, text string) (string, error) {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"text": text})
	m := switchboard.Message{Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: "text", Content: raw}}
	natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Metadata: meta})
	if err != nil || len(natives) != 1 {
		t.Fatalf("render: %v %v", natives, err)
	}
	return conn.Send(context.Background(), conv, natives[0])
}

func TestSendErrorsAreClassified(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	conn := open(t, sim, teams.NewClient(10*time.Second))
	ep := listen(t, sim, conn)
	conv := sim.AddUser("Ada", "")
	write(t, sim, conv, "hello")
	_, items := ep.last()
	meta := items[0].Metadata
	if id, err := sendText(t, conn, conv, meta, "hi"); err != nil || id == "" {
		t.Fatalf("a send: %q %v", id, err)
	}
	// The token expired on the simulator's side: one more try with a new
	// one.
	sim.ExpireTokens()
	if _, err := sendText(t, conn, conv, meta, "after a revoked token"); err != nil {
		t.Fatalf("a send after the token was refused: %v", err)
	}
	sim.Throttle(1, 3)
	_, err := sendText(t, conn, conv, meta, "throttled")
	var ra interface{ RetryAfter() time.Duration }
	if !errors.As(err, &ra) || ra.RetryAfter() != 3*time.Second {
		t.Fatalf("a 429 with Retry-After 3: %v", err)
	}
	sim.SetOutage(true)
	if _, err := sendText(t, conn, conv, meta, "outage"); err == nil || channel.IsPermanent(err) {
		t.Fatalf("an outage must be retried: %v", err)
	}
	sim.SetOutage(false)
	if _, err := sendText(t, conn, "a:unknown", meta, "nobody"); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "ConversationNotFound") {
		t.Fatalf("an unknown conversation: %v", err)
	}
	sim.RemoveBot(conv)
	if _, err := sendText(t, conn, conv, meta, "removed"); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "BotNotInConversationRoster") {
		t.Fatalf("a user who removed the bot: %v", err)
	}
	// A serviceUrl that is neither https nor the simulator's never gets the
	// token; none at all is a user who never wrote.
	for _, m := range []string{`{"service_url":"http://169.254.169.254/latest/"}`, `{}`} {
		if _, err := sendText(t, conn, conv, json.RawMessage(m), "where?"); !channel.IsPermanent(err) {
			t.Errorf("metadata %s: %v, want a permanent error", m, err)
		}
	}
}

func TestRenderButtonsAsAHeroCard(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	conn := open(t, sim, teams.NewClient(10*time.Second))
	content, _ := json.Marshal(map[string]any{"title": "Pick", "buttons": []map[string]string{{"title": "Yes", "payload": "YES"}, {"title": "No", "payload": "NO"}}})
	m := switchboard.Message{ID: 7, Payload: switchboard.Payload{ContentType: "question", Content: content}}
	natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Metadata: json.RawMessage(`{"service_url":"https://smba.trafficmanager.net/amer/"}`)})
	if err != nil || len(natives) != 1 {
		t.Fatalf("render: %v %v", natives, err)
	}
	raw, _ := json.Marshal(natives[0])
	want := `{"kind":"message","body":{"service_url":"https://smba.trafficmanager.net/amer/","activity":{"attachments":[{"content":{"buttons":[{"displayText":"Yes","text":"Yes","title":"Yes","type":"messageBack","value":{"payload":"YES","title":"Yes"}},{"displayText":"No","text":"No","title":"No","type":"messageBack","value":{"payload":"NO","title":"No"}}],"text":"Pick"},"contentType":"application/vnd.microsoft.card.hero"}],"type":"message"}}}`
	if string(raw) != want {
		t.Fatalf("hero card:\n%s\nwant\n%s", raw, want)
	}
}

// TestKeysUnreachable: while the OpenID metadata cannot be read, an
// activity is refused as unavailable (503), not as forged.
func TestKeysUnreachable(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	settings := sim.Settings()
	down := httptest.NewServer(http.NotFoundHandler())
	settings["openid_metadata_url"] = down.URL + "/v1/.well-known/openidconfiguration"
	down.Close()
	raw, _ := json.Marshal(settings)
	stored, err := teams.Driver{}.Setup(raw, channeltest.PlainSealer{}, "channel:c3")
	if err != nil {
		t.Fatal(err)
	}
	conn, _ := teams.Driver{Client: teams.NewClient(5 * time.Second)}.Open(stored, channeltest.PlainSealer{}, "channel:c3")
	ep := listen(t, sim, conn)
	write(t, sim, sim.AddUser("Ada", ""), "hello")
	if err, _ := ep.last(); switchboard.ErrorCode(err) != switchboard.EUNAVAILABLE {
		t.Fatalf("with the keys unreachable: %v, want EUNAVAILABLE", err)
	}
}

// TestImageAndTypingReachTeams: an image is an attachment Teams shows, a
// typing indicator an activity without an id.
func TestImageAndTypingReachTeams(t *testing.T) {
	sim := startSim(t, teamssim.Config{})
	conn := open(t, sim, teams.NewClient(10*time.Second))
	ep := listen(t, sim, conn)
	conv := sim.AddUser("Ada", "")
	write(t, sim, conv, "hello")
	_, items := ep.last()
	for _, p := range []switchboard.Payload{
		{ContentType: "image", Content: json.RawMessage(`{"url":"https://example.com/cat.jpg","title":"A cat"}`)},
		{ContentType: "typing", Content: json.RawMessage(`{"duration":500}`)},
	} {
		m := switchboard.Message{Direction: switchboard.DirectionSend, Payload: p}
		natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Metadata: items[0].Metadata})
		if err != nil || len(natives) != 1 {
			t.Fatalf("render %s: %v %v", p.ContentType, natives, err)
		}
		id, err := conn.Send(context.Background(), conv, natives[0])
		if err != nil || (id == "") != (p.ContentType == "typing") {
			t.Fatalf("send %s: %q %v", p.ContentType, id, err)
		}
	}
	c, _ := sim.Conversation(conv)
	last := c.Messages[len(c.Messages)-1]
	if !last.FromBot || len(last.Images) != 1 || last.Images[0] != "https://example.com/cat.jpg" || last.Text != "A cat" || c.TypingAt.IsZero() {
		t.Fatalf("the conversation ends with %+v (typing at %v)", last, c.TypingAt)
	}
}
