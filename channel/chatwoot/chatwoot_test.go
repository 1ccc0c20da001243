package chatwoot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/chatwoot"
	"switchboard/internal/simkit/simtest"
	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/secrets"
)

// open makes a channel's settings for the simulator and opens them, as the
// layer does.
func open(t *testing.T, sim *chatwootsim.Server, token string, inbox int64) (channel.Conn, json.RawMessage) {
	t.Helper()
	ring, err := secrets.New(secrets.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"url": sim.URL + "/", "account_id": 1, "bot_token": token, "inbox_id": inbox})
	stored, err := chatwoot.Driver{}.Setup(raw, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := chatwoot.Driver{}.Open(stored, ring, "channel:c1")
	if err != nil {
		t.Fatal(err)
	}
	return conn, stored
}

func TestSetupSealsAndRegisterChecksTheToken(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	conn, stored := open(t, sim, chatwootsim.DefaultBot.Token, 0)
	if strings.Contains(string(stored), chatwootsim.DefaultBot.Token) || !strings.Contains(string(stored), `"url_token":"`) {
		t.Fatalf("stored settings show the token or lack the URL's token: %s", stored)
	}
	pub, _ := chatwoot.Driver{}.Public(stored)
	if len(pub) != 2 || pub["url"] != sim.URL || pub["account_id"] != int64(1) {
		t.Fatalf("public settings: %v", pub)
	}
	if tk := conn.(channel.URLTokener).URLToken(); len(tk) < 40 {
		t.Fatalf("the URL's token is weak: %q", tk)
	}
	ctx := context.Background()
	if err := conn.(channel.Registrar).Register(ctx, ""); err != nil {
		t.Fatalf("the bot's own token: %v", err)
	}
	bad, _ := open(t, sim, "not-the-token", 0)
	if err := bad.(channel.Registrar).Register(ctx, ""); switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), "bot_token was refused") {
		t.Fatalf("a wrong token: %v", err)
	}
	// Bad settings are refused, naming the setting.
	ring, _ := secrets.New(secrets.NewKey())
	for raw, want := range map[string]string{
		`{}`: "chatwoot.url is missing",
		`{"url":"ftp://x","account_id":1,"bot_token":"t"}`:                   "chatwoot.url",
		`{"url":"https://x","bot_token":"t"}`:                                "chatwoot.account_id",
		`{"url":"https://x","account_id":1}`:                                 "chatwoot.bot_token",
		`{"url":"https://x","account_id":1,"bot_token":"t","inbox_id":-1}`:   "chatwoot.inbox_id",
		`{"url":"https://x","account_id":1,"bot_token":"t","url_token":"x"}`: "chatwoot.url_token is not a setting",
		`{"url":"https://x","account_id":1,"bot_token":"t","colour":"red"}`:  "unknown field",
	} {
		_, err := chatwoot.Driver{}.Setup(json.RawMessage(raw), ring, "channel:c2")
		if switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("Setup(%s) = %v, want EINVALID with %q", raw, err, want)
		}
	}
}

// event is an agent bot event of conversation 7 in inbox 3.
func event(name, messageType, status string, extra string) []byte {
	return []byte(fmt.Sprintf(`{"event":%q,"id":41,"content":"hello","message_type":%q,"private":false,%s
		"sender":{"id":5,"name":"Ada Lovelace","email":"ada@example.com","phone_number":null,"type":"contact","custom_attributes":{"plan":"gold"}},
		"inbox":{"id":3,"name":"Website"},"account":{"id":1},"conversation":{"id":7,"status":%q,"channel":"Channel::WebWidget"}}`, name, messageType, extra, status))
}

