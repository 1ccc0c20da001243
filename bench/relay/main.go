// Command relay measures switchboard's relay latency through the built-in
// desk while many livechat sessions are live at once:
//
//   - agent → user: from an agent's reply in the desk (the HTTP request the
//     desk page makes) to the WebSocket frame that carries it to the user's
//     chat page;
//   - user → agent (with -direction both): from the event a chat page sends
//     on its WebSocket to the moment the agent's desk page has it: the desk's
//     live stream (Server-Sent Events, /desk/api/events) names the session in
//     a "sessions" event, and the page reads the conversation's new messages
//     (GET /desk/api/sessions/{id}/messages?after=), which hold the message.
//
// It starts a switchboard server in this process (SQLite in a temporary
// folder, or a fresh schema of the PostgreSQL database given with
// -database, dropped at the end; loopback only), measures bare loopback
// HTTP for -bare (the same client to a trivial handler in this process: what
// this machine's HTTP stack does at the time of the run), opens the sessions
// as chat pages do, signs -agents agents in, has each claim its share of
// the sessions as they open and watch the desk's live stream as its page does, and times
// five reads of the session list on the quiet server. Then, for
// -duration, every agent (and with -direction both every user) writes once
// every -interval in each session, spread out at random, and each message is
// timed until it arrives on the other side.
//
// Each agent's page reads as the desk page does, an event that comes while a
// read runs folded into one more read: it reads the conversations named in
// "sessions" events that have a user message in flight (as if the agent had
// each of its sessions open), the whole conversation the first time and its
// new messages after. With -list it also keeps its session list up to date as
// the page does: it reads the whole list when its stream opens, when a
// "sessions" event says all, when more than 500 sessions changed and every
// minute; on every "changed" event (at most one a second) it reads the
// entries of the sessions named since its last read, 100 at a time. (The
// page also reads the whole list when a merge cannot be exact, a list cut at
// its limit losing an entry; no session leaves the lists during a run.) With
// -list=full it reads the whole list on every "changed" event, as the page
// did before it merged changes.
//
//	go run ./bench/relay -sessions 200 -duration 20s
//	go run ./bench/relay -sessions 1000 -direction both -agents 10 -interval 5s -duration 20s -list
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
	"switchboard/bench/internal/loadtest"
	"switchboard/internal/cputime"
)

type options struct {
	sessions, agents         int
	duration, interval, bare time.Duration
	direction, database      string
	sqliteSync               string
	list                     listMode
	target                   time.Duration
	bareClients              int
	cpuProfile               string
}

