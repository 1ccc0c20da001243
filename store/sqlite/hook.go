package sqlite

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"switchboard"
)

// changes collects the cache keys of the rows the writer's connection
// changes, through SQLite's pre-update hook, which sees every row inserted,
// updated or deleted, by any statement, trigger or foreign key action. Only
// the writer's goroutine, which runs the statements, touches keys.
type changes struct {
	id   uintptr
	keys map[cacheKey]int // rows changed, by key
	all  bool             // a row's key could not be read: the cache forgets everything
	// patches are how the store's writes changed clients' states, and
	// expected the rows those writes changed: a client whose every changed
	// row is a patch's gets its new state in the cache (cache.go).
	patches  map[cacheKey][]patch
	expected map[cacheKey]int
	// unpatched says that rows changed by a patch may have been rolled
	// back (an Update's savepoint): no state is patched at the commit.
	unpatched bool
}

// patch changes a client's cached state as a write changed its rows; it
// reports false when the state does not tell what the rows are now.
type patch func(*switchboard.ClientState) bool

// watched are the tables whose rows make up what the cache holds, and the
// column where each row's key starts: a client's bot, channel and user, or
// a setting's name.
var watched = map[string]struct {
	table byte
	first int32
}{
	"clients":       {'c', 0},
	"memories":      {'c', 0},
	"conversations": {'c', 1},
	"sessions":      {'c', 1},
	"csat_answers":  {'c', 1},
	"settings":      {'s', 0},
}

// hooks finds the changes of a connection from the argument SQLite passes
// to the hook.
var (
	hooks  sync.Map // uintptr → *changes
	hookID atomic.Uintptr
)

// newChanges makes a collector for a writer connection.
func newChanges() *changes {
	ch := &changes{id: hookID.Add(1), keys: make(map[cacheKey]int), patches: make(map[cacheKey][]patch),
		expected: make(map[cacheKey]int)}
	hooks.Store(ch.id, ch)
	return ch
}

// watch has the connection report its row changes to ch.
func (c *sqlConn) watch(ch *changes) {
	sqlite3.Xsqlite3_preupdate_hook(c.tls, c.db, funcPointer(preUpdate), ch.id)
}

// drop empties ch: its rows were told, or rolled back.
func (ch *changes) drop() {
	clear(ch.keys)
	clear(ch.patches)
	clear(ch.expected)
	ch.all, ch.unpatched = false, false
}

// forget stops finding ch from its id: its connection is closed.
func (ch *changes) forget() { hooks.Delete(ch.id) }

// funcPointer is a Go function as a C function pointer of SQLite translated
// to Go, which calls a function pointer as a pointer to a Go func value.
func funcPointer[F any](f F) uintptr {
	return *(*uintptr)(unsafe.Pointer(&f))
}

// preUpdate is the pre-update hook: it notes the key of the row before and
// after the change.
func preUpdate(tls *libc.TLS, arg, db uintptr, op int32, _, table uintptr, _, _ int64) {
	v, ok := hooks.Load(arg)
	if !ok {
		return
	}
	w, ok := watched[string(libc.GoBytes(table, int(libc.Xstrlen(tls, table))))]
	if !ok {
		return
	}
	ch := v.(*changes)
	var before, after cacheKey
	ok = true
	if op != sqlite3.SQLITE_INSERT {
		before, ok = rowKey(tls, db, w.table, w.first, sqlite3.Xsqlite3_preupdate_old)
	}
	if ok && op != sqlite3.SQLITE_DELETE {
		after, ok = rowKey(tls, db, w.table, w.first, sqlite3.Xsqlite3_preupdate_new)
	}
	switch {
	case !ok:
		ch.all = true
	case op == sqlite3.SQLITE_INSERT:
		ch.keys[after]++
	default: // one row changed: an update counts once, unless it moves the row to another key
		ch.keys[before]++
		if op == sqlite3.SQLITE_UPDATE && after != before {
			ch.keys[after]++
		}
	}
}

// rowKey reads the key of the row being changed through read (the old or
// the new row).
func rowKey(tls *libc.TLS, db uintptr, table byte, first int32, read func(*libc.TLS, uintptr, int32, uintptr) int32) (cacheKey, bool) {
	n := int32(3)
	if table == 's' {
		n = 1
	}
	var parts [3]string
	pv := tls.Alloc(ptrSize)
	defer tls.Free(ptrSize)
	for i := range n {
		if read(tls, db, first+i, pv) != sqlite3.SQLITE_OK {
			return cacheKey{}, false
		}
		val := readPtr(pv)
		text := sqlite3.Xsqlite3_value_text(tls, val)
		parts[i] = string(libc.GoBytes(text, int(sqlite3.Xsqlite3_value_bytes(tls, val))))
	}
	return cacheKey{table: table, bot: parts[0], channel: parts[1], user: parts[2]}, true
}
