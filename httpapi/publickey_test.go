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

// TestPublicKeyReachesNoOtherUsersData: with the public key alone, knowing a
// victim's user_id and request_id gives neither the victim's stored replies
// nor a way to change what is known of them.
func TestPublicKeyReachesNoOtherUsersData(t *testing.T) {
	f := newFixture(t)
	victim := event("victim", "text", map[string]any{"text": "my order is 4411"}, map[string]any{
		"request_id": "victim-1", "metadata": map[string]string{"name": "Vic", "email": "vic@example.com"},
	})
	first := f.chat(f.public(), victim)
	if got := first.texts(); len(got) != 1 || !strings.Contains(got[0], "4411") {
		t.Fatalf("the victim's own answer: %q", got)
	}

	// The attacker resends the victim's request: refused, nothing revealed.
	var raw map[string]any
	res := f.call("POST", "/v1/api/chat", f.public(), victim, &raw)
	if res.StatusCode != http.StatusConflict || raw["messages"] != nil {
		t.Fatalf("a public replay of the victim's request → %d %v, want 409 without messages", res.StatusCode, raw)
	}
	if _, msg := f.errorOf("POST", "/v1/api/chat", f.public(), victim, http.StatusConflict); !strings.Contains(msg, "sign the request") {
		t.Errorf("the refusal does not say how to get the reply: %q", msg)
	}
	// Signed (private mode), the stored reply is given again.
	if again := f.chat(f.signed(time.Now()), victim); again.InteractionID != first.InteractionID || len(again.Messages) != 1 || again.Messages[0].ID != first.Messages[0].ID {
		t.Errorf("a signed retry is not the stored answer: %+v", again)
	}

	// The attacker names the victim with other metadata: the victim's stay.
	f.chat(f.public(), event("victim", "text", map[string]any{"text": "hi"}, map[string]any{"metadata": map[string]string{"name": "Mallory"}}))
	if got := f.metadataOf("victim"); got["name"] != "Vic" || got["email"] != "vic@example.com" {
		t.Errorf("public mode changed an existing user's metadata: %v", got)
	}
	// Private mode may change it.
	f.chat(f.signed(time.Now()), event("victim", "text", map[string]any{"text": "hi"}, map[string]any{"metadata": map[string]string{"name": "Victoria"}}))
	if got := f.metadataOf("victim"); got["name"] != "Victoria" {
		t.Errorf("private mode did not change the metadata: %v", got)
	}
	// A new user's metadata is set in public mode, as CSML Studio's widget does.
	f.chat(f.public(), event("newcomer", "text", map[string]any{"text": "hi"}, map[string]any{"metadata": map[string]string{"name": "Neo"}}))
	if got := f.metadataOf("newcomer"); got["name"] != "Neo" {
		t.Errorf("a new user's metadata: %v", got)
	}
}

// metadataOf reads what is stored of a user of the fixture's channel.
func (f *fixture) metadataOf(user string) map[string]string {
	f.t.Helper()
	ctx := context.Background()
	key := switchboard.ClientKey{BotID: f.channel.BotID, ChannelID: f.channel.ID, UserID: user}
	var c *switchboard.Client
	if err := f.app.Store.View(ctx, func(tx switchboard.Tx) (err error) {
		c, err = tx.FindClient(ctx, key)
		return err
	}); err != nil || c == nil {
		f.t.Fatalf("client %s: %v %v", user, c, err)
	}
	out := map[string]string{}
	_ = json.Unmarshal(c.Metadata, &out)
	return out
}