func main() {
	var o options
	flag.IntVar(&o.sessions, "sessions", 200, "livechat sessions live at once")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "how long agents (and users) write")
	flag.DurationVar(&o.interval, "interval", time.Second, "time between two messages of one agent (and one user) in a session")
	flag.StringVar(&o.direction, "direction", "down", "down: agents write, timed to the user's page; both: users write too, timed to the agent's desk page")
	flag.IntVar(&o.agents, "agents", 1, "agents signed in to the desk, each with its page's live stream and its share of the sessions")
	flag.Var(&o.list, "list", "each agent's page also keeps its session list up to date as the desk page does (-list=full: it reads the whole list on every \"changed\" event)")
	flag.StringVar(&o.database, "database", "", "a PostgreSQL `URL`: the server runs on a fresh schema of it, dropped at the end (default: SQLite)")
	flag.StringVar(&o.sqliteSync, "sqlite-sync", "", "the SQLite store's synchronous setting, NORMAL or FULL (default: the store's, FULL)")
	flag.DurationVar(&o.bare, "bare", 10*time.Second, "how long the bare loopback HTTP baseline runs (0: none)")
	flag.DurationVar(&o.target, "target", 50*time.Millisecond, "the p99 each direction must stay under")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (server and tool: they share this process) to `file`, for go tool pprof")
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
	srv, err := loadtest.StartOptions(ctx, loadtest.Options{Database: o.database, SQLiteSync: o.sqliteSync})
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
	// Session i belongs to agent i % agents, who claims it as it opens.
	ids := make([]string, o.sessions)
	relay.Opened = func(i int, user string) (err error) {
		if ids[i], err = srv.LiveSession(ctx, user); err != nil {
			return err
		}
		if err := desks[i%o.agents].Claim(ids[i]); err != nil {
			return fmt.Errorf("claim session %d: %w", i, err)
		}
		return nil
	}
	_, err = relay.Open(ctx, srv)
	defer relay.Close()
	if err != nil {
		return err
	}
	// Each session joining its queue and each claim is a job of the queue,
	// which reads the queue: they run before the measure, not during it.
	t0 := time.Now()
	if err := srv.WaitOutbox(ctx); err != nil {
		return err
	}
	fmt.Printf("%-38s %s\n", "the outbox's jobs done after opening:", time.Since(t0).Round(time.Millisecond))

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
			p := newPage(d, o.list, relay)
			pages = append(pages, p)
			go p.everyMinute(wctx)
			ready.Add(1)
			go func() {
				var once sync.Once
				on := loadtest.DeskEvents{Ready: func() { p.firstList(); once.Do(ready.Done) }, Changed: p.changed, Changes: p.changes}
				if err := d.Watch(wctx, on); err != nil {
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

	if o.cpuProfile != "" {
		stop, err := cputime.Profile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	_, cpu := loadtest.Measure(srv.Probe(), func() struct{} {
		relay.Run(ctx, func(i int, text string) error { return desks[i%o.agents].Reply(ids[i], text) })
		return struct{}{}
	})

	errs, userLeft, agentLeft, elapsed := relay.Outcome()
	up, down := relay.ToPlatform.Summary(), relay.ToUser.Summary()
	var conversations, wholeConversations, deltaSessions, pageErrs, allEvents, overflows int64
	var lists, deltas loadtest.Latencies
	for _, p := range pages {
		conversations += p.conversations.Load()
		wholeConversations += p.wholeConversations.Load()
		deltaSessions += p.deltaSessions.Load()
		allEvents += p.allEvents.Load()
		overflows += p.overflows.Load()
		pageErrs += p.errs.Load()
		lists.Merge(&p.lists)
		deltas.Merge(&p.deltas)
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
		fmt.Printf("%-38s %d conversation reads, %d whole\n", "desk pages:", conversations, wholeConversations)
		if o.list != listOff {
			fmt.Printf("%-38s whole %s\n%-38s (%d \"all\" events, %d reads for over %d changed sessions)\n%-38s by id %s, %d sessions\n",
				"desk pages' list reads:", lists.Summary(), "", allEvents, overflows, maxChanged, "", deltas.Summary(), deltaSessions)
		}
	}
	fmt.Printf("%-38s %s\n", "during the run:", cpu.InProcess())
	if errs+pageErrs > 0 || userLeft > 0 || agentLeft > 0 {
		return fmt.Errorf("%d errors, %d agent and %d user messages lost", errs+pageErrs, agentLeft, userLeft)
	}
	return nil
}

// listMode is how a page keeps its session list: not at all, as the desk
// page does (merging the changed sessions' entries), or reading the whole
// list on every change (full). -list alone means as the page does.
type listMode string

const (
	listOff    listMode = ""
	listMerged listMode = "merged"
	listFull   listMode = "full"
)

func (m *listMode) String() string   { return string(*m) }
func (m *listMode) IsBoolFlag() bool { return true }
func (m *listMode) Set(v string) error {
	switch v {
	case "true", "merged":
		*m = listMerged
	case "full":
		*m = listFull
	case "false":
		*m = listOff
	default:
		return fmt.Errorf("%q: use -list, -list=full or -list=false", v)
	}
	return nil
}

// The desk page's bounds: the sessions one read by id names, and the
// changed sessions beyond which it reads the whole list instead.
const (
	maxIDs     = 100
	maxChanged = 500
)

// page is an agent's desk page, as the desk page behaves: a "sessions" event
// makes it read again each named conversation that has a user message in
// flight (as if the agent had each of its sessions open), and with list, a
// "changed" event makes it bring its session list up to date. Each read runs
// once at a time, the events that come meanwhile folded into one more read.
// A message found in a conversation has arrived.
type page struct {
	desk  *loadtest.Desk
	list  listMode
	relay *loadtest.Relay

	mu      sync.Mutex
	pending map[string]map[string]bool // session -> user texts in flight
	reads   map[string]*fold           // session -> its conversation's reads
	seen    map[string]loadtest.Conversation
	// named notes the sessions named since the list was last read, all
	// that the whole list is to be read.
	named   map[string]bool
	all     bool
	listing fold

	conversations, wholeConversations, deltaSessions, errs atomic.Int64
	// allEvents counts the "sessions" events that said all, overflows the
	// whole reads for more than maxChanged changed sessions.
	allEvents, overflows atomic.Int64
	lists, deltas        loadtest.Latencies
}

func newPage(d *loadtest.Desk, list listMode, relay *loadtest.Relay) *page {
	return &page{desk: d, list: list, relay: relay, pending: map[string]map[string]bool{}, reads: map[string]*fold{},
		seen: map[string]loadtest.Conversation{}, named: map[string]bool{}}
}

// sending notes a user message leaving its page.
func (p *page) sending(session, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending[session] == nil {
		p.pending[session] = map[string]bool{}
		p.reads[session] = &fold{}
	}
	p.pending[session][text] = true
}

// changes is the live stream's "sessions" event: the sessions whose list
// entry changed are noted for the next list read, and every named session
// whose conversation this page waits on is read, as the desk page reads its
// open one.
func (p *page) changes(listed, conversations []string, all bool) {
	p.mu.Lock()
	p.all = p.all || all
	if all {
		p.allEvents.Add(1)
	}
	for _, s := range listed {
		p.named[s] = true
	}
	sessions := slices.Concat(listed, conversations)
	if all {
		sessions = sessions[:0]
		for s := range p.pending {
			sessions = append(sessions, s)
		}
	}
	toRead := map[string]*fold{}
	for _, s := range sessions {
		if len(p.pending[s]) > 0 {
			toRead[s] = p.reads[s]
		}
	}
	p.mu.Unlock()
	for s, f := range toRead {
		f.run(func() { p.read(s) })
	}
}

// readAll reads the whole list, as the page does when its stream opens.
func (p *page) readAll() {
	p.wantAll()
	p.changed()
}

// wantAll notes that the next read of the list reads all of it.
func (p *page) wantAll() {
	p.mu.Lock()
	p.all = true
	p.mu.Unlock()
}

// firstList reads the whole list as the page does when its stream opens,
// and returns when it has it: the run starts once every page has loaded.
func (p *page) firstList() {
	if p.list == listOff {
		return
	}
	p.wantAll()
	p.updateList() // no other read of the list runs before the stream is ready
}

// everyMinute reads the whole list every minute until ctx ends, as the page
// does in case it missed something.
func (p *page) everyMinute(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.readAll()
		}
	}
}

