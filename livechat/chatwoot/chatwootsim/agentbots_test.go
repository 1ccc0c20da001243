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
