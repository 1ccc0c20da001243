package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/httpapi"
)

// TestChatAPISwitchesBots: through the Chat API, a goto ... in bot to a
// bot the channel lists answers the other bot's messages after a
// switch_bot message, and the next event goes to that bot.
func TestChatAPISwitchesBots(t *testing.T) {
	f := newFixture(t)
	for id, content := range map[string]string{
		"router": `start: say \"Routing you\" goto start@Main in sales`,
		"sales":  `start: say \"Sales here\" hold say \"Sales heard {{event}}\" goto end`,
	} {
		bot := `{"id": "` + id + `", "name": "` + id + `", "default_flow": "Main", "flows": [{"id": "Main", "name": "Main", "commands": [], "content": "` + content + `"}]}`
		if status := f.engine("POST", "/bots", bot, nil); status != http.StatusCreated {
			t.Fatalf("POST /bots %s → %d", id, status)
		}
	}
	ch := switchboard.Channel{ID: "api-router", BotID: "router", Type: switchboard.ChannelAPI, Name: "Router", CreatedAt: time.Now(),
		Multibot: switchboard.MultiBots{{ID: "sales"}}}
	httpapi.NewCredentials(f.app.Livechat.Sealer, &ch)
	ctx := context.Background()
	if err := f.app.Store.Update(ctx, func(tx switchboard.Tx) error { return tx.PutChannel(ctx, &ch) }); err != nil {
		t.Fatal(err)
	}
	key := http.Header{"X-Api-Key": {ch.APIKey}}
	out := f.chat(key, event("u1", "text", map[string]string{"text": "hi"}, nil))
	if got := strings.Join(out.texts(), "|"); got != "Routing you|switch_bot|Sales here" || out.ConversationEnd {
		t.Fatalf("first answer: %q end=%v", got, out.ConversationEnd)
	}
	out = f.chat(key, event("u1", "text", map[string]string{"text": "shoes"}, nil))
	if got := strings.Join(out.texts(), "|"); got != "Sales heard shoes" || !out.ConversationEnd || out.Client.BotID != "router" {
		t.Fatalf("second answer: %q end=%v client=%+v", got, out.ConversationEnd, out.Client)
	}
}
