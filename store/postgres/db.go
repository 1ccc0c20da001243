// Package postgres is switchboard's store on PostgreSQL, through pgx: the
// store for several instances behind a load balancer, all on one database.
//
// It keeps the contract of switchboard.Store exactly as the SQLite store does
// (the same conformance suite runs against both), with PostgreSQL's own means:
//
//   - Update runs in READ COMMITTED: after Tx.LockClient (a transaction-level
//     advisory lock on a hash of the client key) every read sees what the
//     previous holder of the lock committed, in whichever instance it ran.
//     A deadlock or serialisation failure reported by the database runs fn
//     again, up to three times.
//   - View runs in REPEATABLE READ READ ONLY: one snapshot, taken at its
//     first read.
//   - A client's message ids, and a job key's job ids, are given in commit
//     order (see append.go), so a reader that saw a client's message N never
//     later finds a smaller id of that client committed.
//   - Jobs and timers are claimed with FOR UPDATE SKIP LOCKED and leases, so
//     claimers in several instances never take the same row.
//   - A statement that would violate a uniqueness is written so that it
//     changes nothing instead of failing (PostgreSQL aborts a transaction on
//     the first failed statement; SQLite lets it go on), and the method
//     answers ECONFLICT as the contract says.
//
// Statements are prepared once per connection by pgx's statement cache. A
// transaction begins with its first statement, in the same round trip (see
// tx.query), so a transaction of n statements costs n+1 round trips (its
// commit or rollback being the last) and one that runs none costs nothing.
// A View whose first statement reads something of a client reads the rest of
// that client's state in the same round trip (see ahead.go).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"switchboard"
)

var _ switchboard.Store = (*DB)(nil)

// Options configure a store. The zero value works.
type Options struct {
	// NoMigrate opens the database without applying pending migrations, for
	// `switchboard migrate`, which calls Migrate itself.
	NoMigrate bool
	// MaxConns bounds the pool of connections. Zero means the DSN's
	// pool_max_conns, else 4×GOMAXPROCS with at least 16: the outbox alone
	// runs 16 jobs at once.
	MaxConns int32
	// Clock dates what the store dates itself: a job enqueued with a zero
	// RunAt and CreatedAt, the burial of a job, a migration. The system clock
	// by default.
	Clock switchboard.Clock
}

// DB is a switchboard store in a PostgreSQL schema (the first of the
// connection's search_path). It is safe for concurrent use, also by several
// processes on the same schema.
type DB struct {
	pool   *pgxpool.Pool
	clock  switchboard.Clock
	schema string
	// salt makes the advisory locks of this schema distinct from those of
	// another schema of the same database (tests run side by side that way).
	salt   uint32
	closed atomic.Bool
}

// Open connects to the database named by dsn (a postgres:// URL or key=value
// string) and applies pending migrations unless opts.NoMigrate. A
// search_path parameter in dsn chooses the schema.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db, err := open(ctx, dsn, opts)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return db, nil
}

func open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", errors.New(redact(err.Error(), dsn)))
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(dsn, "pool_max_conns"):
		cfg.MaxConns = max(16, 4*int32(runtime.GOMAXPROCS(0)))
	}
	// A transaction of an instance whose machine vanished (no TCP reset
	// reaches the database) would hold its client locks until the network
	// times out, hours later; the database ends it after this much idleness
	// instead. The engine's longest pause inside a transaction is a bot's
	// HTTP call (10s by default).
	if _, set := cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"]; !set {
		cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "120000" // ms
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		// Times come back in UTC, as the contract wants them.
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	db := &DB{pool: pool, clock: opts.Clock}
	if db.clock == nil {
		db.clock = switchboard.SystemClock{}
	}
	var schema *string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	if schema == nil {
		pool.Close()
		return nil, errors.New("no schema of the search_path exists: create it, or fix search_path")
	}
	db.schema = *schema
	h := fnv.New32a()
	h.Write([]byte(db.schema))
	db.salt = h.Sum32()
	if !opts.NoMigrate {
		if err := db.migrate(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return db, nil
}

// redact removes the password of dsn from a message about it.
func redact(msg, dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil || cfg.Password == "" {
		return msg
	}
	return strings.ReplaceAll(msg, cfg.Password, "xxxxx")
}

// errClosed is returned by every call on a closed store.
var errClosed = errors.New("store is closed")

// maxAttempts bounds how many times Update runs fn when the database reports
// a deadlock or a serialisation failure.
const maxAttempts = 3

// Update runs fn in a READ COMMITTED transaction; see switchboard.Store. If
// ctx is cancelled before fn returns, the transaction rolls back and Update
// fails; once fn has returned, the commit does not depend on ctx. A panic in
// fn rolls back and goes on up to Update's caller. When the database breaks
// a deadlock or a serialisation conflict by failing a statement, fn runs
// again in a new transaction (so it must not keep state across runs other
// than what it resets).
func (db *DB) Update(ctx context.Context, fn func(switchboard.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn, true)
		if attempt < maxAttempts && retryable(err) && ctx.Err() == nil {
			continue
		}
		return err
	}
}

// View runs fn in a read-only transaction that sees one snapshot of the
// database, taken at its first read. Any write in fn fails.
func (db *DB) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn, false)
}

// run runs fn in one transaction, committing it when write and fn succeeded.
func (db *DB) run(ctx context.Context, opts pgx.TxOptions, fn func(switchboard.Tx) error, write bool) error {
	if db.closed.Load() {
		return errClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := &tx{db: db, opts: opts}
	done := false
	defer func() { // deferred, to run also when fn panics
		t.ended = true
		if !done && t.ptx != nil {
			_ = t.ptx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !write || t.ptx == nil {
		// The deferred rollback ends a read transaction; one that ran no
		// statement never began.
		return nil
	}
	done = true
	if err := t.ptx.Commit(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// retryable reports whether err is the database breaking a deadlock or a
// serialisation conflict, after which the transaction may simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	if db.closed.Load() {
		return errClosed
	}
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Schema is the PostgreSQL schema the store lives in.
func (db *DB) Schema() string { return db.schema }

// Pool is the store's connection pool, for the notification fan-out, which
// shares its connection settings.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close waits for the transactions in progress, then closes every
// connection. Calls after Close fail.
func (db *DB) Close() error {
	if db.closed.CompareAndSwap(false, true) {
		db.pool.Close()
	}
	return nil
}
