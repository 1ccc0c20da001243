package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/bench/internal/loadtest"
	"switchboard/channel/whatsapp/whatsappsim"
)

// BenchmarkWhatsAppTurn measures the CPU time a WhatsApp turn costs the
// server, robust to a loaded machine: it counts CPU time, not wall time,
// and the server runs in a process of its own, so the simulator's and the
// customers' cost (this process) is measured apart. A turn is the
// customer's message webhook, the bot's reply sent through the Graph API,
// and the reply's three status webhooks (sent, delivered, read); 16
// customers write at once, each waiting for the reply to their last
// message, and the statuses of the last turns are waited for before the
// CPU is read.
//
//	go build -o /tmp/switchboard ./cmd/switchboard
//	SWITCHBOARD_BENCH_BINARY=/tmp/switchboard go test -run '^$' -bench WhatsAppTurn -benchtime 1000x ./bench/whatsapp
//
// Without SWITCHBOARD_BENCH_BINARY it builds ./cmd/switchboard first.
// It reports server-µs/turn (the server's CPU) and sim-µs/turn (the
// simulator's and the customers'); ns/op is the wall time of a turn
// divided by the 16 customers, which a loaded machine inflates.
func BenchmarkWhatsAppTurn(b *testing.B) {
	binary := os.Getenv("SWITCHBOARD_BENCH_BINARY")
	if binary == "" {
		binary = filepath.Join(b.TempDir(), "switchboard")
		if out, err := exec.Command("go", "build", "-o", binary, "switchboard/cmd/switchboard").CombinedOutput(); err != nil {
			b.Fatalf("build the server: %v\n%s", err, out)
		}
	}
	ctx := context.Background()
	sim, srv, err := setUp(ctx, binary, os.Getenv("SWITCHBOARD_BENCH_DATABASE"))
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	defer srv.Stop()

	const customers = 16
	var wrote [customers]int // messages each customer wrote
	turn := func(c int) error {
		waID := fmt.Sprintf("3362%07d", c)
		wrote[c]++
		if _, err := sim.CustomerText(ctx, waID, "Customer "+waID[4:], fmt.Sprintf("m%d", wrote[c])); err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		_, err := sim.WaitOutbound(wctx, waID, wrote[c])
		return err
	}
	// Every customer writes once: the server makes their client then.
	for c := range customers {
		if err := turn(c); err != nil {
			b.Fatal(err)
		}
	}
	if err := settle(ctx, sim); err != nil {
		b.Fatal(err)
	}

	probe := srv.Probe()
	before := probe.Sample()
	b.ResetTimer()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for c := range customers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := turn(c); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	if err := settle(ctx, sim); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	cpu := loadtest.CPUBetween(before, probe.Sample())
	if !cpu.OK {
		b.Fatal("the CPU time could not be read from /proc")
	}
	b.ReportMetric(cpu.ServerSeconds/float64(b.N)*1e6, "server-µs/turn")
	b.ReportMetric(cpu.ToolSeconds/float64(b.N)*1e6, "sim-µs/turn")
	b.Logf("%d turns; %s; load average %s", b.N, cpu, loadAvg())
}

// settle waits until the simulator made every webhook call it has to make
// (the statuses come 50 ms after each reply).
func settle(ctx context.Context, sim *whatsappsim.Sim) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return sim.WaitDeliveries(ctx)
}
