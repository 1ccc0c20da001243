// Package channeltest is the conformance suite of messaging channel
// drivers: one harness, run by each channel's package against that
// channel's simulator over real HTTP, that checks what package channel
// relies on. The handshake takes the verify token and only it; a
// delivery's authenticity is checked on its raw bytes; a user's text, a
// pressed button and a file parse into the events the bot gets, with the
// platform's ids; rendered buttons come back as the ids they were sent
// with, and numbered text is what the layer's fallback promises; receipts
// name the ids Send returned; a throttled send carries its delay, refused
// credentials are permanent; a send after the conversation window is
// reported as window closed.
//
// A driver's test builds a Channel from its simulator and calls Run.
package channeltest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
)

// Simulator is a channel's simulator as the suite drives it.
type Simulator interface {
	// Subscribe points the simulator's webhooks at url, with the
	// platform's handshake when it has one.
	Subscribe(ctx context.Context, url string) error
	// Text, Press and Media are a user writing, pressing a button or row
	// (by the id it was sent with), and sending a file.
	Text(ctx context.Context, user, text string) error
	Press(ctx context.Context, user, id string) error
	Media(ctx context.Context, user, mimeType string, data []byte) error
	// Outbound waits until n messages were sent to user and returns them.
	Outbound(ctx context.Context, user string, n int) ([]Sent, error)
	// Throttle makes sends beyond the first hit the platform's rate
	// limit.
	Throttle(on bool)
	// CloseWindow makes the platform consider user's window closed.
	CloseWindow(user string)
}

// Sent is a message the simulator received from the driver.
type Sent struct {
	ID string
	// Kind is text, buttons, list, template or a media type.
	Kind string
	Text string
	// Choices are the ids of its buttons or rows.
	Choices []string
}

// Channel is a driver with its simulator.
type Channel struct {
	Driver channel.Driver
	// Settings are settings that reach the simulator; Tweak returns them
	// with a field changed (the verify token or the access token, to be
	// refused).
	Settings json.RawMessage
	Tweak    func(field, value string) json.RawMessage
	// TokenField and SecretField name the fields of the handshake's token
	// and of the credentials the platform's API checks.
	TokenField, CredentialField string
	Sim                         Simulator
	// NoReceipts: the platform reports nothing of the messages sent
	// (Telegram).
	NoReceipts bool
	// NoHandshake: the platform has no webhook handshake (Twilio).
	NoHandshake bool
	// Numbered: the platform shows no buttons, only the layer's numbered
	// text (SMS); Press is not called.
	Numbered bool
}

// Run checks the driver. Each case talks to users of its own.
func Run(t *testing.T, c Channel) {
	h := &harness{c: c, top: t}
	t.Run("HandshakeTakesTheTokenOnly", h.handshake)
	t.Run("TextAndMetadataParse", h.text)
	t.Run("ForgedDeliveriesFailVerify", h.forged)
	t.Run("ButtonsComeBackAsSent", h.buttons)
	t.Run("NumberedTextBeyondTheList", h.numbered)
	t.Run("ReceiptsNameTheSentID", h.receipts)
	t.Run("MediaDownloads", h.media)
	t.Run("ThrottleCarriesADelay", h.throttle)
	t.Run("RefusedCredentialsArePermanent", h.refused)
	t.Run("ClosedWindowIsReported", h.window)
}

type harness struct {
	c Channel
	// conn and rc are the channel and the receiver the simulator posts to,
	// made once: a simulator keeps retrying deliveries to a receiver that
	// went away.
	conn channel.Conn
	rc   *receiver
	top  *testing.T
}

// PlainSealer keeps secrets as they are: the suite and the drivers' tests
// test the drivers, not the keyring.
type PlainSealer struct{}

// Seal returns the secret as it is.
func (PlainSealer) Seal(p []byte, _ string) string { return string(p) }

// Open returns the secret as it is.
func (PlainSealer) Open(s, _ string) ([]byte, error) { return []byte(s), nil }

// Open sets up and opens a channel of d with settings, its secrets kept as
// they are (PlainSealer): what a driver's own tests start from.
func Open(t *testing.T, d channel.Driver, settings json.RawMessage) channel.Conn {
	t.Helper()
	stored, err := d.Setup(settings, PlainSealer{}, "channel:conformance")
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	conn, err := d.Open(stored, PlainSealer{}, "channel:conformance")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return conn
}

