package chatwootsim

import (
	"fmt"
	"strings"
	"testing"
)

func TestAgentBotGetsItsInboxEventsAndItsPendingConversations(t *testing.T) {
	s, c := start(t, Config{})
	rc := newReceiver(t)
	widget := s.AddInbox("Website", "Channel::WebWidget")
	if err := s.ConnectBot(DefaultBot.ID, rc.URL+"/bot?token=T", widget); err != nil {
		t.Fatal(err)
	}
	if err := s.ConnectBot(99, rc.URL, widget); err == nil {
		t.Fatal("an unknown bot was connected")
	}
	conv, err := s.ContactWrites(widget, Contact{Name: "Ada"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ContactWrites(widget, Contact{Name: "Ada"}, "still there?"); again != conv {
		t.Fatalf("a second message made conversation %d, want %d", again, conv)
	}
	bot := c.as(DefaultBot.Token)
	path := fmt.Sprintf("/api/v1/accounts/1/conversations/%d", conv)
	// An input_select must have items of a title and a value.
	for _, attrs := range []map[string]any{{}, {"items": []map[string]string{{"title": "Yes"}}}} {
		if st, out := bot.do("POST", path+"/messages", map[string]any{"content": "Pick", "content_type": "input_select", "content_attributes": attrs}); st != 422 {
			t.Fatalf("input_select with %v: %d %v, want 422", attrs, st, out)
		}
	}
	st, out := bot.do("POST", path+"/messages", map[string]any{"content": "Pick", "content_type": "input_select",
		"content_attributes": map[string]any{"items": []map[string]string{{"title": "Yes", "value": "YES"}}}})
	if st != 200 {
		t.Fatalf("input_select: %d %v", st, out)
	}
	mid := int64(obj(out, "id").(float64))
	if err := s.Submit(1, conv, mid, "NO"); err == nil {
		t.Fatal("a value the message does not offer was submitted")
	}
	if err := s.Submit(1, conv, mid, "YES"); err != nil {
		t.Fatal(err)
	}
	// The contact writes from the console; an agent takes the conversation,
	// gives it back to the bot, and resolves it.
	if _, err := s.Act(conv, Action{Kind: ActContact, Text: "thanks"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(conv, Action{Kind: ActReopen}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(conv, Action{Kind: ActPending}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(conv, Action{Kind: ActResolve}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s)
	got := strings.Join(rc.events(), ",")
	want := "message_created:incoming,message_created:incoming,message_created:outgoing,message_updated:outgoing,message_created:incoming," +
		"conversation_status_changed,conversation_opened,conversation_status_changed,conversation_status_changed,conversation_resolved"
	if got != want {
		t.Fatalf("the bot's events:\n%s\nwant\n%s", got, want)
	}
	bodies := rc.bodies()
	if cv := bodies[0]["conversation"].(map[string]any); cv["status"] != "pending" || bodies[0]["sender"].(map[string]any)["type"] != "contact" {
		t.Fatalf("the first event: %v", bodies[0])
	}
	if sv := fmt.Sprint(bodies[3]["content_attributes"].(map[string]any)["submitted_values"]); sv != "[map[title:Yes value:YES]]" {
		t.Fatalf("submitted_values: %s", sv)
	}
}

func TestAgentBotEndpointsAndToggles(t *testing.T) {
	s, c := start(t, Config{Teams: []Team{{ID: 4, AccountID: 1, Name: "Billing"}}})
	rc := newReceiver(t)
	inbox := s.AddInbox("WhatsApp", "Channel::Whatsapp")
	if err := s.ConnectBot(DefaultBot.ID, rc.URL+"/bot", inbox); err != nil {
		t.Fatal(err)
	}
	conv, err := s.ContactWrites(inbox, Contact{Name: "Ada"}, "hello")
	if err != nil {
		t.Fatal(err)
	}
	bot := c.as(DefaultBot.Token)
	path := fmt.Sprintf("/api/v1/accounts/1/conversations/%d", conv)
	// What the latest Chatwoot lets an agent bot call, and what not.
	for _, call := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"POST", path + "/labels", map[string]any{"labels": []string{"vip"}}, 200},
		{"POST", path + "/toggle_priority", map[string]any{"priority": "high"}, 200},
		{"POST", path + "/assignments", map[string]any{"team_id": 4}, 200},
		{"GET", path, nil, 200},
		{"GET", path + "/messages", nil, 401},
		{"GET", "/api/v1/accounts/1/teams", nil, 401},
		{"POST", path + "/toggle_status", map[string]any{"status": "closed"}, 422},
	} {
		if st, out := bot.do(call.method, call.path, call.body); st != call.want {
			t.Errorf("%s %s: %d %v, want %d", call.method, call.path, st, out, call.want)
		}
	}
	if st, out := c.as("nope").do("POST", path+"/toggle_status", map[string]any{"status": "open"}); st != 401 || obj(out, "error") != "Invalid Access Token" {
		t.Fatalf("a wrong token: %d %v", st, out)
	}
	st, out := bot.do("POST", path+"/toggle_status", map[string]any{"status": "open"})
	if st != 200 || obj(obj(out, "payload"), "current_status") != "open" {
		t.Fatalf("toggle to open: %d %v", st, out)
	}
	if st, _ := bot.do("POST", path+"/toggle_status", map[string]any{"status": "pending"}); st != 200 {
		t.Fatalf("toggle to pending: %d", st)
	}
	waitIdle(t, s)
	// Each change reaches the agent bot as conversation_status_changed,
	// with what changed and when, and opening as conversation_opened.
	var got []string
	for _, b := range rc.bodies() {
		switch b["event"] {
		case "conversation_status_changed":
			ch := fmt.Sprint(b["changed_attributes"])
			if _, ok := b["updated_at"].(float64); !ok {
				t.Errorf("conversation_status_changed without updated_at: %v", b)
			}
			got = append(got, "changed:"+ch)
		case "conversation_opened":
			got = append(got, "opened")
		}
	}
	want := "[changed:[map[status:map[current_value:open previous_value:pending]]] opened changed:[map[status:map[current_value:pending previous_value:open]]]]"
	if fmt.Sprint(got) != want {
		t.Fatalf("the bot's conversation events:\n%v\nwant\n%s", got, want)
	}
}
