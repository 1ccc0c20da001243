// Package providertest is the conformance suite of livechat drivers: one
// harness, run by each platform's package against that platform's
// simulator, that checks what the outbox and the engine rely on. Opening is
// idempotent after a retry (an earlier attempt may have done the work and
// lost the answer); user messages arrive in order, once each, also when
// retried; ending closes the ticket only when asked; notes are internal;
// refused credentials are permanent errors; a rate limit carries its delay.
//
// A driver's test builds a Platform from its simulator and calls Run.
package providertest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard"
	"switchboard/livechat"
)

// Platform is a driver with its simulator, as the suite drives them.
type Platform struct {
	// Name is the platform's name in sessions (livechat.PlatformGorgias…).
	Name     string
	Provider livechat.Provider
	// Settings returns settings that reach the simulator, with credentials
	// it accepts (valid) or refuses.
	Settings func(valid bool) livechat.Resolved
	// Ticket reads the ticket (or conversation) opened for a session;
	// Tickets counts them, to catch duplicates.
	Ticket  func(t *testing.T, sessionID string) (Ticket, bool)
	Tickets func(t *testing.T, sessionID string) int
	// Throttle makes the simulator answer the next n requests with 429 and
	// a retry delay.
	Throttle func(n int)
	// LoseAnswers makes the simulator do the next n writes and then fail
	// their answers (a 5xx or a cut connection), as a timeout after the
	// platform did the work; 0 turns it off.
	LoseAnswers func(n int)
	// FilesAsLinks says the platform takes no file by URL (Chatwoot takes
	// uploads only): a user's file arrives as a message whose text holds
	// its link.
	FilesAsLinks bool
}

// Ticket is what the platform holds for a session, platform-neutrally.
type Ticket struct {
	Closed   bool
	Messages []Message
}

// Message is one message of a ticket.
type Message struct {
	Text string
	// Internal marks a note: agents see it, users never do.
	Internal bool
	// FromUser marks what the end user wrote.
	FromUser bool
	// Attachments are the files' URLs.
	Attachments []string
}

// Run checks the driver. Each case opens its own sessions, so the cases are
// independent of each other and of the simulator's earlier state.
func Run(t *testing.T, p Platform) {
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	h := &harness{p: p, run: hex.EncodeToString(run)}
	t.Run("OpenCarriesTheUserAndTheTranscript", h.openCarriesUserAndTranscript)
	t.Run("OpenIsIdempotentAfterLostAnswers", h.openIsIdempotent)
	t.Run("SendsArriveInOrderOnceEach", h.sendsInOrder)
	t.Run("EndClosesOnlyWhenAsked", h.endCloses)
	t.Run("NotesAreInternalAndPostedOnce", h.notes)
	t.Run("RefusedCredentialsArePermanent", h.badCredentials)
	t.Run("RateLimitCarriesItsDelay", h.rateLimit)
	if _, ok := p.Provider.(livechat.Checker); ok {
		t.Run("CheckNamesWhatFailed", h.check)
	}
}

type harness struct {
	p Platform
	// run makes the sessions' ids unique across runs on one simulator.
	run string
	seq atomic.Int64
}

// Texts the suite puts in sessions, to find them on tickets.
const (
	transcriptBot  = "Hi! I am the conformance bot."
	transcriptUser = "Talk to a human"
)

// session returns a new live session of a new user with metadata.
func (h *harness) session() switchboard.Session {
	n := h.seq.Add(1)
	id := fmt.Sprintf("conformance-%s-%d", h.run, n)
	meta, _ := json.Marshal(map[string]string{"firstname": "Ada", "lastname": fmt.Sprintf("Lovelace %d", n), "email": fmt.Sprintf("ada-%s-%d@example.com", h.run, n), "plan": "gold"})
	return switchboard.Session{
		ID: id, Platform: h.p.Name, State: switchboard.SessionActive, Metadata: meta,
		Client: switchboard.ClientKey{BotID: "conformance-bot", ChannelID: "conformance-channel", UserID: fmt.Sprintf("user-%s-%d", h.run, n)},
	}
}

