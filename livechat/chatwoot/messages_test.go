package chatwoot

import (
	"fmt"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestMessagesAreReadBackPageByPage reads a conversation longer than a page:
// all of it, oldest first, or only back to a message already known.
func TestMessagesAreReadBackPageByPage(t *testing.T) {
	sim, err := chatwootsim.Start("", chatwootsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	c := New(Options{})
	s, err := c.Check(t.Context(), livechat.CheckRequest{BotID: "b", Settings: livechat.Settings{Token: "t", Chatwoot: &livechat.ChatwootSettings{URL: sim.URL, AccessToken: chatwootsim.DefaultUser.Token}}, PublicURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := accountOf(s.Resolve())
	contact, err := c.contactFor(t.Context(), a, sessionOf("s1"), livechat.UserInfo{Name: "Ada"}, "bot", "webapp")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := c.createConversation(t.Context(), a, livechat.OpenRequest{Session: sessionOf("s1")}, contact, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 45 {
		if _, err := sim.Reply(conv, fmt.Sprint("m", i)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := c.messages(t.Context(), a, conv, nil)
	if err != nil || len(all) != 45 || all[0].Content != "m0" || all[44].Content != "m44" {
		t.Fatalf("read %d messages (%v), want 45 oldest first", len(all), err)
	}
	before := sim.Requests()
	recent, err := c.messages(t.Context(), a, conv, func(m Message) bool { return m.ID == all[30].ID })
	if err != nil || len(recent) != 20 || recent[19].Content != "m44" || sim.Requests()-before != 1 {
		t.Errorf("read %d messages in %d requests back to a known one (%v), want the last page only", len(recent), sim.Requests()-before, err)
	}
}

func sessionOf(id string) switchboard.Session {
	return switchboard.Session{ID: id, Client: switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: id}}
}
