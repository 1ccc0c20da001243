// Package sqlite is switchboard's store on SQLite, through the pure Go driver
// modernc.org/sqlite: one file, no server, no cgo.
//
// The database runs in WAL mode. All writes go through one dedicated
// connection, so write transactions are serialised in the process, and start
// with BEGIN IMMEDIATE (they take the database's write lock up front, so two
// processes can never deadlock upgrading a read lock). Concurrent Updates
// share commits (see writer.go). Reads in View use a separate pool of
// read-only connections and see a consistent snapshot while writes go on. A
// background goroutine checkpoints the WAL into the database file, so
// commits never wait for it. Every connection caches its prepared statements:
// after the first use of a query, a transaction does no parsing or planning.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"switchboard"
)

var _ switchboard.Store = (*DB)(nil)

// Options configure a store. The zero value works.
type Options struct {
	// NoMigrate opens the database without applying pending migrations, for
	// `switchboard migrate`, which calls Migrate itself.
	NoMigrate bool
	// Synchronous is SQLite's PRAGMA synchronous: "NORMAL" by default. In WAL
	// mode NORMAL never loses a committed transaction when the process crashes,
	// but the last transactions before a power loss or an OS crash may be rolled
	// back (the database stays consistent). "FULL" also survives power loss, at
	// the cost of an fsync per commit. "OFF" is for throwaway test databases.
	Synchronous string
	// BusyTimeout is how long a statement waits for a lock held by another
	// process (a second instance, `switchboard migrate`); 5s by default.
	BusyTimeout time.Duration
	// Readers is the number of read connections View may use at once;
	// 2×GOMAXPROCS (at least 4) by default.
	Readers int
	// Clock dates what the store dates itself: a job enqueued with a zero RunAt
	// and CreatedAt, the burial of a job. The system clock by default.
	Clock switchboard.Clock
}

// DB is a switchboard store in one SQLite file. It is safe for concurrent use.
type DB struct {
	path  string
	opts  Options
	clock switchboard.Clock

	wdb *sql.DB // the writer and the checkpointer connections
	rdb *sql.DB // the read-only connections of View

	w writer // the write connection and the transaction in progress

	rslots chan struct{} // one token per read connection in use
	mu     sync.Mutex    // guards idle and all
	idle   []*conn       // read connections not in use
	all    []*conn       // every connection, for Close

	kick     chan struct{} // a commit happened: the checkpointer may work
	done     chan struct{} // closed by Close
	stopped  chan struct{} // closed when the checkpointer has returned
	once     sync.Once     // Close runs once
	closeErr error
}

// Open opens the store in the SQLite file at path, creating the file and its
// directory when needed, and applies pending migrations unless
// opts.NoMigrate. Tests open a fresh file in t.TempDir(); in-memory databases
// are refused because each connection would see a different one.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	db, err := open(ctx, path, opts)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return db, nil
}

func open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%q: want the path of a database file", path)
	}
	if err := opts.fill(); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	db := &DB{
		path:    path,
		opts:    opts,
		clock:   opts.Clock,
		rslots:  make(chan struct{}, opts.Readers),
		kick:    make(chan struct{}, 1),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	// Pragmas are set per connection through the DSN, so a connection that
	// database/sql opens again gets them too. The writer's own checkpoints
	// are only a fallback for when the checkpointer falls behind.
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=temp_store(memory)"+
		"&_pragma=cache_size(-16384)", opts.BusyTimeout.Milliseconds())
	var err error
	db.wdb, err = sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous("+
		opts.Synchronous+")&_pragma=wal_autocheckpoint(8192)&_pragma=journal_size_limit(67108864)")
	if err != nil {
		return nil, err
	}
	db.wdb.SetMaxOpenConns(2)
	db.wdb.SetMaxIdleConns(2)
	db.wdb.SetConnMaxLifetime(0)
	db.wdb.SetConnMaxIdleTime(0)
	if db.rdb, err = sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)"); err != nil {
		db.wdb.Close()
		return nil, err
	}
	db.rdb.SetMaxOpenConns(opts.Readers)
	db.rdb.SetMaxIdleConns(opts.Readers)
	db.rdb.SetConnMaxLifetime(0)
	db.rdb.SetConnMaxIdleTime(0)

	wc, err := db.newConn(ctx, db.wdb)
	if err == nil {
		db.w = writer{c: wc, pool: db.wdb, kick: db.kick}
		var cc *conn
		if cc, err = db.newConn(ctx, db.wdb); err == nil {
			go db.checkpointer(cc)
		}
	}
	if err != nil {
		close(db.stopped)
		db.Close()
		return nil, err
	}
	if !opts.NoMigrate {
		if err := db.migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return db, nil
}