func TestParseGivesTurnsToPendingConversationsOnly(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	conn, _ := open(t, sim, chatwootsim.DefaultBot.Token, 3)
	items, err := conn.Parse(event("message_created", "incoming", "pending", ""))
	if err != nil || len(items) != 1 {
		t.Fatalf("a contact's message: %+v %v", items, err)
	}
	it := items[0]
	var meta map[string]any
	_ = json.Unmarshal(it.Metadata, &meta)
	if it.UserID != "7" || it.ID != "41" || string(it.Payload.Content) != `{"text":"hello"}` || meta["firstname"] != "Ada" || meta["lastname"] != "Lovelace" ||
		meta["email"] != "ada@example.com" || meta["phone_number"] != nil || fmt.Sprint(meta["custom_attributes"]) != "map[plan:gold]" ||
		fmt.Sprint(meta["inbox"]) != "map[channel:Channel::WebWidget id:3 name:Website]" || meta["contact"] == nil || meta["conversation"] == nil {
		t.Fatalf("the item: %+v %s", it, it.Metadata)
	}
	// The contact choosing an option: its value as a payload.
	items, _ = conn.Parse(event("message_updated", "outgoing", "pending", `"content_attributes":{"items":[{"title":"Yes","value":"YES"}],"submitted_values":[{"title":"Yes","value":"YES"}]},`))
	if len(items) != 1 || items[0].ID != "submitted:41" || items[0].Payload.ContentType != "payload" || string(items[0].Payload.Content) != `{"payload":"YES","title":"Yes"}` {
		t.Fatalf("a choice: %+v", items)
	}
	// An agent has the conversation (open), or had it (resolved): the
	// contact's message and choice are for the livechat session only.
	for _, status := range []string{"open", "resolved"} {
		items, _ := conn.Parse(event("message_created", "incoming", status, ""))
		choice, _ := conn.Parse(event("message_updated", "outgoing", status, `"content_attributes":{"submitted_values":[{"title":"End","value":"LIVECHAT_SESSION_END"}]},`))
		if len(items) != 1 || !items[0].SessionOnly || len(choice) != 1 || !choice[0].SessionOnly || string(choice[0].Payload.Content) != `{"payload":"LIVECHAT_SESSION_END","title":"End"}` {
			t.Errorf("%s: %+v %+v, want items for the session only", status, items, choice)
		}
	}
	// An agent's public message: an agent item, whatever the status.
	agentSays := strings.Replace(string(event("message_created", "outgoing", "open", "")), `"type":"contact"`, `"type":"user"`, 1)
	agentSays = strings.Replace(agentSays, `"content":"hello"`, `"content":"Bye!\n\nLIVECHAT_SESSION_END"`, 1)
	if items, err := conn.Parse([]byte(agentSays)); err != nil || len(items) != 1 || items[0].Kind != channel.ItemAgent || items[0].ID != "agent:41" ||
		string(items[0].Payload.Content) != `{"text":"Bye!\n\nLIVECHAT_SESSION_END"}` || string(items[0].Metadata) != `{"id":"5","name":"Ada Lovelace"}` {
		t.Fatalf("an agent's message: %+v %v", items, err)
	}
	// The conversation resolved: once per change, by either event.
	resolved := func(name string, at float64) []channel.Item {
		items, err := conn.Parse([]byte(fmt.Sprintf(`{"event":%q,"id":7,"inbox_id":3,"account_id":1,"status":"resolved","updated_at":%v,"channel":"Channel::WebWidget"}`, name, at)))
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	a, b, c := resolved("conversation_resolved", 1765100000.25), resolved("conversation_status_changed", 1765100000.25), resolved("conversation_resolved", 1765100100.5)
	if len(a) != 1 || a[0].Kind != channel.ItemClosed || a[0].UserID != "7" || len(b) != 1 || b[0].DedupID() != a[0].DedupID() || len(c) != 1 || c[0].DedupID() == a[0].DedupID() {
		t.Fatalf("resolutions: %+v %+v %+v", a, b, c)
	}
	// No item: the message is the bot's or a note, another inbox or
	// account, an update without a choice, a conversation event that is
	// not a resolution.
	for what, body := range map[string][]byte{
		"the bot's":                 []byte(strings.Replace(string(event("message_created", "outgoing", "pending", "")), `"type":"contact"`, `"type":"agent_bot"`, 1)),
		"outgoing":                  event("message_created", "outgoing", "pending", ""),
		"note":                      []byte(strings.Replace(string(event("message_created", "incoming", "pending", "")), `"private":false`, `"private":true`, 1)),
		"another inbox":             []byte(strings.Replace(string(event("message_created", "incoming", "pending", "")), `"id":3`, `"id":4`, 1)),
		"another account":           []byte(strings.Replace(string(event("message_created", "incoming", "pending", "")), `"account":{"id":1}`, `"account":{"id":2}`, 1)),
		"update":                    event("message_updated", "outgoing", "pending", ""),
		"resolution":                event("conversation_resolved", "", "resolved", ""),
		"opened":                    []byte(`{"event":"conversation_opened","id":7,"inbox_id":3,"account_id":1,"status":"open"}`),
		"resolved in another inbox": []byte(`{"event":"conversation_resolved","id":7,"inbox_id":4,"account_id":1,"status":"resolved"}`),
	} {
		if items, err := conn.Parse(body); err != nil || len(items) != 0 {
			t.Errorf("%s: %+v %v, want no item", what, items, err)
		}
	}
	for _, body := range []string{`{"id":1}`, `[1]`} {
		if _, err := conn.Parse([]byte(body)); err == nil {
			t.Errorf("parse %s: want an error", body)
		}
	}
}

func TestRenderUsesChatwootContentTypes(t *testing.T) {
	sim := simtest.Start(t, chatwootsim.Start, chatwootsim.Config{})
	conn, _ := open(t, sim, chatwootsim.DefaultBot.Token, 0)
	render := func(kind string, content any) string {
		raw, _ := json.Marshal(content)
		m := switchboard.Message{ID: 9, Payload: switchboard.Payload{ContentType: kind, Content: raw}}
		natives, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(natives)
		return string(out)
	}
	buttons := func(n int) []map[string]string {
		var bs []map[string]string
		for i := 1; i <= n; i++ {
			bs = append(bs, map[string]string{"title": fmt.Sprint("Option ", i), "payload": fmt.Sprint("P", i)})
		}
		return bs
	}
	for _, c := range []struct {
		kind    string
		content any
		want    string
	}{
		{"text", map[string]string{"text": "Hi"}, `[{"kind":"text","body":{"content":"Hi"}}]`},
		{"question", map[string]any{"title": "Pick", "buttons": buttons(2)},
			`[{"kind":"input_select","body":{"content":"Pick","content_attributes":{"items":[{"title":"Option 1","value":"P1"},{"title":"Option 2","value":"P2"}]},"content_type":"input_select"}}]`},
		{"url", map[string]string{"url": "https://example.com/a", "text": "Read"}, `[{"kind":"article","body":{"content":"Read","content_attributes":{"items":[{"description":"","link":"https://example.com/a","title":"Read"}]},"content_type":"article"}}]`},
		{"image", map[string]string{"url": "https://example.com/i.png"}, `"content_type":"cards"`},
		{"typing", map[string]int{"duration": 1000}, `null`},
	} {
		if got := render(c.kind, c.content); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s, want %s", c.kind, got, c.want)
		}
	}
	// Beyond 10 options: numbered text, as on every channel.
	if got := render("question", map[string]any{"title": "Pick", "buttons": buttons(11)}); !strings.Contains(got, `"kind":"text"`) || !strings.Contains(got, "11") {
		t.Errorf("11 buttons: %s", got)
	}
}

