// Command chatapi measures the Chat API's throughput and latency over HTTP,
// against the switchboard binary with its SQLite store, on loopback.
//
// It starts the binary (`switchboard serve` on a temporary data folder with a
// one-message bot), makes an API channel through the admin API, warms the
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
	"time"
)

func main() {
	binary := flag.String("binary", "", "the switchboard binary to start (go build -o /tmp/switchboard ./cmd/switchboard)")
	url := flag.String("url", "", "the base URL of a running server (instead of -binary)")
	key := flag.String("key", "", "the API key of an API channel of the running server (with -url)")
	duration := flag.Duration("duration", 10*time.Second, "how long each phase runs")
	concurrency := flag.Int("concurrency", 64, "clients at saturation")
	rate := flag.Int("rate", 2000, "turns per second of the fixed-rate phase")
	users := flag.Int("users", 1000, "distinct users the turns are spread over")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *binary, *url, *key, *duration, *concurrency, *rate, *users); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(ctx context.Context, binary, url, key string, duration time.Duration, concurrency, rate, users int) error {
	pid := 0 // the server's process, when this tool started it
	if url == "" {
		if binary == "" {
			return fmt.Errorf("give -binary (the switchboard binary to start) or -url and -key (a running server)")
		}
		srv, err := startServer(ctx, binary)
		if err != nil {
			return err
		}
		defer srv.stop()
		url, key, pid = srv.url, srv.key, srv.cmd.Process.Pid
	} else if key == "" {
		return fmt.Errorf("-url needs -key: the API key of an API channel")
	}
	fmt.Printf("Chat API load: %s, %d users, %s per phase\n\n", url, users, duration)

	trivial, err := startTrivial()
	if err != nil {
		return err
	}
	defer trivial.Close()
	bare := newTarget(trivial.URL+"/v1/api/chat", "", users, concurrency)
	chat := newTarget(url+"/v1/api/chat", key, users, concurrency)

	// A short warm-up: connections, caches, every user's first turn.
	saturate(ctx, chat, concurrency, 2*time.Second)

	// measure runs a phase and reports it with where the CPU went meanwhile
	// (and, for turns, the server's CPU time per turn).
	measure := func(what string, turns bool, phase func() result) result {
		before := sampleCPU(pid)
		r := phase()
		n := r.ok
		if !turns {
			n = 0
		}
		fmt.Printf("%-40s %7.0f/s  %s  errors=%d  %s\n", what, r.rate(), r.lat.Summary(), r.errors, cpuShare(before, sampleCPU(pid), n))
		return r
	}
	measure("bare loopback HTTP, trivial handler", false, func() result { return saturate(ctx, bare, concurrency, duration) })
	measure(fmt.Sprintf("bare loopback HTTP at %d/s", rate), false, func() result { return fixedRate(ctx, bare, rate, duration) })
	// The fixed rate first: right after a saturation, the store is still
	// catching up (checkpointing the WAL), which is not the steady state.
	fixed := measure(fmt.Sprintf("chat turns at %d/s", rate), true, func() result { return fixedRate(ctx, chat, rate, duration) })
	sat := measure(fmt.Sprintf("chat turns at saturation (%d clients)", concurrency), true, func() result { return saturate(ctx, chat, concurrency, duration) })
	if sat.errors+fixed.errors > 0 {
		return fmt.Errorf("%d requests failed", sat.errors+fixed.errors)
	}
	return nil
}
