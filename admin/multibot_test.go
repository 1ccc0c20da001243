package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard"
	"switchboard/engine"
)

// TestChannelMultibot sets the bots a channel may reach, and a conversation
// on that channel switches bots with goto ... in bot.
func TestChannelMultibot(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	for id, content := range map[string]string{
		"router": "start:\n  say \"Routing you\"\n  goto start@Main in sales\n",
		"sales":  "start:\n  say \"Sales here\"\n  hold\n  say \"Sales heard {{event}}\"\n  goto end\n",
	} {
		c.must("POST", "/v1/admin/bots", map[string]any{"id": id, "default_flow": "Main",
			"flows": []map[string]any{{"name": "Main", "commands": []string{}, "content": content}}}, http.StatusCreated, nil)
	}
	var ch struct {
		Channel struct {
			ID       string                `json:"id"`
			Multibot switchboard.MultiBots `json:"multibot"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "router", "type": "webapp"}, http.StatusCreated, &ch)
	if ch.Channel.Multibot == nil || len(ch.Channel.Multibot) != 0 {
		t.Fatalf("a new channel reaches bots: %+v", ch.Channel)
	}
	path := "/v1/admin/channels/" + ch.Channel.ID + "/multibot"
	key := switchboard.ClientKey{BotID: "router", ChannelID: ch.Channel.ID, UserID: "u1"}
	say := func(text string) []string {
		t.Helper()
		raw, _ := json.Marshal(map[string]string{"text": text})
		r, err := f.app.Engine.HandleEvent(context.Background(), engine.Request{Client: key, Payload: switchboard.Payload{ContentType: "text", Content: raw}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range r.Messages {
			out = append(out, m.Payload.ContentType+" "+string(m.Payload.Content))
		}
		return out
	}
	// By default no bot is reachable: the reference's refusal.
	if got := say("hi"); len(got) != 2 || !strings.Contains(got[1], "Switching to Bot: (sales) is not allowed") {
		t.Fatalf("without multibot: %v", got)
	}
	// Bad lists are refused and change nothing.
	for body, want := range map[string]string{
		`{"multibot": [{"id": "nope"}]}`:                                      `bot "nope" does not exist`,
		`{"multibot": [{"id": ""}]}`:                                          "multibot[0].id is missing",
		`{"multibot": [{"id": "sales"}, {"id": "sales"}]}`:                    `"sales" names two bots`,
		`{"multibot": [{"id": "sales", "name": "router"}, {"id": "router"}]}`: `"router" names two bots`,
	} {
		if msg := c.fails("PUT", path, []byte(body), "application/json", http.StatusBadRequest); !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", body, msg, want)
		}
	}
	var out struct {
		Multibot switchboard.MultiBots `json:"multibot"`
	}
	c.must("PUT", path, map[string]any{"multibot": []map[string]string{{"id": "sales", "name": "Sales"}}}, http.StatusOK, &out)
	if len(out.Multibot) != 1 || out.Multibot[0] != (switchboard.MultiBot{ID: "sales", Name: "Sales"}) {
		t.Fatalf("set: %+v", out)
	}
	if got := say("hi"); len(got) != 3 || !strings.HasPrefix(got[1], "switch_bot ") || !strings.Contains(got[2], "Sales here") {
		t.Fatalf("with multibot: %v", got)
	}
	if got := say("shoes"); len(got) != 1 || !strings.Contains(got[0], "Sales heard shoes") {
		t.Fatalf("the next event: %v", got)
	}
	var list struct {
		Channels []struct {
			ID       string                `json:"id"`
			Multibot switchboard.MultiBots `json:"multibot"`
		} `json:"channels"`
	}
	c.must("GET", "/v1/admin/channels?bot_id=router", nil, http.StatusOK, &list)
	if len(list.Channels) != 1 || len(list.Channels[0].Multibot) != 1 {
		t.Fatalf("channels: %+v", list)
	}
}
