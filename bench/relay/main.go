// Command relay measures switchboard's relay latency through the built-in
// desk while many livechat sessions are live at once:
//
//   - agent → user: from an agent's reply in the desk (the HTTP request the
//     desk page makes) to the WebSocket frame that carries it to the user's
//     chat page;
//   - user → agent (with -direction both): from the event a chat page sends
//     on its WebSocket to the moment the agent's desk page has it: the desk's
//     live stream (Server-Sent Events, /desk/api/events) says "changed", and
//     the page reads the conversation (GET /desk/api/sessions/{id}), which
//     holds the message.
//
// It starts a switchboard server in this process (SQLite in a temporary
// folder, or a fresh schema of the PostgreSQL database given with
// -database, dropped at the end; loopback only), measures bare loopback
// HTTP for -bare (the same client to a trivial handler in this process: what
// this machine's HTTP stack does at the time of the run), opens the sessions
// as chat pages do, signs -agents agents in and has each claim its share of
// the sessions and watch the desk's live stream as its page does, and times
// five reads of the session list on the quiet server. Then, for
// -duration, every agent (and with -direction both every user) writes once
// every -interval in each session, spread out at random, and each message is
// timed until it arrives on the other side.
//
// Each agent's page refreshes as the desk page does: a "changed" event that
// comes while a refresh runs is folded into one more refresh. It reads the
// conversations with a user message in flight (as if the agent had each open);
// with -list it first reads the session list too, as the page does on every
// change.
//
//	go run ./bench/relay -sessions 200 -duration 20s
//	go run ./bench/relay -sessions 1000 -direction both -agents 10 -interval 5s -duration 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
	"switchboard/bench/internal/loadtest"
)

type options struct {
	sessions, agents         int
	duration, interval, bare time.Duration
	direction, database      string
	list                     bool
	target                   time.Duration
	bareClients              int
}

func main() {
	var o options
	flag.IntVar(&o.sessions, "sessions", 200, "livechat sessions live at once")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "how long agents (and users) write")
	flag.DurationVar(&o.interval, "interval", time.Second, "time between two messages of one agent (and one user) in a session")
	flag.StringVar(&o.direction, "direction", "down", "down: agents write, timed to the user's page; both: users write too, timed to the agent's desk page")
	flag.IntVar(&o.agents, "agents", 1, "agents signed in to the desk, each with its page's live stream and its share of the sessions")
	flag.BoolVar(&o.list, "list", false, "each agent's page also reads the session list on every change, as the desk page does")
	flag.StringVar(&o.database, "database", "", "a PostgreSQL `URL`: the server runs on a fresh schema of it, dropped at the end (default: SQLite)")
	flag.DurationVar(&o.bare, "bare", 10*time.Second, "how long the bare loopback HTTP baseline runs (0: none)")
	flag.DurationVar(&o.target, "target", 50*time.Millisecond, "the p99 each direction must stay under")
	flag.Parse()
	o.bareClients = 64
	if o.direction != "down" && o.direction != "both" {
		log.Fatalf("-direction %q: use down or both", o.direction)
	}
	if o.agents < 1 || o.agents > o.sessions {
		log.Fatalf("-agents %d: use 1 to -sessions", o.agents)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// A hard deadline: the baseline, opening the sessions (a few hundred a
	// second), the run and the wait for the last messages.
	ctx, cancel := context.WithTimeout(ctx, o.bare+o.duration+time.Duration(o.sessions)*20*time.Millisecond+3*time.Minute)
	defer cancel()
	if err := run(ctx, o); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if _, err := loadtest.RaiseFileLimit(uint64(4*o.sessions) + 512); err != nil {
		return err
	}
	srv, err := loadtest.StartOptions(ctx, loadtest.Options{Database: o.database})
	if err != nil {
		return err
	}
	defer srv.Stop()
	if o.bare > 0 {
		bare, cpu := loadtest.Measure(srv.Probe(), func() loadtest.Result { return loadtest.BareLoopback(ctx, o.bareClients, o.bare) })
		fmt.Printf("%-38s %7.0f/s  %s  %s\n", fmt.Sprintf("bare loopback HTTP, %d clients:", o.bareClients), bare.Rate(), bare.Lat.Summary(), cpu.InProcess())
	}
	store := "SQLite"
	if o.database != "" {
		store = "PostgreSQL"
	}

	// The agents, each signed in with its own desk.
	desks := make([]*loadtest.Desk, o.agents)
	for k := range desks {
		email := loadtest.AgentEmail
		if k > 0 {
			email = fmt.Sprintf("load%d@example.com", k)
			if err := srv.AddAgent(ctx, email, fmt.Sprintf("Load %d", k)); err != nil {
				return err
			}
		}
		if desks[k], err = loadtest.SignInAs(srv.URL(), email); err != nil {
			return err
		}
	}

	relay := loadtest.NewRelay(o.sessions, o.duration, o.interval, "desk", "page")
	relay.OnlyAgents = o.direction == "down"
	users, err := relay.Open(ctx, srv)
	defer relay.Close()
	if err != nil {
		return err
	}
	if err := srv.WaitOutbox(ctx); err != nil {
		return err
	}
	// Session i belongs to agent i % agents, who claims it.
	ids := make([]string, o.sessions)
	for i, u := range users {
		if ids[i], err = srv.LiveSession(ctx, u); err != nil {
			return err
		}
		if err := desks[i%o.agents].Claim(ids[i]); err != nil {
			return fmt.Errorf("claim session %d: %w", i, err)
		}
	}

	// What one read of the session list costs with every session live and
	// nothing else running: the desk page reads it on every change.
	var list loadtest.Latencies
	for range 5 {
		t0 := time.Now()
		if err := desks[0].List(); err != nil {
			return err
		}
		list.Add(time.Since(t0))
	}
	fmt.Printf("%-38s %s\n", "session list read, quiet server:", list.Summary())

	// The agents' pages, watching the desk's live stream.
	var pages []*page
	if o.direction == "both" {
		wctx, stopWatching := context.WithCancel(ctx)
		defer stopWatching()
		var ready sync.WaitGroup
		for _, d := range desks {
			p := &page{desk: d, list: o.list, relay: relay, pending: map[string]map[string]bool{}}
			pages = append(pages, p)
			ready.Add(1)
			go func() {
				var once sync.Once
				if err := d.Watch(wctx, func() { once.Do(ready.Done) }, p.changed); err != nil {
					p.errs.Add(1)
					once.Do(ready.Done)
				}
			}()
		}
		ready.Wait()
		relay.UserSending = func(i int, text string) { pages[i%o.agents].sending(ids[i], text) }
	}
	writers := "agents write"
	if o.direction == "both" {
		writers = "agents and users write"
	}
	fmt.Printf("%d sessions live on %s, claimed by %d agents; %s once every %s in each, for %s\n",
		o.sessions, store, o.agents, writers, o.interval, o.duration)

	_, cpu := loadtest.Measure(srv.Probe(), func() struct{} {
		relay.Run(ctx, func(i int, text string) error { return desks[i%o.agents].Reply(ids[i], text) })
		return struct{}{}
	})

	errs, userLeft, agentLeft, elapsed := relay.Outcome()
	up, down := relay.ToPlatform.Summary(), relay.ToUser.Summary()
	var refreshes, pageErrs int64
	var lists loadtest.Latencies
	for _, p := range pages {
		refreshes += p.refreshes.Load()
		pageErrs += p.errs.Load()
		lists.Merge(&p.lists)
	}
	fmt.Printf("messages: %d agent, %d user in %s (%.0f/s), errors: %d, not arrived: %d agent, %d user\n",
		down.N, up.N, elapsed.Round(time.Millisecond), float64(up.N+down.N)/elapsed.Seconds(), errs+pageErrs, agentLeft, userLeft)
	verdict := func(s loadtest.Summary) string {
		if s.P99 < o.target {
			return fmt.Sprintf("p99 < %s ✔", o.target)
		}
		return fmt.Sprintf("p99 < %s ✘", o.target)
	}
	fmt.Printf("%-38s %s  %s\n", "desk reply -> user page:", down, verdict(down))
	if o.direction == "both" {
		fmt.Printf("%-38s %s  %s\n", "user page -> agent's desk page:", up, verdict(up))
		fmt.Printf("%-38s %d refreshes", "desk pages:", refreshes)
		if o.list {
			fmt.Printf(", session list read in %s", lists.Summary())
		}
		fmt.Println()
	}
	fmt.Printf("%-38s %s\n", "during the run:", cpu.InProcess())
	if errs+pageErrs > 0 || userLeft > 0 || agentLeft > 0 {
		return fmt.Errorf("%d errors, %d agent and %d user messages lost", errs+pageErrs, agentLeft, userLeft)
	}
	return nil
}

