// Command relay measures switchboard's agent-to-user relay latency: from an
// agent's reply in the built-in desk (the HTTP request the desk page makes) to
// the WebSocket frame that carries it to the user's chat page, while many
// livechat sessions are live at once and agents answer at a steady pace.
//
// It starts a switchboard server in this process (SQLite in a temporary
// folder, loopback only), opens the sessions as chat pages do, signs an agent
// in, then for -duration sends one reply per session every -interval (spread
// out at random) and records each reply's latency.
//
//	go run ./bench/relay -sessions 200 -duration 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
	"switchboard/bench/internal/loadtest"
)

func main() {
	sessions := flag.Int("sessions", 200, "livechat sessions live at once")
	duration := flag.Duration("duration", 20*time.Second, "how long agents reply")
	interval := flag.Duration("interval", time.Second, "time between two replies in one session")
	flag.Parse()
	if err := run(*sessions, *duration, *interval); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(sessions int, duration, interval time.Duration) error {
	ctx := context.Background()
	srv, err := loadtest.Start(ctx)
	if err != nil {
		return err
	}
	defer srv.Stop()

	// sent holds the time each reply left the agent, by its text.
	var sent sync.Map
	var lat loadtest.Latencies
	var lost atomic.Int64
	onMessage := func(m switchboard.Message) {
		if m.Sender.Kind != switchboard.SenderAgent {
			return
		}
		if t0, ok := sent.LoadAndDelete(loadtest.TextOf(m)); ok {
			lat.Add(time.Since(t0.(time.Time)))
		}
	}
	visitors := make([]*loadtest.Visitor, sessions)
	for i := range visitors {
		v, err := loadtest.NewVisitor(ctx, srv.URL(), srv.Channel, onMessage)
		if err != nil {
			return err
		}
		defer v.Close()
		if err := v.Send(ctx, loadtest.Button(switchboard.PayloadSessionStart)); err != nil {
			return err
		}
		visitors[i] = v
	}
	desk, err := loadtest.SignIn(srv.URL())
	if err != nil {
		return err
	}
	var ids map[string]string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if ids, err = desk.Sessions(); err != nil {
			return err
		}
		if len(ids) == sessions {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d sessions reached the desk", len(ids), sessions)
		}
	}
	for _, id := range ids {
		if err := desk.Claim(id); err != nil {
			return err
		}
	}
	fmt.Printf("%d sessions live and claimed; agents reply every %s in each, for %s\n", sessions, interval, duration)

	var wg sync.WaitGroup
	var errs atomic.Int64
	stop := time.Now().Add(duration)
	start := time.Now()
	for i, v := range visitors {
		session := ids[v.UserID]
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(rand.Int64N(int64(interval))))
			for n := 0; time.Now().Before(stop); n++ {
				text := fmt.Sprintf("reply %d to user %d", n, i)
				sent.Store(text, time.Now())
				if err := desk.Reply(session, text); err != nil {
					errs.Add(1)
					sent.Delete(text)
				}
				time.Sleep(interval)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	time.Sleep(time.Second) // the last frames
	sent.Range(func(_, _ any) bool { lost.Add(1); return true })
	s := lat.Summary()
	fmt.Printf("replies: %d in %s (%.0f/s), errors: %d, not received: %d\n", s.N, elapsed.Round(time.Millisecond), float64(s.N)/elapsed.Seconds(), errs.Load(), lost.Load())
	fmt.Printf("desk reply -> chat page frame: %s\n", s)
	if errs.Load() > 0 || lost.Load() > 0 {
		return fmt.Errorf("%d replies failed and %d never reached their page", errs.Load(), lost.Load())
	}
	return nil
}