func (h *harness) openRequest(s switchboard.Session, valid bool, attempt int) livechat.OpenRequest {
	text := func(sender switchboard.SenderKind, v string) switchboard.Message {
		raw, _ := json.Marshal(map[string]string{"text": v})
		return switchboard.Message{Sender: switchboard.Sender{Kind: sender}, Payload: switchboard.Payload{ContentType: "text", Content: raw}}
	}
	click, _ := json.Marshal(map[string]string{"payload": "LIVECHAT_SESSION_START", "title": transcriptUser})
	return livechat.OpenRequest{
		Session: s, Attempt: attempt, BotName: "Conformance bot", Channel: switchboard.ChannelWebapp, Metadata: s.Metadata,
		Transcript: []switchboard.Message{
			text(switchboard.SenderBot, transcriptBot),
			{Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: switchboard.Payload{ContentType: "payload", Content: click}},
		},
		Settings: h.p.Settings(valid),
	}
}

// open opens a session's ticket and returns the session with its id.
func (h *harness) open(t *testing.T) switchboard.Session {
	t.Helper()
	s := h.session()
	id, err := h.p.Provider.Open(t.Context(), h.openRequest(s, true, 0))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if id == "" {
		t.Fatal("Open returned an empty id")
	}
	s.ExternalID = id
	return s
}

func (h *harness) ticket(t *testing.T, s switchboard.Session) Ticket {
	t.Helper()
	tk, ok := h.p.Ticket(t, s.ID)
	if !ok {
		t.Fatalf("no ticket for session %s", s.ID)
	}
	return tk
}

// count counts the messages matching f.
func count(tk Ticket, f func(Message) bool) int {
	n := 0
	for _, m := range tk.Messages {
		if f(m) {
			n++
		}
	}
	return n
}

func (h *harness) openCarriesUserAndTranscript(t *testing.T) {
	s := h.open(t)
	tk := h.ticket(t, s)
	if tk.Closed {
		t.Error("the new ticket is closed")
	}
	notes := count(tk, func(m Message) bool {
		return m.Internal && strings.Contains(m.Text, transcriptBot) && strings.Contains(m.Text, transcriptUser)
	})
	if notes != 1 {
		t.Errorf("transcript notes = %d, want 1 internal message with the transcript: %+v", notes, tk.Messages)
	}
	if count(tk, func(m Message) bool { return !m.Internal && strings.Contains(m.Text, transcriptBot) }) != 0 {
		t.Error("the transcript is in a public message: it must be internal")
	}
	if n := h.p.Tickets(t, s.ID); n != 1 {
		t.Errorf("tickets of the session = %d, want 1", n)
	}
}

// openIsIdempotent loses the answer of every write once, attempt after
// attempt, so that each retry meets what the previous one half made.
func (h *harness) openIsIdempotent(t *testing.T) {
	s := h.session()
	var id string
	for attempt := 0; ; attempt++ {
		if attempt == 20 {
			t.Fatal("Open never succeeded in 20 attempts")
		}
		h.p.LoseAnswers(1)
		var err error
		id, err = h.p.Provider.Open(t.Context(), h.openRequest(s, true, attempt))
		if err == nil {
			break
		}
		if livechat.IsPermanent(err) {
			t.Fatalf("attempt %d: a lost answer is permanent: %v", attempt, err)
		}
	}
	h.p.LoseAnswers(0)
	if n := h.p.Tickets(t, s.ID); n != 1 {
		t.Fatalf("tickets of the session = %d after retries, want 1", n)
	}
	s.ExternalID = id
	tk := h.ticket(t, s)
	if n := count(tk, func(m Message) bool { return m.Internal && strings.Contains(m.Text, transcriptBot) }); n != 1 {
		t.Errorf("transcript notes = %d after retries, want 1", n)
	}
	if n := count(tk, func(m Message) bool { return m.FromUser }); n > 1 {
		t.Errorf("the user's first message is on the ticket %d times after retries", n)
	}
	// A retry after the success changes nothing either.
	again, err := h.p.Provider.Open(t.Context(), h.openRequest(s, true, 99))
	if err != nil || again != id {
		t.Errorf("Open after success = %q, %v; want %q", again, err, id)
	}
	if n := h.p.Tickets(t, s.ID); n != 1 {
		t.Errorf("tickets of the session = %d, want 1", n)
	}
}