// page is an agent's desk page: on every "changed" event of the live stream
// it refreshes, folding the events that come meanwhile into one more
// refresh, as the desk page does. A refresh reads the conversations that
// have a user message in flight (and with list, the session list first);
// a message found there has arrived.
type page struct {
	desk  *loadtest.Desk
	list  bool
	relay *loadtest.Relay

	mu             sync.Mutex
	pending        map[string]map[string]bool // session -> user texts in flight
	running, again bool

	refreshes, errs atomic.Int64
	lists           loadtest.Latencies
}

// sending notes a user message leaving its page.
func (p *page) sending(session, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending[session] == nil {
		p.pending[session] = map[string]bool{}
	}
	p.pending[session][text] = true
}

// changed is the live stream's "changed" event.
func (p *page) changed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running {
		p.again = true
		return
	}
	p.running = true
	go p.refresh()
}

func (p *page) refresh() {
	for {
		p.refreshes.Add(1)
		if p.list {
			t0 := time.Now()
			if err := p.desk.List(); err != nil {
				p.errs.Add(1)
			}
			p.lists.Add(time.Since(t0))
		}
		p.mu.Lock()
		var sessions []string
		for s, texts := range p.pending {
			if len(texts) > 0 {
				sessions = append(sessions, s)
			}
		}
		p.mu.Unlock()
		var wg sync.WaitGroup
		for _, s := range sessions {
			wg.Go(func() { p.read(s) })
		}
		wg.Wait()
		p.mu.Lock()
		if !p.again {
			p.running = false
			p.mu.Unlock()
			return
		}
		p.again = false
		p.mu.Unlock()
	}
}

// read reads a conversation and reports the user messages in flight it
// holds.
func (p *page) read(session string) {
	msgs, err := p.desk.Transcript(session)
	if err != nil {
		p.errs.Add(1)
		return
	}
	var arrived []string
	p.mu.Lock()
	for _, m := range msgs {
		if text := loadtest.TextOf(m); m.Sender.Kind == switchboard.SenderUser && p.pending[session][text] {
			delete(p.pending[session], text)
			arrived = append(arrived, text)
		}
	}
	p.mu.Unlock()
	for _, text := range arrived {
		p.relay.UserArrived(text)
	}
}