// pending is a simulator with the agent bot on an inbox of channelType,
// a conversation Ada started there (pending), and the channel of that
// inbox.
func pending(t *testing.T, cfg chatwootsim.Config, channelType string) (sim *chatwootsim.Server, inbox, conv int64, conn channel.Conn) {
	t.Helper()
	sim = simtest.Start(t, chatwootsim.Start, cfg)
	inbox = sim.AddInbox("Website", channelType)
	if err := sim.ConnectBot(chatwootsim.DefaultBot.ID, "http://127.0.0.1:9/unused", inbox); err != nil {
		t.Fatal(err)
	}
	conv, err := sim.ContactWrites(inbox, chatwootsim.Contact{Name: "Ada"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	conn, _ = open(t, sim, chatwootsim.DefaultBot.Token, inbox)
	return sim, inbox, conv, conn
}

func TestSendPostsAsTheAgentBotWithErrorsClassified(t *testing.T) {
	sim, inbox, conv, conn := pending(t, chatwootsim.Config{}, "Channel::WebWidget")
	ctx := context.Background()
	to := fmt.Sprint(conv)
	options := channel.Native{Kind: "input_select", Body: map[string]any{"content": "Pick", "content_type": "input_select",
		"content_attributes": map[string]any{"items": []map[string]string{{"title": "Yes", "value": "YES"}}}}}
	id, err := conn.Send(ctx, to, options)
	if err != nil || id == "" {
		t.Fatalf("send: %q %v", id, err)
	}
	var last chatwootsim.Message
	for _, cv := range sim.Conversations() {
		if cv.DisplayID == conv {
			last = cv.Messages[len(cv.Messages)-1]
		}
	}
	if fmt.Sprint(last.ID) != id || last.SenderType != "AgentBot" || last.ContentType != "input_select" || last.MessageType != chatwootsim.TypeOutgoing {
		t.Fatalf("the message in Chatwoot: %+v", last)
	}
	// Options without values: Chatwoot refuses them, for good.
	broken := channel.Native{Kind: "input_select", Body: map[string]any{"content": "Pick", "content_type": "input_select", "content_attributes": map[string]any{"items": []map[string]string{{"title": "Yes"}}}}}
	if _, err := conn.Send(ctx, to, broken); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "422") {
		t.Fatalf("an input_select without values: %v", err)
	}
	if _, err := conn.Send(ctx, "9999", options); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("an unknown conversation: %v", err)
	}
	bad, _ := open(t, sim, "not-the-token", inbox)
	if _, err := bad.Send(ctx, to, options); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "not-the-token") {
		t.Fatalf("a refused token: %v", err)
	}
	sim.SetOutage(true)
	if _, err := conn.Send(ctx, to, options); err == nil || channel.IsPermanent(err) {
		t.Fatalf("an outage must be retried: %v", err)
	}
}

