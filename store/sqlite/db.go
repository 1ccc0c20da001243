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
// The store calls SQLite directly, without database/sql (see sqlconn.go).
// Views answer a client's state and settings from memory while nothing
// changed them (cache.go).
package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // its init adapts the SQLite library to some platforms

	"switchboard"
	"switchboard/internal/ownerfile"
)

var _ switchboard.Store = (*DB)(nil)

// Options configure a store. The zero value works.
type Options struct {
	// NoMigrate opens the database without applying pending migrations, for
	// `switchboard migrate`, which calls Migrate itself.
	NoMigrate bool
	// Synchronous is SQLite's PRAGMA synchronous: "FULL" by default, so that an
	// Update that returned is on disk and survives a power loss or an OS crash:
	// each commit fsyncs the WAL, and group commit (writer.go) shares that
	// fsync among the Updates waiting at the time. In WAL mode "NORMAL" never
	// loses a committed transaction when the process crashes, but the last
	// transactions before a power loss may be rolled back (the database stays
	// consistent). "OFF" is for throwaway test databases.
	Synchronous string
	// BusyTimeout is how long a statement waits for a lock held by another
	// process (a second instance, `switchboard migrate`); 5s by default.
	BusyTimeout time.Duration
	// Readers is the number of read connections View may use at once;
	// 8×GOMAXPROCS (at least 16) by default. Reads are short but a few are
	// not (the desk's session lists): with two connections a core, a
	// handful of those made every short read (a sign-in check, a turn's
	// state) queue for tens of milliseconds, where sharing the cores costs
	// them far less. An idle connection costs a file descriptor and the
	// pages it cached.
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

	w     writer      // the write connection and the transaction in progress
	cache *stateCache // what Views read of clients and settings (cache.go)

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

// ownFiles makes the database file, before SQLite opens it, one only its
// owner reads (mode 0600), whatever the umask: SQLite gives the files it
// makes next to it (-wal, -shm) the database file's mode. Files
// that earlier versions left readable by others (0644) are made 0600.
func ownFiles(path string) error {
	if err := ownerfile.Create(path); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := ownerfile.Restrict(p); err != nil {
			return err
		}
	}
	return nil
}

func open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%q: want the path of a database file", path)
	}
	if err := opts.fill(); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	if err := ownFiles(path); err != nil {
		return nil, err
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
	p, err := openPeers(path)
	if err != nil {
		return nil, err
	}
	db.cache = newStateCache(p)
	db.w = writer{kick: db.kick, lingerFor: lingerDelay, cache: db.cache, changes: newChanges()}
	wc, err := db.newConn(true, db.w.changes)
	if err == nil {
		db.w.c = wc
		var cc *conn
		if cc, err = db.newConn(true, nil); err == nil {
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
		o.Synchronous = "FULL"
	case "OFF", "NORMAL", "FULL", "EXTRA":
		o.Synchronous = s
	default:
		return fmt.Errorf("synchronous %q: want NORMAL, FULL, EXTRA or OFF", o.Synchronous)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.Readers <= 0 {
		o.Readers = max(16, 8*runtime.GOMAXPROCS(0))
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
			if err := c.renew(); err != nil {
				db.release(c)
				return nil, err
			}
		}
		return c, nil
	}
	db.mu.Unlock()
	c, err := db.newConn(false, nil)
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

// newConn opens a connection, for writing (the writer, the checkpointer) or
// for View, and remembers it for Close; the row changes of a connection
// given a collector go to it (the writer's). The writer's own checkpoints
// are only a fallback for when the checkpointer falls behind.
func (db *DB) newConn(write bool, watch *changes) (*conn, error) {
	setup := []string{"PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -16384"}
	if write {
		setup = append(setup, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = "+db.opts.Synchronous,
			"PRAGMA wal_autocheckpoint = 8192", "PRAGMA journal_size_limit = 67108864")
	} else {
		setup = append(setup, "PRAGMA query_only = ON")
	}
	c := &conn{clock: db.clock, files: filepath.Join(filepath.Dir(db.path), "attachments"), cache: db.cache, open: func() (*sqlConn, error) {
		sc, err := openSQL(db.path, db.opts.BusyTimeout, setup...)
		if err == nil && watch != nil {
			sc.watch(watch)
		}
		return sc, err
	}}
	var err error
	if c.sqlConn, err = c.open(); err != nil {
		return nil, err
	}
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
		_, _ = c.exec("PRAGMA wal_checkpoint(PASSIVE)")
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
		if db.w.changes != nil {
			db.w.changes.forget()
		}
		errs = append(errs, db.cache.peers.close())
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}