// changed is the live stream's "changed" event.
func (p *page) changed() {
	if p.list == listOff {
		return
	}
	p.listing.run(p.updateList)
}

// updateList reads the sessions named since the last read by id, or the
// whole list when it must.
func (p *page) updateList() {
	p.mu.Lock()
	ids := make([]string, 0, len(p.named))
	for id := range p.named {
		ids = append(ids, id)
	}
	all := p.all || p.list == listFull || len(ids) > maxChanged
	if !p.all && len(ids) > maxChanged {
		p.overflows.Add(1)
	}
	clear(p.named)
	p.all = false
	p.mu.Unlock()
	if !all && len(ids) == 0 {
		return
	}
	t0 := time.Now()
	if all {
		if err := p.desk.List(); err != nil {
			p.errs.Add(1)
		}
		p.lists.Add(time.Since(t0))
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < len(ids); i += maxIDs {
		wg.Add(1)
		go func(part []string) {
			defer wg.Done()
			if err := p.desk.ListByID(part); err != nil {
				p.errs.Add(1)
			}
		}(ids[i:min(i+maxIDs, len(ids))])
	}
	wg.Wait()
	p.deltas.Add(time.Since(t0))
	p.deltaSessions.Add(int64(len(ids)))
}

// read reads a conversation as the page does (its new messages, or the
// whole of it the first time, when more changed than its messages or more
// came than one answer holds) and reports the user messages in flight it
// holds.
func (p *page) read(session string) {
	p.conversations.Add(1)
	p.mu.Lock()
	had, ok := p.seen[session]
	p.mu.Unlock()
	var c loadtest.Conversation
	var err error
	if ok && len(had.Messages) > 0 {
		c, err = p.desk.NewMessages(session, had.Messages[len(had.Messages)-1].ID)
	}
	if !ok || len(had.Messages) == 0 || err == nil && (c.More || c.State != had.State || c.AgentID != had.AgentID) {
		p.wholeConversations.Add(1)
		c, err = p.desk.Transcript(session)
	} else if err == nil && len(c.Messages) == 0 {
		c.Messages = had.Messages
	}
	if err != nil {
		p.errs.Add(1)
		return
	}
	var arrived []string
	p.mu.Lock()
	p.seen[session] = loadtest.Conversation{Messages: c.Messages[len(c.Messages)-1:], State: c.State, AgentID: c.AgentID}
	for _, m := range c.Messages {
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

// fold runs a read once at a time: a call made while it runs is folded into
// one more run after it, as the desk page does.
type fold struct {
	mu             sync.Mutex
	running, again bool
}

func (f *fold) run(read func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		f.again = true
		return
	}
	f.running = true
	go func() {
		for {
			read()
			f.mu.Lock()
			if !f.again {
				f.running = false
				f.mu.Unlock()
				return
			}
			f.again = false
			f.mu.Unlock()
		}
	}()
}