func TestHandOverRoutesAndOpensHandBackPends(t *testing.T) {
	sim, inbox, conv, conn := pending(t, chatwootsim.Config{Teams: []chatwootsim.Team{{ID: 4, AccountID: 1, Name: "Billing"}}}, "Channel::Whatsapp")
	h := conn.(channel.Handover)
	ctx := context.Background()
	to := fmt.Sprint(conv)
	snapshot := func() chatwootsim.Conversation {
		for _, cv := range sim.Conversations() {
			if cv.DisplayID == conv {
				return cv
			}
		}
		t.Fatalf("no conversation %d", conv)
		return chatwootsim.Conversation{}
	}
	// The routing the bot remembered: labels, priority, the team by id.
	if err := h.HandOver(ctx, to, switchboard.Routing{Team: "4", Priority: "urgent", Tags: []string{"Late Order"}}); err != nil {
		t.Fatal(err)
	}
	if cv := snapshot(); cv.Status != "open" || cv.TeamID != 4 || cv.Priority != "urgent" || fmt.Sprint(cv.Labels) != "[late-order]" {
		t.Fatalf("after the handover: %+v", cv)
	}
	// Again (a retry): the same.
	if err := h.HandOver(ctx, to, switchboard.Routing{Team: "4"}); err != nil || snapshot().Status != "open" {
		t.Fatalf("a retried handover: %v %+v", err, snapshot())
	}
	if err := h.HandBack(ctx, to); err != nil || snapshot().Status != "pending" {
		t.Fatalf("the hand-back: %v %+v", err, snapshot())
	}
	// A team by name (the agent bot may not list teams) or one the account
	// lacks is left out: the contact still gets the agents.
	for _, team := range []string{"billing", "99"} {
		_ = h.HandBack(ctx, to)
		if err := h.HandOver(ctx, to, switchboard.Routing{Team: team}); err != nil || snapshot().Status != "open" {
			t.Fatalf("team %q: %v %+v", team, err, snapshot())
		}
	}
	if err := h.HandOver(ctx, "9999", switchboard.Routing{Team: "4"}); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("an unknown conversation: %v", err)
	}
	bad, _ := open(t, sim, "not-the-token", inbox)
	if err := bad.(channel.Handover).HandBack(ctx, to); !channel.IsPermanent(err) || !strings.Contains(err.Error(), "401") {
		t.Fatalf("a refused token: %v", err)
	}
	sim.SetOutage(true)
	if err := h.HandBack(ctx, to); err == nil || channel.IsPermanent(err) {
		t.Fatalf("an outage must be retried: %v", err)
	}
}
