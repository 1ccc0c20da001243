package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/cputime"
)

// The benchmark of a bot turn: what the engine stores, in one Update, for an
// incoming message that the bot answers. Run it with
//
//	go test -run XXX -bench Turn -benchtime=2s ./store/sqlite/
//
// Serial runs one turn at a time; Parallel runs one goroutine per CPU, and
// Parallel16 sixteen, as concurrent requests would. turns/commit is how many
// Updates shared each SQLite commit (see writer.go).

// benchClients is how many end users the turns are spread over.
const benchClients = 1000

var (
	benchHold = json.RawMessage(`{"index":{"command_index":2,"loop_index":[],"step_vars":{"name":"Ann","tries":1}},` +
		`"step_hash":"5d41402abc4b2a76b9719d911017c592","callback_flow":null,"secure":false,` +
		`"previous":{"flow":"Default","step":"start"},"instruction_index":7}`)
	benchReceive = json.RawMessage(`{"text":"I would like to know the opening hours of the shop in Lyon, please"}`)
	benchSend1   = json.RawMessage(`{"text":"Sure! Our shop in Lyon is open from 9am to 7pm, Monday to Saturday."}`)
	benchSend2   = json.RawMessage(`{"title":"Anything else?","buttons":[{"title":"Yes","payload":"yes"},` +
		`{"title":"Talk to a human","payload":"LIVECHAT_SESSION_START"}]}`)
)

func benchKey(i int) switchboard.ClientKey {
	return switchboard.ClientKey{BotID: "bot-0001", ChannelID: "chan-0001", UserID: fmt.Sprintf("user-%06d", i%benchClients)}
}

// openBench opens a store holding benchClients clients, each with an open
// conversation, two memories and a short history.
func openBench(b *testing.B) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Now()
	err = db.Update(ctx, func(tx switchboard.Tx) error {
		for i := range benchClients {
			k := benchKey(i)
			c := switchboard.Conversation{ID: fmt.Sprintf("conv-%06d", i), Client: k, FlowID: "Default", StepID: "start",
				Status: switchboard.ConversationOpen, Hold: benchHold, CreatedAt: now, UpdatedAt: now, LastInteractionAt: now}
			if err := tx.PutConversation(ctx, &c); err != nil {
				return err
			}
			for _, m := range []switchboard.Memory{{Key: "name", Value: json.RawMessage(`"Ann"`)}, {Key: "city", Value: json.RawMessage(`"Lyon"`)}} {
				if err := tx.PutMemory(ctx, k, m); err != nil {
					return err
				}
			}
			for j := range 4 {
				m := switchboard.Message{Client: k, ConversationID: c.ID, Direction: switchboard.DirectionSend,
					Sender: switchboard.Sender{Kind: switchboard.SenderBot}, Payload: switchboard.Payload{ContentType: "text", Content: benchSend1},
					InteractionOrder: j, RequestID: fmt.Sprintf("seed-%d", j), CreatedAt: now}
				if err := tx.AddMessages(ctx, &m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// turn is one bot turn's transaction.
func turn(ctx context.Context, db *DB, k switchboard.ClientKey, request string) error {
	return db.Update(ctx, func(tx switchboard.Tx) error {
		if err := tx.LockClient(ctx, k); err != nil {
			return err
		}
		s, err := tx.FindLiveSession(ctx, k)
		if err != nil {
			return err
		}
		if s != nil {
			return fmt.Errorf("unexpected live session")
		}
		c, err := tx.FindOpenConversation(ctx, k)
		if err != nil {
			return err
		}
		if c == nil {
			return fmt.Errorf("no open conversation for %s", k)
		}
		if _, err := tx.Memories(ctx, k); err != nil {
			return err
		}
		now := time.Now()
		msgs := []switchboard.Message{
			{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser},
				Payload: switchboard.Payload{ContentType: "text", Content: benchReceive}},
			{Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderBot},
				Payload: switchboard.Payload{ContentType: "text", Content: benchSend1}},
			{Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderBot},
				Payload: switchboard.Payload{ContentType: "question", Content: benchSend2}},
		}
		ptrs := make([]*switchboard.Message, len(msgs))
		for i := range msgs {
			m := &msgs[i]
			m.Client, m.ConversationID, m.RequestID, m.CreatedAt = k, c.ID, request, now
			c.InteractionOrder++
			m.InteractionOrder = c.InteractionOrder
			ptrs[i] = m
		}
		if err := tx.AddMessages(ctx, ptrs...); err != nil {
			return err
		}
		if err := tx.PutMemory(ctx, k, switchboard.Memory{Key: "last_question", Value: json.RawMessage(`"opening hours"`)}); err != nil {
			return err
		}
		c.StepID, c.LastInteractionAt, c.UpdatedAt = "anything_else", now, now
		return tx.PutConversation(ctx, c)
	})
}

func BenchmarkTurn(b *testing.B) {
	db := openBench(b)
	// A cancellable context, as the engine's request contexts are.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var next atomic.Int64
	// start returns a function reporting the throughput, the CPU time of the
	// whole process per turn (what bounds throughput on a busy machine), and
	// how many turns shared a commit.
	start := func(b *testing.B) (report func()) {
		b.ReportAllocs()
		commits, committed, cpu := db.w.commits.Load(), db.w.committed.Load(), cputime.Self()
		return func() {
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
			b.ReportMetric(float64((cputime.Self()-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
			if n := db.w.commits.Load() - commits; n > 0 {
				b.ReportMetric(float64(db.w.committed.Load()-committed)/float64(n), "turns/commit")
			}
		}
	}
	b.Run("Serial", func(b *testing.B) {
		report := start(b)
		for b.Loop() {
			i := int(next.Add(1))
			if err := turn(ctx, db, benchKey(i), fmt.Sprintf("req-%d", i)); err != nil {
				b.Fatal(err)
			}
		}
		report()
	})
	// Turns arriving at a steady 2,000 a second, each on its own goroutine,
	// as requests do below saturation (issue 19's third target): here a
	// commit has few turns to share it, unless the writer waits for them.
	b.Run("Rate2000", func(b *testing.B) {
		report := start(b)
		const interval = time.Second / 2000
		begun, sent := time.Now(), 0
		var wg sync.WaitGroup
		for b.Loop() {
			if d := time.Until(begun.Add(time.Duration(sent) * interval)); d > 0 {
				time.Sleep(d)
			}
			sent++
			i := int(next.Add(1))
			wg.Go(func() {
				if err := turn(ctx, db, benchKey(i), fmt.Sprintf("req-%d", i)); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		report()
	})
	for _, p := range []struct {
		name        string
		parallelism int
	}{{"Parallel", 1}, {"Parallel16", 8}} {
		b.Run(p.name, func(b *testing.B) {
			b.SetParallelism(p.parallelism)
			report := start(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(next.Add(1))
					if err := turn(ctx, db, benchKey(i), fmt.Sprintf("req-%d", i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			report()
		})
	}
}
