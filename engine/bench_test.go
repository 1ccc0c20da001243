package engine_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/cputime"
	"switchboard/internal/testclock"
)

// BenchmarkBotTurn measures bot turns through the engine on SQLite: each
// turn is one event of one client resuming the bot's hold, run, and saved in
// one transaction (dedup mark, client, session check, conversation, memories,
// the incoming message and the bot's two replies). Clients are spread over the
// parallel goroutines, as many users talking at once. cpu-µs/turn is the CPU
// time of the whole process per turn: what bounds throughput on a busy
// machine, and steadier than turns/s when other work shares the CPUs.
func BenchmarkBotTurn(b *testing.B) {
	t := &testing.T{}
	f := newFixture(t, testclock.New(t0))
	b.Cleanup(f.stop)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // many users at once, as on a busy server
	b.ResetTimer()
	start, cpu := time.Now(), cputime.Self()
	b.RunParallel(func(pb *testing.PB) {
		key := switchboard.ClientKey{BotID: "support", ChannelID: "web", UserID: fmt.Sprintf("bench-%d", next.Add(1))}
		for pb.Next() {
			if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: key, Payload: text("where is my parcel")}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "turns/s")
	b.ReportMetric(float64((cputime.Self()-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
}