// connOf sets up and opens the channel with settings.
func (h *harness) connOf(t *testing.T, settings json.RawMessage) channel.Conn {
	t.Helper()
	return Open(t, h.c.Driver, settings)
}

// receiver is a webhook endpoint over the driver's Conn: it answers the
// handshake, verifies and parses deliveries, and keeps the items.
type receiver struct {
	t     *testing.T
	conn  channel.Conn
	mu    sync.Mutex
	items []channel.Item
	// refused counts deliveries whose Verify failed.
	refused int
	changed chan struct{}
}

func (h *harness) receiver(t *testing.T, conn channel.Conn) (*receiver, string) {
	rc := &receiver{t: t, conn: conn, changed: make(chan struct{}, 1)}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL + "/webhook"
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		answer, err := rc.conn.Handshake(r.URL.Query())
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, answer)
		return
	}
	body, _ := io.ReadAll(r.Body)
	verify := rc.conn.Verify
	if uv, ok := rc.conn.(channel.URLVerifier); ok {
		verify = func(h http.Header, b []byte) error { return uv.VerifyURL("http://"+r.Host+r.URL.RequestURI(), h, b) }
	}
	if err := verify(r.Header, body); err != nil {
		rc.mu.Lock()
		rc.refused++
		rc.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	items, err := rc.conn.Parse(body)
	rc.mu.Lock()
	if err != nil {
		rc.t.Errorf("Parse of the simulator's delivery: %v", err)
	}
	rc.items = append(rc.items, items...)
	rc.mu.Unlock()
	select {
	case rc.changed <- struct{}{}:
	default:
	}
}

// wait returns the first item for user that matches, waiting up to 10 s.
func (rc *receiver) wait(user string, match func(channel.Item) bool) channel.Item {
	rc.mu.Lock()
	t := rc.t
	rc.mu.Unlock()
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		rc.mu.Lock()
		for _, it := range rc.items {
			if it.UserID == user && match(it) {
				rc.mu.Unlock()
				return it
			}
		}
		rc.mu.Unlock()
		select {
		case <-rc.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no matching item for %s came", user)
		}
	}
}

// metadata is the metadata of the user's last item ("" when none came):
// what the layer gives Render as the client's (Outgoing.Metadata).
func (rc *receiver) metadata(user string) json.RawMessage {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i := len(rc.items) - 1; i >= 0; i-- {
		if it := rc.items[i]; it.UserID == user && it.Metadata != nil {
			return it.Metadata
		}
	}
	return nil
}

// subscribed opens the channel with valid settings and subscribes the
// simulator to a receiver, the first time; the receiver reports to t.
func (h *harness) subscribed(t *testing.T) (channel.Conn, *receiver) {
	t.Helper()
	if h.rc == nil {
		h.conn = h.connOf(t, h.c.Settings)
		rc, u := h.receiver(h.top, h.conn)
		if err := h.subscribe(t.Context(), h.conn, u); err != nil {
			t.Fatalf("Subscribe: %v", err)
		}
		h.rc = rc
	}
	h.rc.mu.Lock()
	h.rc.t = t
	h.rc.mu.Unlock()
	return h.conn, h.rc
}

// talking is user having written to the channel: the window open, and the
// simulator knowing them.
func (h *harness) talking(t *testing.T, user string) (channel.Conn, *receiver, string) {
	t.Helper()
	conn, rc := h.subscribed(t)
	if err := h.c.Sim.Text(t.Context(), user, "hi"); err != nil {
		t.Fatal(err)
	}
	rc.wait(user, func(it channel.Item) bool { return it.Kind == channel.ItemMessage })
	return conn, rc, user
}

// subscribe points the simulator at url: the driver registers the
// webhook itself when it does (channel.Registrar), then the simulator's
// side, with the handshake when the platform has one.
func (h *harness) subscribe(ctx context.Context, conn channel.Conn, url string) error {
	if r, ok := conn.(channel.Registrar); ok {
		if err := r.Register(ctx, url); err != nil {
			return err
		}
	}
	return h.c.Sim.Subscribe(ctx, url)
}

