// Command chatwoot measures switchboard's Chatwoot relay in both directions
// while many sessions are live on a simulated Chatwoot instance:
//
//   - user → Chatwoot: from the event a chat page sends over its WebSocket
//     to the incoming message stored in the conversation (the simulator's
//     OnMessage hook): engine, outbox, driver, one API call;
//   - agent → user: from the moment the simulator's inbox webhook calls
//     switchboard for an agent's reply to the WebSocket frame that brings it
//     to the user's page: receive, outbox job, read-back of the messages
//     from the API, engine, push. The simulator's own queueing before that
//     call is reported apart ("all").
//
// It starts the simulator (no rate limit, no chaos, webhook calls made 64
// at a time) and a switchboard server with the demo bot in this process
// (SQLite in a temporary folder, loopback only); saving the bot's settings
// makes the inbox and its webhook. It opens the sessions as chat pages do,
// then for -duration has every user and every agent write once per
// -interval, spread out at random. The poll of live sessions runs as in
// production (every 30 s).
//
//	go run ./bench/chatwoot -sessions 500 -duration 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"switchboard/bench/internal/loadtest"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

func main() {
	sessions := flag.Int("sessions", 500, "livechat sessions live at once")
	duration := flag.Duration("duration", 20*time.Second, "how long users and agents write")
	interval := flag.Duration("interval", 5*time.Second, "time between two messages of one user (and of one agent)")
	flag.Parse()
	if err := run(*sessions, *duration, *interval); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(sessions int, duration, interval time.Duration) error {
	ctx := context.Background()
	relay := loadtest.NewRelay(sessions, duration, interval, "Chatwoot", "conversation")
	sim, err := chatwootsim.Start("", chatwootsim.Config{DeliveryWorkers: 64, OnMessage: func(m chatwootsim.Message) {
		if m.MessageType == chatwootsim.TypeIncoming {
			relay.UserArrived(m.Text())
		}
	}})
	if err != nil {
		return err
	}
	defer sim.Close()

	srv, err := loadtest.StartWith(ctx, &livechat.Settings{Platform: livechat.PlatformChatwoot, Chatwoot: &livechat.ChatwootSettings{
		URL: sim.URL, AccessToken: chatwootsim.DefaultUser.Token,
	}})
	if err != nil {
		return err
	}
	defer srv.Stop()
	if len(sim.Inboxes()) != 1 {
		return fmt.Errorf("saving the settings made %d inboxes", len(sim.Inboxes()))
	}
	users, err := relay.Open(ctx, srv)
	defer relay.Close()
	if err != nil {
		return err
	}
	conversations, err := waitConversations(sim, sessions)
	if err != nil {
		return err
	}
	if err := srv.WaitOutbox(ctx); err != nil {
		return err
	}
	fmt.Printf("%d sessions live with their Chatwoot conversations; users and agents write every %s each, for %s\n", sessions, interval, duration)
	relay.Run(ctx, func(i int, text string) error {
		_, err := sim.Reply(conversations[users[i]], text)
		return err
	})
	return relay.Report(fromWebhook(sim, relay))
}

// fromWebhook measures each agent reply from the start of the webhook call
// that announced it, which leaves out the simulator's queueing.
func fromWebhook(sim *chatwootsim.Server, relay *loadtest.Relay) loadtest.Summary {
	var lat loadtest.Latencies
	started := map[string]time.Time{}
	for _, d := range sim.Deliveries() {
		if _, ok := started[d.ObjectID]; !ok && d.EventType == "message_created" {
			started[d.ObjectID] = d.Started
		}
	}
	for _, cv := range sim.Conversations() {
		for _, m := range cv.Messages {
			t1, ok := relay.Received(m.Text())
			t0, sent := started[fmt.Sprint(m.ID)]
			if ok && sent && m.SenderType == "User" && !m.Private {
				lat.Add(t1.Sub(t0))
			}
		}
	}
	return lat.Summary()
}

// waitConversations waits for every session's conversation and maps users
// to conversations, by the user id switchboard gives the contact.
func waitConversations(sim *chatwootsim.Server, n int) (map[string]int64, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		user := map[int64]string{}
		for _, c := range sim.Contacts() {
			sb, _ := c.AdditionalAttributes["switchboard"].(map[string]any)
			if id, ok := sb["user_id"].(string); ok {
				user[c.ID] = id
			}
		}
		out := map[string]int64{}
		for _, cv := range sim.Conversations() {
			if u, ok := user[cv.ContactID]; ok {
				out[u] = cv.DisplayID
			}
		}
		if len(out) == n {
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d of %d conversations opened", len(out), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
