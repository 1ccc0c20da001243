// Command idle measures the memory one idle chat page connection costs the
// server: the switchboard binary runs as its own process, this tool opens
// -conns chat pages (each a new visitor whose page reads its history, says
// one thing to the bot and waits for the answer, then stays open and quiet),
// holds them for -duration, and reads the server's memory before and after:
// its resident set (VmRSS, and the peak VmHWM) from /proc/PID/status, and the
// Go runtime's heap and stacks from /metrics.
//
// Before opening the pages it measures bare loopback HTTP for -duration
// (the same client to a trivial handler in this process): the figure every
// benchmark gives, so that a run on a busy machine shows it. Each phase
// says where the machine's CPU went (the server, this tool, anything else).
//
//	go build -o /tmp/switchboard ./cmd/switchboard
//	go run ./bench/idle -binary /tmp/switchboard -conns 10000
//
// With -database it runs the binary on a fresh schema of a PostgreSQL
// database, dropped at the end.
package main

import (
	"context"
	"errors"
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

func main() {
	o := options{}
	flag.StringVar(&o.binary, "binary", "", "the switchboard binary to start (go build -o /tmp/switchboard ./cmd/switchboard)")
	flag.StringVar(&o.database, "database", "", "a PostgreSQL `URL`: the binary runs on a fresh schema of it, dropped at the end (default: SQLite)")
	flag.IntVar(&o.conns, "conns", 10000, "chat page connections to open")
	flag.IntVar(&o.parallel, "parallel", 32, "pages opening at once")
	flag.BoolVar(&o.say, "say", true, "each page says one thing to the bot before going quiet (else it only reads its empty history)")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "how long the pages stay idle before the last reading, and the length of the bare loopback phase")
	flag.Float64Var(&o.targetMiB, "target", 400, "the server's resident memory with every page open must stay under this many MiB")
	flag.Parse()
	if o.binary == "" {
		log.Fatal("give -binary: the switchboard binary to start (go build -o /tmp/switchboard ./cmd/switchboard)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// A hard deadline: opening the pages (at a few hundred a second),
	// the two phases, and stopping.
	ctx, cancel := context.WithTimeout(ctx, 2*o.duration+time.Duration(o.conns)*10*time.Millisecond+3*time.Minute)
	defer cancel()
	if err := run(ctx, o); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

type options struct {
	binary, database string
	conns, parallel  int
	say              bool
	duration         time.Duration
	targetMiB        float64
}

// reading is the server's memory at one moment.
type reading struct {
	proc loadtest.Memory
	rt   map[string]float64 // go_* metrics
}

func read(srv *loadtest.Binary) (reading, error) {
	var r reading
	var err error
	if r.proc, err = loadtest.ProcMemory(srv.PID()); err != nil {
		return r, err
	}
	r.rt, err = loadtest.Scrape(srv.URL + "/metrics")
	return r, err
}

func run(ctx context.Context, o options) error {
	// Each page is a socket here and one in the server.
	limit, err := loadtest.RaiseFileLimit(uint64(o.conns) + 512)
	if err != nil {
		return err
	}
	srv, err := loadtest.StartBinary(ctx, loadtest.BinaryOptions{Path: o.binary, Database: o.database})
	if err != nil {
		return err
	}
	defer srv.Stop()
	serverLimit, err := loadtest.ProcFileLimit(srv.PID())
	if err != nil {
		return err
	}
	if serverLimit < uint64(o.conns)+512 {
		return fmt.Errorf("the server may open %d files, %d pages need more: raise its limit (ulimit -n)", serverLimit, o.conns)
	}
	channel, err := srv.WebappChannel()
	if err != nil {
		return err
	}
	store := "SQLite"
	if o.database != "" {
		store = "PostgreSQL"
	}
	fmt.Printf("idle chat pages: %s (%s, pid %d), %d pages, open files: this tool %d, the server %d\n\n",
		srv.URL, store, srv.PID(), o.conns, limit, serverLimit)

	bare, cpu := loadtest.Measure(srv.Probe(), func() loadtest.Result { return loadtest.BareLoopback(ctx, 64, o.duration) })
	fmt.Printf("%-34s %7.0f/s  %s  %s\n", "bare loopback HTTP, 64 clients:", bare.Rate(), bare.Lat.Summary(), cpu)

	// Warm the server up: the bot compiled and run, the store's statements
	// and caches ready; these pages close again.
	warm, err := openPages(ctx, srv.URL, channel, 64, o.parallel, o.say)
	closeAll(warm)
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	time.Sleep(2 * time.Second)
	before, err := read(srv)
	if err != nil {
		return err
	}

	start := time.Now()
	var pages []*loadtest.Visitor
	_, cpu = loadtest.Measure(srv.Probe(), func() error {
		pages, err = openPages(ctx, srv.URL, channel, o.conns, o.parallel, o.say)
		return err
	})
	defer func() { closeAll(pages) }()
	if err != nil {
		return fmt.Errorf("%d pages open: %w", len(pages), err)
	}
	opened := time.Since(start)
	fmt.Printf("%-34s %d in %s (%.0f/s)  %s\n", "pages opened:", len(pages), opened.Round(time.Millisecond), float64(len(pages))/opened.Seconds(), cpu)

	// Idle: nothing is sent; the server's heartbeat pings each page every
	// 25 seconds. The reading at the end is the steady state.
	var after reading
	_, cpu = loadtest.Measure(srv.Probe(), func() error {
		select {
		case <-time.After(o.duration):
		case <-ctx.Done():
		}
		after, err = read(srv)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %s  %s\n\n", "idle:", o.duration, cpu)
	closed := 0
	for _, p := range pages {
		select {
		case <-p.Done():
			closed++
		default:
		}
	}

	n := float64(len(pages))
	row := func(what string, b, a float64) {
		fmt.Printf("%-28s %12s %12s %12s %10.1f KiB\n", what, loadtest.MiB(b), loadtest.MiB(a), loadtest.MiB(a-b), (a-b)/n/1024)
	}
	fmt.Printf("%-28s %12s %12s %12s %14s\n", "server", "before", "after", "difference", "per page")
	row("resident (VmRSS)", float64(before.proc.RSS), float64(after.proc.RSS))
	row("peak resident (VmHWM)", float64(before.proc.HWM), float64(after.proc.HWM))
	for _, m := range []struct{ name, metric string }{
		{"Go heap in use", "go_memstats_heap_inuse_bytes"},
		{"Go heap objects", "go_memstats_alloc_bytes"},
		{"goroutine stacks", "go_memstats_stack_inuse_bytes"},
		{"Go runtime, all (sys)", "go_memstats_sys_bytes"},
	} {
		row(m.name, before.rt[m.metric], after.rt[m.metric])
	}
	fmt.Printf("%-28s %12.0f %12.0f %12.0f %14.2f\n", "goroutines", before.rt["go_goroutines"], after.rt["go_goroutines"],
		after.rt["go_goroutines"]-before.rt["go_goroutines"], (after.rt["go_goroutines"]-before.rt["go_goroutines"])/n)

	rss := float64(after.proc.RSS) / (1 << 20)
	verdict := "✔"
	if rss >= o.targetMiB {
		verdict = "✘"
	}
	fmt.Printf("\n%d idle pages: the server is resident in %.1f MiB (target < %.0f MiB %s)\n", len(pages), rss, o.targetMiB, verdict)
	if closed > 0 {
		return fmt.Errorf("%d pages were closed by the server while idle", closed)
	}
	return nil
}

// openPages opens n chat pages, parallel at a time; each reads its history
// and, with say, says one thing and waits for the bot's answer.
func openPages(ctx context.Context, base, channel string, n, parallel int, say bool) ([]*loadtest.Visitor, error) {
	pages := make([]*loadtest.Visitor, n)
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				v, err := openPage(ctx, base, channel, say)
				if err != nil {
					mu.Lock()
					first = errors.Join(first, err)
					mu.Unlock()
					next.Store(int64(n)) // stop the others
					return
				}
				pages[i] = v
			}
		})
	}
	wg.Wait()
	out := pages[:0]
	for _, p := range pages {
		if p != nil {
			out = append(out, p)
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return out, first
}

func openPage(ctx context.Context, base, channel string, say bool) (*loadtest.Visitor, error) {
	answered := make(chan struct{}, 1)
	v, err := loadtest.NewVisitor(ctx, base, channel, func(m switchboard.Message) {
		if m.Sender.Kind == switchboard.SenderBot {
			select {
			case answered <- struct{}{}:
			default:
			}
		}
	})
	if err != nil || !say {
		return v, err
	}
	if err := v.Send(ctx, loadtest.Text("hello")); err != nil {
		v.Close()
		return nil, err
	}
	select { // the answer comes before the acknowledgement
	case <-answered:
		return v, nil
	default:
		v.Close()
		return nil, fmt.Errorf("visitor %s: the bot did not answer", v.UserID)
	}
}

func closeAll(pages []*loadtest.Visitor) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Go(p.Close)
	}
	wg.Wait()
}
