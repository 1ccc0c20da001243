package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
)

// The deletions of the engine API, with the requests of the reference's
// bot_versions.rs tests and the routes of its data.rs.

// engineError sends a request to the engine API, wants the status and
// returns the error's message.
func (f *fixture) engineError(method, path string, status int) string {
	f.t.Helper()
	_, msg := f.errorOf(method, "/v1/engine"+path, http.Header{"X-Api-Key": {engineKey}}, nil, status)
	return msg
}

// startSession puts a client in a live livechat session, as a handover does.
func (f *fixture) startSession(id string, k switchboard.ClientKey) {
	f.t.Helper()
	ctx := context.Background()
	s := switchboard.Session{ID: id, Client: k, Platform: "desk", State: switchboard.SessionPending,
		Timeout: time.Hour, CreatedAt: time.Now(), LastActivityAt: time.Now()}
	if err := f.app.Store.Update(ctx, func(tx switchboard.Tx) error { return tx.CreateSession(ctx, &s) }); err != nil {
		f.t.Fatal(err)
	}
}

// endSession ends a live session, as an administrator does.
func (f *fixture) endSession(id string) {
	f.t.Helper()
	ctx := context.Background()
	err := f.app.Store.Update(ctx, func(tx switchboard.Tx) error {
		s, err := tx.Session(ctx, id)
		if err != nil {
			return err
		}
		now := time.Now()
		s.State, s.EndReason, s.EndedAt = switchboard.SessionEnded, switchboard.EndAdmin, &now
		return tx.UpdateSession(ctx, s)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// engineClient is a client of the echo bot: its query and its JSON.
type engineClient struct{ query, json string }

func echoClient(channel, user string) engineClient {
	return engineClient{
		query: "?bot_id=echo&channel_id=" + channel + "&user_id=" + user,
		json:  `{"bot_id": "echo", "channel_id": "` + channel + `", "user_id": "` + user + `"}`,
	}
}

// say runs an event of the client and remembers a value for it.
func (f *fixture) say(c engineClient) {
	f.t.Helper()
	run := `{"bot_id": "echo", "event": {"client": ` + c.json + `, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`
	if status := f.engine("POST", "/run", run, nil); status != http.StatusOK {
		f.t.Fatalf("POST /run → %d", status)
	}
	if status := f.engine("POST", "/memories"+c.query, `{"key": "email", "value": "ann@example.com"}`, nil); status != http.StatusCreated {
		f.t.Fatalf("POST /memories → %d", status)
	}
}

// dataOf is what the engine API shows of a client: its messages, its
// memories and whether it has a conversation.
func (f *fixture) dataOf(c engineClient) (messages, memories, conversations int) {
	f.t.Helper()
	var msgs struct {
		Messages []json.RawMessage `json:"messages"`
	}
	var mems []json.RawMessage
	var convs struct {
		Conversations []json.RawMessage `json:"conversations"`
	}
	for path, out := range map[string]any{"/messages": &msgs, "/memories": &mems, "/conversations": &convs} {
		if status := f.engine("GET", path+c.query, "", out); status != http.StatusOK {
			f.t.Fatalf("GET %s → %d", path, status)
		}
	}
	return len(msgs.Messages), len(mems), len(convs.Conversations)
}

func TestEngineAPIDeletesVersionsAndBots(t *testing.T) {
	f := newFixture(t)
	// bot_versions.rs's test_add_bot_version, then a second version.
	add := strings.Replace(referenceBot, `"id": "test_run",`, `"id": "bot_id",`, 1)
	var first, second struct {
		VersionID string `json:"version_id"`
	}
	f.engine("POST", "/bots", add, &first)
	f.engine("POST", "/bots", strings.Replace(add, `say \"Hello\"`, `say \"Hello again\"`, 1), &second)
	if first.VersionID == "" || second.VersionID == "" || first.VersionID == second.VersionID {
		t.Fatalf("POST /bots twice: %q, %q", first.VersionID, second.VersionID)
	}

	// An earlier version goes; the one that runs, the latest, stays.
	if status := f.engine("DELETE", "/bots/bot_id/versions/"+first.VersionID, "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE an earlier version → %d, want 204", status)
	}
	if status := f.engine("GET", "/bots/bot_id/versions/"+first.VersionID, "", nil); status != http.StatusNotFound {
		t.Errorf("GET a deleted version → %d, want 404", status)
	}
	msg := f.engineError("DELETE", "/bots/bot_id/versions/"+second.VersionID, http.StatusConflict)
	if !strings.Contains(msg, "runs") || !strings.Contains(msg, "DELETE /bots/bot_id") {
		t.Errorf("deleting the running version says %q; want why and what to do", msg)
	}
	if status := f.engine("GET", "/bots/bot_id/versions/"+second.VersionID, "", nil); status != http.StatusOK {
		t.Errorf("the running version after a refused delete → %d", status)
	}
	// test_delete_bot_version and test_delete_bot_versions: what does not
	// exist is deleted already (204).
	if status := f.engine("DELETE", "/bots/botid/versions/60b872d1009d9aa600b108ea", "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE an unknown version → %d, want 204", status)
	}
	if status := f.engine("DELETE", "/bots/bot_versions", "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE an unknown bot → %d, want 204", status)
	}

	// The bot goes, and stops running.
	if status := f.engine("DELETE", "/bots/bot_id", "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE /bots/bot_id → %d, want 204", status)
	}
	if status := f.engine("GET", "/bots/bot_id", "", nil); status != http.StatusNotFound {
		t.Errorf("GET a deleted bot → %d, want 404", status)
	}
	run := `{"bot_id": "bot_id", "event": {"client": {"user_id": "u", "channel_id": "c"}, "payload": {"content_type": "text", "content": {"text": "hi"}}}}`
	if status := f.engine("POST", "/run", run, nil); status != http.StatusNotFound {
		t.Errorf("POST /run of a deleted bot → %d, want 404", status)
	}
}