// fill validates the options and puts in the defaults.
func (o *Options) fill() error {
	switch s := strings.ToUpper(o.Synchronous); s {
	case "":
		o.Synchronous = "NORMAL"
	case "OFF", "NORMAL", "FULL", "EXTRA":
		o.Synchronous = s
	default:
		return fmt.Errorf("synchronous %q: want NORMAL, FULL, EXTRA or OFF", o.Synchronous)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.Readers <= 0 {
		o.Readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if o.Clock == nil {
		o.Clock = switchboard.SystemClock{}
	}
	return nil
}

// errClosed is returned by every call on a closed store.
var errClosed = errors.New("store is closed")

// View runs fn in a read-only transaction that sees one snapshot of the
// database, taken at its first read. Any write in fn fails.
func (db *DB) View(ctx context.Context, fn func(switchboard.Tx) error) error {
	c, err := db.reader(ctx)
	if err != nil {
		return err
	}
	defer db.release(c)
	return c.view(ctx, fn)
}

// reader takes an idle read connection, or opens one while fewer than
// opts.Readers are in use.
func (db *DB) reader(ctx context.Context) (*conn, error) {
	select {
	case db.rslots <- struct{}{}:
	case <-db.done:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case <-db.done: // Close won the race for the slot's connection
		<-db.rslots
		return nil, errClosed
	default:
	}
	db.mu.Lock()
	if n := len(db.idle); n > 0 {
		c := db.idle[n-1]
		db.idle = db.idle[:n-1]
		db.mu.Unlock()
		if c.broken {
			if err := c.renew(ctx, db.rdb); err != nil {
				db.release(c)
				return nil, err
			}
		}
		return c, nil
	}
	db.mu.Unlock()
	c, err := db.newConn(ctx, db.rdb)
	if err != nil {
		<-db.rslots
		return nil, err
	}
	return c, nil
}

// release gives a read connection back to the pool.
func (db *DB) release(c *conn) {
	db.mu.Lock()
	db.idle = append(db.idle, c)
	db.mu.Unlock()
	<-db.rslots
}

// newConn opens a connection of pool and remembers it for Close.
func (db *DB) newConn(ctx context.Context, pool *sql.DB) (*conn, error) {
	sc, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	c := &conn{sc: sc, stmts: make(map[string]*sql.Stmt), clock: db.clock}
	db.mu.Lock()
	db.all = append(db.all, c)
	db.mu.Unlock()
	return c, nil
}

// checkpointPause is the least time between two checkpoints: under load, one
// checkpoint copies the pages of many commits at once.
const checkpointPause = 50 * time.Millisecond

// checkpointer copies committed pages from the WAL into the database file
// after commits, on its own connection, so that no commit pays for it. A
// PASSIVE checkpoint never blocks readers or the writer; once it has copied
// everything, the next write transaction starts the WAL over.
func (db *DB) checkpointer(c *conn) {
	defer close(db.stopped)
	pause := time.NewTimer(0)
	for {
		select {
		case <-db.kick:
		case <-db.done:
			return
		}
		// A failed checkpoint is retried after the next commit; if they keep
		// failing, the writer's own automatic checkpoints take over.
		_, _ = c.sc.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		pause.Reset(checkpointPause)
		select {
		case <-pause.C:
		case <-db.done:
			return
		}
	}
}

// Close waits for the transactions in progress, then closes every connection.
// Calls after Close fail.
func (db *DB) Close() error {
	db.once.Do(func() {
		close(db.done)
		<-db.stopped
		db.w.close() // waits for the write transaction in progress
		for range cap(db.rslots) {
			db.rslots <- struct{}{} // waits for every View in progress
		}
		db.mu.Lock()
		defer db.mu.Unlock()
		var errs []error
		for _, c := range db.all {
			errs = append(errs, c.close())
		}
		errs = append(errs, db.rdb.Close(), db.wdb.Close())
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}
