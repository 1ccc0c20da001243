// Command whatsapp measures a WhatsApp customer's turn through switchboard:
// from the moment the simulator's webhook call carrying the customer's
// message starts to the moment the Graph API (the simulator) accepts the
// bot's reply: signature, durable record, outbox job, engine, render, one
// send call. "all" counts from the customer's message in the simulator,
// which adds the simulator's own queueing.
//
// It starts the switchboard binary (a process of its own, SQLite or
// PostgreSQL, EchoBot) and the WhatsApp simulator in this process (no
// batching, no chaos, webhook calls 64 at a time, statuses sent and
// delivered posted back as Meta does); the WhatsApp channel is made with the
// admin API and subscribed with the simulator's handshake. Every customer
// writes once first (making their client), then customers write -rate
// messages a second in all, round robin, for -duration. The CPU of the
// server's process and of this one (the simulator and its customers) are
// read apart from /proc.
//
//	go build -o /tmp/switchboard ./cmd/switchboard
//	go run ./bench/whatsapp -binary /tmp/switchboard -rate 500 -duration 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/bench/internal/loadtest"
	"switchboard/channel/whatsapp/whatsappsim"
)

func main() {
	binary := flag.String("binary", "", "the switchboard binary to start (go build -o /tmp/switchboard ./cmd/switchboard)")
	database := flag.String("database", "", "a PostgreSQL URL to run the server on (default SQLite)")
	customers := flag.Int("customers", 500, "customers writing, round robin")
	rate := flag.Int("rate", 500, "messages a second, all customers together")
	duration := flag.Duration("duration", 20*time.Second, "how long customers write")
	flag.Parse()
	if *binary == "" || *customers <= 0 || *rate <= 0 || *duration <= 0 {
		log.Fatal("whatsapp: -binary is required (go build -o /tmp/switchboard ./cmd/switchboard); -customers, -rate and -duration must be positive")
	}
	if err := run(*binary, *database, *customers, *rate, *duration); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// turn is one customer message and when its reply came.
type turn struct {
	wamid   string
	written time.Time
}

func run(binary, database string, customers, rate int, duration time.Duration) error {
	ctx := context.Background()
	sim, srv, err := setUp(ctx, binary, database)
	if err != nil {
		return err
	}
	defer sim.Close()
	defer srv.Stop()

	var mu sync.Mutex
	turns := map[string]turn{} // token -> the message
	var failed atomic.Int64
	write := func(n int) {
		waID := fmt.Sprintf("3361%07d", n%customers)
		tok := fmt.Sprintf("m%07d", n)
		at := time.Now()
		id, err := sim.CustomerText(ctx, waID, "Customer "+waID[4:], tok)
		if err != nil {
			failed.Add(1)
			return
		}
		mu.Lock()
		turns[tok] = turn{wamid: id, written: at}
		mu.Unlock()
	}
	// Every customer writes once: switchboard makes their client then.
	for i := range customers {
		write(i)
	}
	if err := waitReplies(ctx, sim, customers, time.Minute); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	warm := customers

	total := rate * int(duration/time.Second)
	fmt.Printf("%d WhatsApp customers; %d messages a second for %s (%d messages)\n", customers, rate, duration, total)
	probe := srv.Probe()
	before := probe.Sample()
	load0 := loadAvg()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range total {
		time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))))
		wg.Go(func() { write(warm + i) })
	}
	wg.Wait()
	sent := time.Since(start)
	err = waitReplies(ctx, sim, warm+total, 2*time.Minute)
	after := probe.Sample()
	if err != nil {
		return err
	}
	cpu := loadtest.CPUBetween(before, after)

	started := map[string]time.Time{}
	for _, d := range sim.Deliveries() {
		for _, id := range strings.Split(d.ObjectID, ",") {
			if t, ok := started[id]; !ok || d.Started.Before(t) {
				started[id] = d.Started
			}
		}
	}
	var fromHook, all loadtest.Latencies
	replies := 0
	for _, cv := range sim.Conversations() {
		for _, e := range cv.Entries {
			if e.Out == nil {
				continue
			}
			tok := strings.TrimPrefix(e.Out.Text, "You said ")
			t, ok := turns[tok]
			if !ok || tok < fmt.Sprintf("m%07d", warm) {
				continue
			}
			replies++
			if s, ok := started[t.wamid]; ok {
				fromHook.Add(e.Out.Time.Sub(s))
			}
			all.Add(e.Out.Time.Sub(t.written))
		}
	}
	fmt.Printf("sent in %s (%.0f/s); %d replies, %d writes refused\n", sent.Round(time.Millisecond), float64(total)/sent.Seconds(), replies, failed.Load())
	fmt.Printf("webhook call → reply accepted: %s\n", fromHook.Summary())
	fmt.Printf("customer writes → reply accepted (all): %s\n", all.Summary())
	fmt.Printf("%s (load tool = the simulator and its customers) %s\n", cpu, cpu.PerOp(int64(total), "turn"))
	fmt.Printf("load average before %s, after %s\n", load0, loadAvg())
	if replies != total {
		return fmt.Errorf("%d replies to %d messages", replies, total)
	}
	return nil
}

// setUp starts the simulator and the switchboard binary, and makes
// EchoBot's WhatsApp channel, subscribed with the simulator's handshake;
// the caller closes both.
func setUp(ctx context.Context, binary, database string) (*whatsappsim.Sim, *loadtest.Binary, error) {
	sim := whatsappsim.New(whatsappsim.Config{WebhookWorkers: 64})
	if err := sim.Start(); err != nil {
		return nil, nil, err
	}
	srv, err := loadtest.StartBinary(ctx, loadtest.BinaryOptions{Path: binary, Database: database})
	if err != nil {
		sim.Close()
		return nil, nil, err
	}
	cfg := sim.Config()
	var ch struct {
		Channel struct {
			ID string `json:"id"`
		} `json:"channel"`
	}
	err = srv.Admin("POST", "/v1/admin/channels", map[string]any{"bot_id": loadtest.EchoBotID, "type": "whatsapp", "whatsapp": map[string]string{
		"phone_number_id": cfg.PhoneNumberID, "access_token": cfg.AccessToken, "app_secret": cfg.AppSecret,
		"verify_token": cfg.VerifyToken, "api_base": sim.URL() + "/v21.0"}}, &ch)
	if err == nil {
		err = sim.Subscribe(ctx, srv.URL+"/v1/channels/"+ch.Channel.ID+"/webhook")
	}
	if err != nil {
		srv.Stop()
		sim.Close()
		return nil, nil, err
	}
	return sim, srv, nil
}

// waitReplies waits until n bot replies were accepted in all.
func waitReplies(ctx context.Context, sim *whatsappsim.Sim, n int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		got := 0
		for _, cv := range sim.Conversations() {
			for _, e := range cv.Entries {
				if e.Out != nil {
					got++
				}
			}
		}
		if got >= n {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%d of %d replies came", got, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// loadAvg is the machine's 1-minute load average.
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(raw))[0]
}