func TestEngineAPIBotDeletionKeepsLiveSessions(t *testing.T) {
	f := newFixture(t)
	ann, bob := echoClient("app", "ann"), echoClient("web", "bob")
	f.say(ann)
	f.say(bob)
	f.startSession("s1", switchboard.ClientKey{BotID: "echo", ChannelID: "web", UserID: "bob"})

	for _, path := range []string{"/bots/echo", "/data/bots/echo"} {
		if msg := f.engineError("DELETE", path, http.StatusConflict); !strings.Contains(msg, "live livechat sessions") || !strings.Contains(msg, "end them") {
			t.Errorf("DELETE %s during a session says %q; want why and what to do", path, msg)
		}
	}
	if status := f.engine("GET", "/bots/echo", "", nil); status != http.StatusOK {
		t.Errorf("the bot after refused deletions → %d, want it kept", status)
	}
	if m, mem, c := f.dataOf(bob); m != 2 || mem != 1 || c != 1 {
		t.Errorf("bob after refused deletions: %d messages, %d memories, %d conversations; want all kept", m, mem, c)
	}

	// Once the session has ended, the bot and all its data go.
	f.endSession("s1")
	if status := f.engine("DELETE", "/data/bots/echo", "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE /data/bots/echo → %d, want 204", status)
	}
	for _, c := range []engineClient{ann, bob} {
		if m, mem, conv := f.dataOf(c); m != 0 || mem != 0 || conv != 0 {
			t.Errorf("%s after DELETE /data/bots/echo: %d messages, %d memories, %d conversations; want none", c.query, m, mem, conv)
		}
	}
	if status := f.engine("GET", "/bots/echo", "", nil); status != http.StatusNotFound {
		t.Errorf("GET /bots/echo after DELETE /data/bots/echo → %d, want 404", status)
	}
}

func TestEngineAPIErasesAClient(t *testing.T) {
	f := newFixture(t)
	ann, bob := echoClient("app", "ann"), echoClient("app", "bob")
	f.say(ann)
	f.say(bob)

	if status := f.engine("DELETE", "/data/clients"+ann.query, "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE /data/clients → %d, want 204", status)
	}
	if m, mem, c := f.dataOf(ann); m != 0 || mem != 0 || c != 0 {
		t.Errorf("ann after her erasure: %d messages, %d memories, %d conversations; want none", m, mem, c)
	}
	if res := f.call("POST", "/v1/engine/conversations/open", http.Header{"X-Api-Key": {engineKey}}, []byte(ann.json), nil); res.ContentLength > 0 {
		t.Error("ann still has an open conversation")
	}
	if m, mem, c := f.dataOf(bob); m != 2 || mem != 1 || c != 1 {
		t.Errorf("bob after ann's erasure: %d messages, %d memories, %d conversations; want all kept", m, mem, c)
	}
	// The erased client starts again from nothing.
	f.say(ann)
	if m, mem, c := f.dataOf(ann); m != 2 || mem != 1 || c != 1 {
		t.Errorf("ann talking again: %d messages, %d memories, %d conversations", m, mem, c)
	}

	// A client in a live session keeps everything.
	f.startSession("s1", switchboard.ClientKey{BotID: "echo", ChannelID: "app", UserID: "bob"})
	if msg := f.engineError("DELETE", "/data/clients"+bob.query, http.StatusConflict); !strings.Contains(msg, "live livechat session") || !strings.Contains(msg, "end it first") {
		t.Errorf("erasing a client in a session says %q; want why and what to do", msg)
	}
	if m, mem, c := f.dataOf(bob); m != 2 || mem != 1 || c != 1 {
		t.Errorf("bob after a refused erasure: %d messages, %d memories, %d conversations; want all kept", m, mem, c)
	}
	// A client not named whole is refused, saying what is missing.
	if msg := f.engineError("DELETE", "/data/clients?bot_id=echo&channel_id=app", http.StatusBadRequest); !strings.Contains(msg, "user_id") {
		t.Errorf("DELETE /data/clients without user_id says %q", msg)
	}
}

func TestEngineAPICleanupDeletesNothing(t *testing.T) {
	f := newFixture(t)
	ann := echoClient("app", "ann")
	f.say(ann)
	res := f.call("POST", "/v1/engine/data/cleanup", http.Header{"X-Api-Key": {engineKey}}, nil, nil)
	if res.StatusCode != http.StatusOK || res.ContentLength > 0 {
		t.Errorf("POST /data/cleanup → %d (%d bytes), want 200 and no body", res.StatusCode, res.ContentLength)
	}
	if m, mem, c := f.dataOf(ann); m != 2 || mem != 1 || c != 1 {
		t.Errorf("after /data/cleanup: %d messages, %d memories, %d conversations; want all kept", m, mem, c)
	}
	if res := f.call("POST", "/v1/engine/data/cleanup", nil, nil, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /data/cleanup without a key → %d, want 403", res.StatusCode)
	}
}