func (h *harness) handshake(t *testing.T) {
	h.subscribed(t)
	if h.c.NoHandshake {
		if _, err := h.conn.Handshake(url.Values{"hub.mode": {"subscribe"}}); switchboard.ErrorCode(err) == "" {
			t.Error("a handshake was answered by a channel that has none")
		}
		return
	}
	bad := h.connOf(t, h.c.Tweak(h.c.TokenField, "not-the-token"))
	_, u := h.receiver(t, bad)
	if err := h.subscribe(t.Context(), bad, u); err == nil {
		t.Error("the handshake passed with another verify token")
	}
	if _, err := bad.Handshake(url.Values{}); switchboard.ErrorCode(err) == "" {
		t.Error("an empty handshake was answered")
	}
}

func payloadField(it channel.Item, k string) string {
	var c map[string]any
	_ = json.Unmarshal(it.Payload.Content, &c)
	s, _ := c[k].(string)
	return s
}

func (h *harness) text(t *testing.T) {
	_, rc := h.subscribed(t)
	if err := h.c.Sim.Text(t.Context(), "15550000001", "héllo ✓"); err != nil {
		t.Fatal(err)
	}
	it := rc.wait("15550000001", func(it channel.Item) bool { return it.Kind == channel.ItemMessage })
	if it.ID == "" || it.Payload.ContentType != "text" || payloadField(it, "text") != "héllo ✓" {
		t.Errorf("a text parsed as %+v", it)
	}
	if len(it.Metadata) == 0 {
		t.Error("a text carries no metadata of the user")
	}
}

func (h *harness) forged(t *testing.T) {
	conn := h.connOf(t, h.c.Settings)
	body := []byte(`{"object":"x"}`)
	for _, hdr := range []http.Header{{}, {"X-Hub-Signature-256": {"sha256=00"}}, {"X-Telegram-Bot-Api-Secret-Token": {"x"}}, {"X-Twilio-Signature": {"AAAA"}}} {
		err := conn.Verify(hdr, body)
		if uv, ok := conn.(channel.URLVerifier); ok {
			err = uv.VerifyURL("https://example.com/webhook", hdr, body)
		}
		if switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
			t.Errorf("Verify with %v: %v, want EUNAUTHORIZED", hdr, err)
		}
	}
}

// send renders and sends one message with buttons, as the layer does.
func (h *harness) send(t *testing.T, conn channel.Conn, user string, id int64, titles ...string) []string {
	t.Helper()
	var buttons []map[string]string
	for _, title := range titles {
		buttons = append(buttons, map[string]string{"title": title, "payload": "P-" + title})
	}
	raw, _ := json.Marshal(map[string]any{"title": "Pick one", "buttons": buttons})
	m := switchboard.Message{ID: id, Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: "question", Content: raw}}
	natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Metadata: h.rc.metadata(user)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range natives {
		pid, err := conn.Send(t.Context(), user, n)
		if err != nil {
			t.Fatalf("Send %s: %v", n.Kind, err)
		}
		ids = append(ids, pid)
	}
	return ids
}

func (h *harness) buttons(t *testing.T) {
	if h.c.Numbered {
		return // the numbered case covers it
	}
	conn, rc, user := h.talking(t, "15550000002")
	for i, titles := range [][]string{{"Yes", "No"}, {"One", "Two", "Three", "Four", "Five"}} {
		h.send(t, conn, user, int64(10+i), titles...)
		out, err := h.c.Sim.Outbound(t.Context(), user, i+1)
		if err != nil {
			t.Fatal(err)
		}
		last := out[len(out)-1]
		if len(last.Choices) != len(titles) || last.Choices[0] != "P-"+titles[0] {
			t.Fatalf("%d buttons came as %+v", len(titles), last)
		}
		if err := h.c.Sim.Press(t.Context(), user, last.Choices[1]); err != nil {
			t.Fatal(err)
		}
		rc.wait(user, func(it channel.Item) bool {
			return it.Payload.ContentType == "payload" && payloadField(it, "payload") == "P-"+titles[1] && payloadField(it, "title") == titles[1]
		})
	}
}

