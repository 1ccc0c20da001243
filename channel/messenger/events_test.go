package messenger_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/messenger"
)

// TestEventsThatAreNotTheUsersWords: reactions, edits, unsent messages,
// echoes of the page's messages and handover notices that the simulator
// posts, signed, parse into no message for the bot; the user's text and
// the receipt of the page's message do.
func TestEventsThatAreNotTheUsersWords(t *testing.T) {
	for _, instagram := range []bool{false, true} {
		sim, settings := startSim(t, instagram)
		raw, _ := json.Marshal(settings)
		d := messenger.Driver{Instagram: instagram}
		stored, _ := d.Setup(raw, channeltest.PlainSealer{}, "p")
		conn, _ := d.Open(stored, channeltest.PlainSealer{}, "p")
		var mu sync.Mutex
		var items []channel.Item
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				a, _ := conn.Handshake(r.URL.Query())
				_, _ = io.WriteString(w, a)
				return
			}
			body, _ := io.ReadAll(r.Body)
			if err := conn.Verify(r.Header, body); err != nil {
				t.Errorf("a delivery of the simulator: %v", err)
			}
			got, err := conn.Parse(body)
			if err != nil {
				t.Errorf("Parse: %v", err)
			}
			mu.Lock()
			items = append(items, got...)
			mu.Unlock()
		}))
		t.Cleanup(srv.Close)
		if err := sim.Subscribe(t.Context(), srv.URL); err != nil {
			t.Fatal(err)
		}
		const user = "6100000000000077"
		mid, _ := sim.UserText(user, "Ada", "hi")
		natives, _ := conn.Render(channel.ReadComponent(textMessage("hello"), conn.Limits()), channel.Outgoing{})
		sent, err := conn.Send(t.Context(), user, natives[0]) // its echo and delivery come back
		if err != nil {
			t.Fatal(err)
		}
		sim.UserReact(user, sent, "❤")
		sim.UserEdit(user, mid, "hi there")
		sim.UserUnsend(user, mid)
		sim.InboxTake(user)
		sim.InboxReply(user, "Hello from the inbox")
		sim.InboxDone(user)
		if err := sim.WaitDeliveries(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		var messages, receipts int
		for _, it := range items {
			switch {
			case it.Kind == channel.ItemMessage && it.ID == mid:
				messages++
			case it.Kind == channel.ItemStatus && it.ID == sent:
				receipts++
			default:
				t.Errorf("instagram=%v: an item that is not the user's words: %+v", instagram, it)
			}
		}
		mu.Unlock()
		if messages != 1 || receipts == 0 {
			t.Errorf("instagram=%v: %d messages and %d receipts, want 1 and some", instagram, messages, receipts)
		}
	}
}
