// Command gorgias measures switchboard's Gorgias relay in both directions
// while many sessions are live on a simulated Gorgias account:
//
//   - user → Gorgias: from the event a chat page sends over its WebSocket to
//     the message stored on the ticket (the simulator's OnMessage hook):
//     engine, outbox, driver, one API call;
//   - agent → user: from the moment the simulator's HTTP integration calls
//     switchboard for an agent's reply to the WebSocket frame that brings it
//     to the user's page: receive, outbox job, read-back from the API,
//     engine, push. The simulator's own queueing before that call is
//     reported apart ("simulator delay").
//
// It starts the simulator (no rate limit, no chaos, calls made 64 at a
// time) and a switchboard server with the demo bot in this process (SQLite
// in a temporary folder, loopback only), opens the sessions as chat pages
// do, then for -duration has every user and every agent write once per
// -interval, spread out at random.
//
//	go run ./bench/gorgias -sessions 500 -duration 20s
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
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
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
	relay := loadtest.NewRelay(sessions, duration, interval, "Gorgias", "ticket")
	sim, err := gorgiassim.Start("", gorgiassim.Config{RateLimit: -1, DeliveryWorkers: 64, OnMessage: func(m gorgiassim.Message) {
		if !m.FromAgent {
			relay.UserArrived(m.Text())
		}
	}})
	if err != nil {
		return err
	}
	defer sim.Close()

	srv, err := startSwitchboard(ctx, sim)
	if err != nil {
		return err
	}
	defer srv.Stop()
	users, err := relay.Open(ctx, srv)
	defer relay.Close()
	if err != nil {
		return err
	}
	tickets, err := waitTickets(sim, sessions)
	if err != nil {
		return err
	}
	if err := srv.WaitOutbox(ctx); err != nil {
		return err
	}
	fmt.Printf("%d sessions live with their Gorgias tickets; users and agents write every %s each, for %s\n", sessions, interval, duration)
	relay.Run(ctx, func(i int, text string) error {
		_, err := sim.Reply(tickets[users[i]], text)
		return err
	})
	return relay.Report(fromWebhook(sim, relay))
}

// fromWebhook measures each agent reply from the start of the webhook call
// that announced it, which leaves out the simulator's queueing.
func fromWebhook(sim *gorgiassim.Server, relay *loadtest.Relay) loadtest.Summary {
	var lat loadtest.Latencies
	started := map[string]time.Time{}
	for _, d := range sim.Deliveries() {
		if _, ok := started[d.ObjectID]; !ok && d.EventType == "ticket-message-created" {
			started[d.ObjectID] = d.Started
		}
	}
	for _, tk := range sim.Tickets() {
		for _, m := range tk.Messages {
			t1, ok := relay.Received(m.Text())
			t0, sent := started[fmt.Sprint(m.ID)]
			if ok && sent && m.FromAgent {
				lat.Add(t1.Sub(t0))
			}
		}
	}
	return lat.Summary()
}

// waitTickets waits for every session's ticket and maps users to tickets.
func waitTickets(sim *gorgiassim.Server, n int) (map[string]int64, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out := map[string]int64{}
		for _, tk := range sim.Tickets() {
			sb, _ := tk.Meta["switchboard"].(map[string]any)
			if user, ok := sb["user_id"].(string); ok {
				out[user] = tk.ID
			}
		}
		if len(out) == n {
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d of %d tickets opened", len(out), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startSwitchboard starts switchboard with the demo bot handing over to the
// simulator, and creates the simulator's HTTP integration with its URL.
func startSwitchboard(ctx context.Context, sim *gorgiassim.Server) (*loadtest.Server, error) {
	srv, err := loadtest.StartWith(ctx, &livechat.Settings{Platform: livechat.PlatformGorgias, Gorgias: &livechat.GorgiasSettings{
		Domain: sim.URL, Username: gorgiassim.DefaultUser.Email, APIKey: gorgiassim.DefaultUser.APIKey,
	}})
	if err != nil {
		return nil, err
	}
	token, err := srv.App.Livechat.Token(ctx, "livechat-demo")
	if err == nil {
		_, err = sim.AddIntegration(gorgiassim.HTTPHooks{URL: gorgias.ReceiveURL(srv.URL(), token)})
	}
	if err != nil {
		srv.Stop()
		return nil, err
	}
	return srv, nil
}
