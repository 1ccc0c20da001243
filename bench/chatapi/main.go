// Command chatapi measures the Chat API's throughput and latency over HTTP,
// against the switchboard binary with its SQLite store, or PostgreSQL with
// -database, on loopback.
//
// It starts the binary (`switchboard serve` on a temporary data folder with a
// one-message bot; with -database, on a fresh schema of that database,
// dropped at the end), makes an API channel through the admin API, warms the
// server up, then runs four phases of -duration each:
//
//  1. bare loopback HTTP at saturation: the same requests to a trivial
//     handler in this process, the ceiling of this machine's HTTP stack
//     with this client;
//  2. bare loopback HTTP at -rate requests/s: the latency floor;
//  3. chat turns at -rate turns/s, open loop: each request goes when it is
//     due and its latency counts from then, so a slow server cannot hide
//     its queue;
//  4. chat turns at saturation: -concurrency clients back to back.
//
// Each phase also says where the machine's CPU went (the server, this tool,
// anything else), so that a run disturbed by other work shows it.
//
// Run it with:
//
//	go build -o /tmp/switchboard ./cmd/switchboard
//	go run ./bench/chatapi -binary /tmp/switchboard
//	go run ./bench/chatapi -binary /tmp/switchboard -database 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// With -url and -key it drives a server that already runs instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"switchboard/bench/internal/loadtest"
)

func main() {
	binary := flag.String("binary", "", "the switchboard binary to start (go build -o /tmp/switchboard ./cmd/switchboard)")
	database := flag.String("database", "", "a PostgreSQL `URL`: the binary runs on a fresh schema of it, dropped at the end (default: SQLite)")
	url := flag.String("url", "", "the base URL of a running server (instead of -binary)")
	key := flag.String("key", "", "the API key of an API channel of the running server (with -url)")
	duration := flag.Duration("duration", 10*time.Second, "how long each phase runs")
	concurrency := flag.Int("concurrency", 64, "clients at saturation")
	rate := flag.Int("rate", 2000, "turns per second of the fixed-rate phase")
	users := flag.Int("users", 1000, "distinct users the turns are spread over")
	sqliteSync := flag.String("sqlite-sync", "", "the server's --sqlite-sync (NORMAL, FULL); default: the binary's default")
	cpuProfile := flag.String("cpuprofile", "", "have the server write a CPU profile of the whole run to `file` (its --cpu-profile), for go tool pprof")
	phaseList := flag.String("phases", "bare,rate,saturation", "the phases to run, comma-separated: bare (loopback HTTP, both ways), rate (chat turns at -rate), saturation (chat turns, -concurrency clients); one phase alone gives a profile of it")
	flag.Parse()
	phases := map[string]bool{}
	for _, p := range strings.Split(*phaseList, ",") {
		if p != "bare" && p != "rate" && p != "saturation" {
			log.Printf("-phases: unknown phase %q (bare, rate, saturation)", p)
			os.Exit(2)
		}
		phases[p] = true
	}
	var serveArgs []string
	if *sqliteSync != "" {
		serveArgs = append(serveArgs, "--sqlite-sync", *sqliteSync)
	}
	if *cpuProfile != "" {
		serveArgs = append(serveArgs, "--cpu-profile", *cpuProfile)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// A hard deadline: the phases, the warm-up, starting and stopping.
	ctx, cancel := context.WithTimeout(ctx, 4*(*duration)+3*time.Minute)
	defer cancel()
	if err := run(ctx, *binary, *database, serveArgs, *url, *key, *duration, *concurrency, *rate, *users, phases); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(ctx context.Context, binary, database string, serveArgs []string, url, key string, duration time.Duration, concurrency, rate, users int, phases map[string]bool) error {
	var probe loadtest.Probe // the server's process and database, when this tool started it
	store := "SQLite"
	if url == "" {
		if binary == "" {
			return fmt.Errorf("give -binary (the switchboard binary to start) or -url and -key (a running server)")
		}
		if database != "" {
			store = "PostgreSQL"
		}
		srv, err := loadtest.StartBinary(ctx, loadtest.BinaryOptions{Path: binary, Database: database, Args: serveArgs})
		if err != nil {
			return err
		}
		defer srv.Stop()
		if key, err = srv.APIChannel(); err != nil {
			return err
		}
		url, probe = srv.URL, srv.Probe()
	} else if key == "" {
		return fmt.Errorf("-url needs -key: the API key of an API channel")
	} else if database != "" {
		return fmt.Errorf("-database starts the binary on PostgreSQL: give -binary, not -url")
	}
	fmt.Printf("Chat API load: %s (%s), %d users, %s per phase\n\n", url, store, users, duration)

	trivial := loadtest.StartTrivial()
	defer trivial.Close()
	bare := loadtest.NewTarget(trivial.URL+"/v1/api/chat", "", users, concurrency)
	chat := loadtest.NewTarget(url+"/v1/api/chat", key, users, concurrency)

	// A short warm-up: connections, caches, every user's first turn.
	loadtest.Saturate(ctx, chat, concurrency, 2*time.Second)

	// measure runs a phase and reports it with where the CPU went meanwhile
	// (and, for turns, the server's CPU time per turn).
	measure := func(what string, turns bool, phase func() loadtest.Result) loadtest.Result {
		r, cpu := loadtest.Measure(probe, phase)
		perTurn := ""
		if turns {
			perTurn = cpu.PerOp(r.OK, "turn")
		}
		fmt.Printf("%-40s %7.0f/s  %s  errors=%d  %s %s\n", what, r.Rate(), r.Lat.Summary(), r.Errors, cpu, perTurn)
		return r
	}
	if phases["bare"] {
		measure("bare loopback HTTP, trivial handler", false, func() loadtest.Result { return loadtest.Saturate(ctx, bare, concurrency, duration) })
		measure(fmt.Sprintf("bare loopback HTTP at %d/s", rate), false, func() loadtest.Result { return loadtest.FixedRate(ctx, bare, rate, duration) })
	}
	// The fixed rate first: right after a saturation, the store is still
	// catching up (checkpointing the WAL), which is not the steady state.
	var fixed, sat loadtest.Result
	if phases["rate"] {
		fixed = measure(fmt.Sprintf("chat turns at %d/s", rate), true, func() loadtest.Result { return loadtest.FixedRate(ctx, chat, rate, duration) })
	}
	if phases["saturation"] {
		sat = measure(fmt.Sprintf("chat turns at saturation (%d clients)", concurrency), true, func() loadtest.Result { return loadtest.Saturate(ctx, chat, concurrency, duration) })
	}
	if sat.Errors+fixed.Errors > 0 {
		first := sat.FirstErr
		if first == nil {
			first = fixed.FirstErr
		}
		return fmt.Errorf("%d requests failed, the first: %v", sat.Errors+fixed.Errors, first)
	}
	return nil
}