func (h *harness) send(t *testing.T, s switchboard.Session, msgID int64, text string, att *livechat.Attachment, attempt int) error {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"text": text})
	m := switchboard.Message{ID: msgID, Client: s.Client, SessionID: s.ID, Direction: switchboard.DirectionReceive,
		Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: switchboard.Payload{ContentType: "text", Content: raw}}
	return h.p.Provider.Send(t.Context(), livechat.SendRequest{Session: s, Attempt: attempt, Message: m, Text: text, Attachment: att, Settings: h.p.Settings(true)})
}

// userTexts are the user's messages in order, after the first skip ones
// (what Open posted, if the platform needs a first message).
func userTexts(tk Ticket, skip int) []string {
	var out []string
	for _, m := range tk.Messages {
		if m.FromUser {
			out = append(out, m.Text)
		}
	}
	return out[min(skip, len(out)):]
}

// opened counts the user's messages Open put on the session's ticket.
func (h *harness) opened(t *testing.T, s switchboard.Session) int {
	return count(h.ticket(t, s), func(m Message) bool { return m.FromUser })
}

func (h *harness) sendsInOrder(t *testing.T) {
	s := h.open(t)
	skip := h.opened(t, s)
	var want []string
	for i := int64(1); i <= 6; i++ {
		text := fmt.Sprintf("message %d of the user", i)
		want = append(want, text)
		if i%2 == 0 {
			// The platform stores it but the answer is lost: the retry
			// must find it rather than post it again.
			h.p.LoseAnswers(1)
			if err := h.send(t, s, 1000+i, text, nil, 0); err == nil || livechat.IsPermanent(err) {
				t.Fatalf("send %d with a lost answer: %v, want a transient error", i, err)
			}
			h.p.LoseAnswers(0)
			if err := h.send(t, s, 1000+i, text, nil, 1); err != nil {
				t.Fatalf("retried send %d: %v", i, err)
			}
			continue
		}
		if err := h.send(t, s, 1000+i, text, nil, 0); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	// Files: one described in full, one known only by its URL (a channel
	// may not know a file's name or type).
	files := []*livechat.Attachment{
		{URL: "https://files.example.com/receipt.pdf", Name: "receipt.pdf", ContentType: "application/pdf"},
		{URL: "https://files.example.com/u/8f3a"},
	}
	for i, f := range files {
		if err := h.send(t, s, 2000+int64(i), f.URL, f, 0); err != nil {
			t.Fatalf("send file %s: %v", f.URL, err)
		}
	}
	tk := h.ticket(t, s)
	got := userTexts(tk, skip)
	if len(got) != len(want)+len(files) || strings.Join(got[:len(want)], "|") != strings.Join(want, "|") {
		t.Fatalf("user messages on the ticket = %q, want %q then the files", got, want)
	}
	for i, f := range files {
		m := tk.Messages[len(tk.Messages)-len(files)+i]
		switch {
		case h.p.FilesAsLinks && !strings.Contains(m.Text, f.URL):
			t.Errorf("file %s arrived as %+v, want its link", f.URL, m)
		case !h.p.FilesAsLinks && (len(m.Attachments) != 1 || m.Attachments[0] != f.URL):
			t.Errorf("file %s arrived as %+v, want an attachment", f.URL, m)
		}
	}
}

func (h *harness) end(t *testing.T, s switchboard.Session, note string, close bool, attempt int) error {
	return h.p.Provider.End(t.Context(), livechat.EndRequest{Session: s, Attempt: attempt, Settings: h.p.Settings(true), Note: note, Close: close})
}

func (h *harness) endCloses(t *testing.T) {
	kept := h.open(t)
	if err := h.end(t, kept, "The user ended the conversation.", false, 0); err != nil {
		t.Fatalf("End without closing: %v", err)
	}
	if tk := h.ticket(t, kept); tk.Closed {
		t.Error("End with Close=false closed the ticket")
	}
	closed := h.open(t)
	h.p.LoseAnswers(1)
	if err := h.end(t, closed, "The conversation expired.", true, 0); err == nil || livechat.IsPermanent(err) {
		t.Fatalf("End with a lost answer: %v, want a transient error", err)
	}
	h.p.LoseAnswers(0)
	if err := h.end(t, closed, "The conversation expired.", true, 1); err != nil {
		t.Fatalf("retried End: %v", err)
	}
	tk := h.ticket(t, closed)
	if !tk.Closed {
		t.Error("End with Close=true left the ticket open")
	}
	if n := count(tk, func(m Message) bool { return m.Internal && strings.Contains(m.Text, "The conversation expired.") }); n != 1 {
		t.Errorf("end notes = %d, want 1 internal note", n)
	}
}

func (h *harness) note(t *testing.T, s switchboard.Session, ref, text string, attempt int) error {
	return h.p.Provider.Note(t.Context(), livechat.NoteRequest{Session: s, Attempt: attempt, Ref: ref, Settings: h.p.Settings(true), Text: text})
}

func (h *harness) notes(t *testing.T) {
	s := h.open(t)
	const over = "This conversation is over: the user did not receive your last message."
	if err := h.note(t, s, "1", over, 0); err != nil {
		t.Fatalf("Note: %v", err)
	}
	h.p.LoseAnswers(1)
	if err := h.note(t, s, "2", over, 0); err == nil || livechat.IsPermanent(err) {
		t.Fatalf("Note with a lost answer: %v, want a transient error", err)
	}
	h.p.LoseAnswers(0)
	if err := h.note(t, s, "2", over, 1); err != nil {
		t.Fatalf("retried Note: %v", err)
	}
	tk := h.ticket(t, s)
	if n := count(tk, func(m Message) bool { return m.Text == over && m.Internal }); n != 2 {
		t.Errorf("internal notes = %d, want 2 (two notes, the second retried once)", n)
	}
	if n := count(tk, func(m Message) bool { return m.Text == over && !m.Internal }); n != 0 {
		t.Errorf("%d notes are public", n)
	}
}

func (h *harness) badCredentials(t *testing.T) {
	s := h.session()
	_, err := h.p.Provider.Open(t.Context(), h.openRequest(s, false, 0))
	if err == nil || !livechat.IsPermanent(err) {
		t.Fatalf("Open with refused credentials: %v, want a permanent error", err)
	}
	if h.p.Tickets(t, s.ID) != 0 {
		t.Error("a ticket was opened with refused credentials")
	}
	opened := h.open(t)
	raw, _ := json.Marshal(map[string]string{"text": "hello"})
	err = h.p.Provider.Send(t.Context(), livechat.SendRequest{Session: opened, Message: switchboard.Message{ID: 1, Payload: switchboard.Payload{ContentType: "text", Content: raw}}, Text: "hello", Settings: h.p.Settings(false)})
	if err == nil || !livechat.IsPermanent(err) {
		t.Fatalf("Send with refused credentials: %v, want a permanent error", err)
	}
}

func (h *harness) rateLimit(t *testing.T) {
	s := h.open(t)
	skip := h.opened(t, s)
	h.p.Throttle(1)
	err := h.send(t, s, 3000, "after the rate limit", nil, 0)
	d, ok := livechat.RetryDelay(err)
	if err == nil || !ok || d <= 0 || livechat.IsPermanent(err) {
		t.Fatalf("Send when rate limited: %v (delay %v, %v), want RetryAfter with a delay", err, d, ok)
	}
	if err := h.send(t, s, 3000, "after the rate limit", nil, 1); err != nil {
		t.Fatalf("Send after the delay: %v", err)
	}
	if got := userTexts(h.ticket(t, s), skip); len(got) != 1 || got[0] != "after the rate limit" {
		t.Errorf("user messages = %q, want the message once", got)
	}
}

func (h *harness) check(t *testing.T) {
	c := h.p.Provider.(livechat.Checker)
	settings := func(valid bool) livechat.Settings {
		r := h.p.Settings(valid)
		return livechat.Settings{Platform: r.Platform, Token: "conformance-token", Gorgias: r.Gorgias, Chatwoot: r.Chatwoot}
	}
	if _, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "conformance-bot", Settings: settings(true), PublicURL: "http://127.0.0.1:1"}); err != nil {
		t.Fatalf("Check with working credentials: %v", err)
	}
	_, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "conformance-bot", Settings: settings(false), PublicURL: "http://127.0.0.1:1"})
	if switchboard.ErrorCode(err) != switchboard.EINVALID || len(switchboard.ErrorMessage(err)) < 20 {
		t.Fatalf("Check with refused credentials: %v, want an EINVALID error that says what failed", err)
	}
}