func (h *harness) numbered(t *testing.T) {
	conn, _, user := h.talking(t, "15550000003")
	lim := conn.Limits()
	var titles []string
	for i := range max(lim.MaxRows, lim.MaxButtons) + 2 {
		titles = append(titles, "Choice "+string(rune('A'+i)))
	}
	h.send(t, conn, user, 20, titles...)
	out, err := h.c.Sim.Outbound(t.Context(), user, 1)
	if err != nil {
		t.Fatal(err)
	}
	lastLine := fmt.Sprintf("%d. %s", len(titles), titles[len(titles)-1])
	if out[0].Kind != "text" || !strings.Contains(out[0].Text, "1. Choice A") || !strings.Contains(out[0].Text, lastLine) {
		t.Errorf("%d buttons came as %+v, want numbered text", len(titles), out[0])
	}
}

func (h *harness) receipts(t *testing.T) {
	if h.c.NoReceipts {
		return
	}
	conn, rc, user := h.talking(t, "15550000004")
	ids := h.send(t, conn, user, 30, "Yes", "No")
	if len(ids) == 0 || ids[len(ids)-1] == "" {
		t.Fatalf("Send returned no platform id: %v", ids)
	}
	it := rc.wait(user, func(it channel.Item) bool { return it.Kind == channel.ItemStatus && it.ID == ids[len(ids)-1] })
	if switchboard.SentStatusRank(it.Status) == 0 {
		t.Errorf("a receipt has status %q", it.Status)
	}
}

func (h *harness) media(t *testing.T) {
	conn, rc := h.subscribed(t)
	user := "15550000005"
	data := []byte("\x89PNG\r\n\x1a\nconformance")
	if err := h.c.Sim.Media(t.Context(), user, "image/png", data); err != nil {
		t.Fatal(err)
	}
	it := rc.wait(user, func(it channel.Item) bool { return it.MediaID != "" })
	if it.Payload.ContentType != "image" {
		t.Errorf("an image parsed as %s", it.Payload.ContentType)
	}
	ct, body, err := conn.Media(t.Context(), it.MediaID)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	got, _ := io.ReadAll(body)
	if string(got) != string(data) || ct != "image/png" {
		t.Errorf("the media downloads as %s %q", ct, got)
	}
}

func (h *harness) throttle(t *testing.T) {
	conn, rc, user := h.talking(t, "15550000006")
	h.c.Sim.Throttle(true)
	defer h.c.Sim.Throttle(false)
	var err error
	for range 3 {
		if _, err = conn.Send(t.Context(), user, mustRender(t, conn, "hello", rc.metadata(user))); err != nil {
			break
		}
	}
	var r interface{ RetryAfter() time.Duration }
	if !errors.As(err, &r) || r.RetryAfter() <= 0 {
		t.Errorf("a throttled send: %v, want a delay", err)
	}
}

func (h *harness) refused(t *testing.T) {
	_, rc, user := h.talking(t, "15550000007")
	conn := h.connOf(t, h.c.Tweak(h.c.CredentialField, "not-the-credentials"))
	_, err := conn.Send(t.Context(), user, mustRender(t, conn, "hello", rc.metadata(user)))
	if !channel.IsPermanent(err) {
		t.Errorf("a send with refused credentials: %v, want a permanent error", err)
	}
}

func (h *harness) window(t *testing.T) {
	conn, rc, user := h.talking(t, "15550000008")
	if conn.Window() == 0 {
		return
	}
	h.c.Sim.CloseWindow(user)
	id, err := conn.Send(t.Context(), user, mustRender(t, conn, "too late", rc.metadata(user)))
	if channel.IsWindowClosed(err) {
		return // refused at once
	}
	if err != nil {
		t.Fatal(err)
	}
	it := rc.wait(user, func(it channel.Item) bool {
		return it.Kind == channel.ItemStatus && it.ID == id && it.Status == switchboard.SentFailed
	})
	if !it.WindowClosed {
		t.Errorf("a send after the window failed as %+v, want WindowClosed", it)
	}
}

// mustRender renders a text for a user of metadata.
func mustRender(t *testing.T, conn channel.Conn, text string, metadata json.RawMessage) channel.Native {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"text": text})
	m := switchboard.Message{Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: "text", Content: raw}}
	natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m, Metadata: metadata})
	if err != nil || len(natives) != 1 {
		t.Fatalf("Render a text: %v %v", natives, err)
	}
	return natives[0]
}
