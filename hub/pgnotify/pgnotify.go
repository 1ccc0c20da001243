// Package pgnotify carries the hub's notifications between the instances of
// switchboard that share a PostgreSQL database, with LISTEN/NOTIFY: a page
// connected to instance A is woken when instance B commits a message for it.
//
// A notification stays what it is in one process, a hint sent after the
// commit: receivers read the store. So the fan-out may merge, repeat or delay
// hints, and is built to never lose one for long:
//
//   - Publish only queues the topics; one goroutine sends them with
//     pg_notify, merging what was queued while it sent (one round trip for
//     many commits under load). A failed send keeps its topics queued and is
//     tried again.
//   - A dedicated connection LISTENs and hands each other instance's topics
//     to the local hub (Deliver). Its own notifications come back too and
//     are dropped by their origin id.
//   - When the listening connection breaks, notifications sent meanwhile are
//     lost to this instance: after reconnecting it wakes every local
//     subscriber (WakeAll), and each re-reads the store.
//
// The channel is named after the schema, so instances of another schema of
// the same database (tests run side by side that way) are not woken.
package pgnotify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"switchboard/hub"
)

// maxPayload bounds one notification's payload; PostgreSQL's limit is 8000 bytes.
const maxPayload = 7000

// Reconnection waits this long after a failure, doubling up to maxRetry.
const (
	minRetry = 100 * time.Millisecond
	maxRetry = 5 * time.Second
)

// Stats counts what the fan-out did since it started, for monitoring.
type Stats struct {
	Published, Received, Failures, Reconnects int64
}

// Fanout publishes the local hub's notifications and delivers the other
// instances' to it. It implements hub.Relay.
type Fanout struct {
	pool    *pgxpool.Pool
	hub     *hub.Hub
	log     *slog.Logger
	channel string
	origin  string

	mu      sync.Mutex
	pending map[string]struct{} // topics not yet published
	kick    chan struct{}

	cancel context.CancelFunc
	done   sync.WaitGroup

	published, received, failures, reconnects atomic.Int64
}

var _ hub.Relay = (*Fanout)(nil)

// message is a notification's payload.
type message struct {
	Origin string   `json:"o"`
	Topics []string `json:"t"`
}

// Start listens on the channel of schema (on a connection of its own, with
// the pool's settings), becomes h's relay, and returns once it listens.
func Start(ctx context.Context, pool *pgxpool.Pool, schema string, h *hub.Hub, log *slog.Logger) (*Fanout, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	f := &Fanout{
		pool: pool, hub: h, log: log, channel: channelOf(schema), origin: hex.EncodeToString(b),
		pending: make(map[string]struct{}), kick: make(chan struct{}, 1),
	}
	conn, err := f.listen(ctx)
	if err != nil {
		return nil, fmt.Errorf("notification fan-out: %w", err)
	}
	var run context.Context
	run, f.cancel = context.WithCancel(context.Background())
	f.done.Add(2)
	go f.receive(run, conn)
	go f.send(run)
	h.SetRelay(f)
	return f, nil
}

// channelOf is the notification channel of a schema: its name, or its hash
// when the name would not fit in an identifier (63 bytes).
func channelOf(schema string) string {
	if c := "switchboard:" + schema; len(c) <= 63 {
		return c
	}
	h := fnv.New64a()
	h.Write([]byte(schema))
	return fmt.Sprintf("switchboard:%016x", h.Sum64())
}

// Publish queues topics for the other instances; it never blocks.
func (f *Fanout) Publish(topics []string) {
	f.mu.Lock()
	for _, t := range topics {
		f.pending[t] = struct{}{}
	}
	f.mu.Unlock()
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Stats returns the counts of the fan-out.
func (f *Fanout) Stats() Stats {
	return Stats{Published: f.published.Load(), Received: f.received.Load(), Failures: f.failures.Load(), Reconnects: f.reconnects.Load()}
}

// Close stops relaying (the hub goes on alone), sends what is queued if it
// can, and closes the listening connection.
func (f *Fanout) Close() error {
	f.hub.SetRelay(nil)
	f.cancel()
	f.done.Wait()
	return nil
}

// send publishes the queued topics until ctx ends, then once more.
func (f *Fanout) send(ctx context.Context) {
	defer f.done.Done()
	retry := minRetry
	for {
		select {
		case <-f.kick:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			last, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = f.flush(last)
			cancel()
			return
		}
		if err := f.flush(ctx); err != nil {
			f.failures.Add(1)
			f.log.Warn("notification fan-out: publish failed; retrying", "err", err, "retry_in", retry)
			select {
			case <-time.After(retry):
			case <-ctx.Done():
			}
			retry = min(2*retry, maxRetry)
			f.Publish(nil) // look again
			continue
		}
		retry = minRetry
	}
}

// flush sends every queued topic; topics it could not send stay queued.
func (f *Fanout) flush(ctx context.Context) error {
	f.mu.Lock()
	topics := make([]string, 0, len(f.pending))
	for t := range f.pending {
		topics = append(topics, t)
	}
	clear(f.pending)
	f.mu.Unlock()
	for len(topics) > 0 {
		payload, n := f.payload(topics)
		if _, err := f.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, f.channel, payload); err != nil {
			f.Publish(topics)
			return err
		}
		f.published.Add(1)
		topics = topics[n:]
	}
	return nil
}

// payload encodes as many of topics as fit in one notification (at least
// one) and says how many.
func (f *Fanout) payload(topics []string) (string, int) {
	size, n := len(f.origin)+16, 0
	for n < len(topics) && (n == 0 || size+len(topics[n])+3 <= maxPayload) {
		size += len(topics[n]) + 3
		n++
	}
	b, _ := json.Marshal(message{Origin: f.origin, Topics: topics[:n]})
	return string(b), n
}

// listen opens the listening connection.
func (f *Fanout) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, f.pool.Config().ConnConfig)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{f.channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// receive delivers the other instances' notifications until ctx ends,
// reconnecting when the connection breaks.
func (f *Fanout) receive(ctx context.Context, conn *pgx.Conn) {
	defer f.done.Done()
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	retry := minRetry
	for {
		if conn == nil {
			var err error
			if conn, err = f.listen(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				f.log.Warn("notification fan-out: listen failed; retrying", "err", err, "retry_in", retry)
				select {
				case <-time.After(retry):
				case <-ctx.Done():
					return
				}
				retry = min(2*retry, maxRetry)
				continue
			}
			f.reconnects.Add(1)
			retry = minRetry
			f.hub.WakeAll() // notifications may have been missed meanwhile
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			f.log.Warn("notification fan-out: connection lost; reconnecting", "err", err)
			conn.Close(context.Background())
			conn = nil
			continue
		}
		var m message
		if err := json.Unmarshal([]byte(n.Payload), &m); err != nil {
			f.log.Warn("notification fan-out: unreadable notification dropped", "err", err)
			continue
		}
		if m.Origin == f.origin {
			continue
		}
		f.received.Add(1)
		f.hub.Deliver(m.Topics...)
	}
}
