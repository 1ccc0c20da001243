package sqlite

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The store calls SQLite's C API, as modernc.org/sqlite/lib provides it
// (SQLite translated to Go), instead of going through database/sql and the
// modernc.org/sqlite driver. A bot turn is a dozen short statements, and for
// each of them those two layers cost more than SQLite's own work: database/sql
// converts every argument and wraps every result; the driver fetches the name
// and declared type of every column of every result, copies every text
// argument into a C allocation of its own, and takes the connection's mutex on
// every call into SQLite. Here, a connection is only ever used by one
// goroutine at a time (the writer, a View, the checkpointer), so it needs no
// mutex; a statement is prepared once per connection and keeps one buffer for
// the text of its arguments; and a row is read straight into the Scan
// destinations.

// sqlConn is one SQLite connection and its prepared statements. Only one
// goroutine may use it at a time.
type sqlConn struct {
	tls   *libc.TLS // SQLite's C stack and thread state
	db    uintptr   // sqlite3*
	stmts map[string]*sqlStmt
}

// openSQL opens the database file at path and runs the setup statements
// (pragmas) on the new connection.
func openSQL(path string, busyTimeout time.Duration, setup ...string) (*sqlConn, error) {
	c := &sqlConn{tls: libc.NewTLS(), stmts: make(map[string]*sqlStmt)}
	name, err := libc.CString(path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	pdb := c.tls.Alloc(ptrSize)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pdb, sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_CREATE|
		sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = readPtr(pdb)
	c.tls.Free(ptrSize)
	libc.Xfree(c.tls, name)
	if rc != sqlite3.SQLITE_OK {
		err := c.error(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(busyTimeout.Milliseconds()))
	for _, q := range setup {
		if _, err := c.exec(q); err != nil {
			c.close()
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return c, nil
}

// ptrSize is the size of a C pointer.
const ptrSize = int(unsafe.Sizeof(uintptr(0)))

// readPtr reads the C pointer stored at p.
func readPtr(p uintptr) uintptr {
	return *(*uintptr)(unsafe.Pointer(&libc.GoBytes(p, ptrSize)[0]))
}

// close finalizes the statements and closes the connection; closing it
// again does nothing.
func (c *sqlConn) close() error {
	if c.tls == nil {
		return nil
	}
	for q, s := range c.stmts {
		s.finalize()
		delete(c.stmts, q)
	}
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.error(rc)
		}
		c.db = 0
	}
	c.tls.Close()
	c.tls = nil
	return err
}

// sqlError is an error SQLite returned: its extended result code and message.
type sqlError struct {
	code int
	msg  string
}

func (e *sqlError) Error() string { return e.msg }

// Code is the extended result code (sqlite3.SQLITE_CONSTRAINT_UNIQUE, ...).
func (e *sqlError) Code() int { return e.code }

// error is the error of result code rc, with the connection's message when
// it is about rc.
func (c *sqlConn) error(rc int32) error {
	msg := libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	if c.db != 0 && sqlite3.Xsqlite3_extended_errcode(c.tls, c.db) == rc {
		if m := libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db)); m != msg {
			msg += ": " + m
		}
	}
	return &sqlError{code: int(rc), msg: fmt.Sprintf("%s (%d)", msg, rc)}
}

// sqlStmt is a prepared statement, and the C memory that holds the text of
// its arguments while it runs.
type sqlStmt struct {
	c     *sqlConn
	p     uintptr // sqlite3_stmt*
	nargs int
	buf   uintptr // C memory for the text and blob arguments
	size  int     // of buf
	busy  bool    // its rows are being read
	err   error   // why reading its rows stopped early
}

// stmt returns the prepared statement of query, preparing it on first use. A
// query is one SQL statement.
func (c *sqlConn) stmt(query string) (*sqlStmt, error) {
	if s := c.stmts[query]; s != nil {
		return s, nil
	}
	q, err := libc.CString(query)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, q)
	pp := c.tls.Alloc(2 * ptrSize) // the statement, then where the rest of the query starts
	defer c.tls.Free(2 * ptrSize)
	rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, q, -1, sqlite3.SQLITE_PREPARE_PERSISTENT, pp, pp+uintptr(ptrSize))
	if rc != sqlite3.SQLITE_OK {
		return nil, c.error(rc)
	}
	s := &sqlStmt{c: c, p: readPtr(pp)}
	if s.p == 0 || strings.TrimSpace(libc.GoString(readPtr(pp+uintptr(ptrSize)))) != "" {
		s.finalize()
		return nil, fmt.Errorf("%q: want one SQL statement", query)
	}
	s.nargs = int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, s.p))
	c.stmts[query] = s
	return s, nil
}

// finalize frees the statement.
func (s *sqlStmt) finalize() {
	if s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
	sqlite3.Xsqlite3_free(s.c.tls, s.buf)
	s.buf, s.size = 0, 0
}

// bind gives the statement its arguments, in the order of its parameters (the
// parameter ?N takes the Nth argument): nil, int64, int, bool, float64,
// string (TEXT) or []byte (BLOB; a nil one is NULL).
func (s *sqlStmt) bind(args []any) error {
	if len(args) != s.nargs {
		return fmt.Errorf("%d arguments for %d parameters", len(args), s.nargs)
	}
	// Texts and blobs are copied one after the other into buf, which SQLite
	// reads (SQLITE_STATIC) until the statement is reset.
	size := 1 // an empty text still needs a valid pointer
	for _, a := range args {
		switch v := a.(type) {
		case string:
			size += len(v)
		case []byte:
			size += len(v)
		}
	}
	if size > s.size {
		// Every parameter is bound again below, so none keeps pointing into
		// the buffer freed here.
		sqlite3.Xsqlite3_free(s.c.tls, s.buf)
		s.size = max(size, 2*s.size, 256)
		if s.buf = sqlite3.Xsqlite3_malloc64(s.c.tls, uint64(s.size)); s.buf == 0 {
			s.size = 0
			return fmt.Errorf("cannot allocate %d bytes for arguments", size)
		}
	}
	tls, off := s.c.tls, s.buf
	for i, a := range args {
		n := int32(i + 1)
		var rc int32
		switch v := a.(type) {
		case nil:
			rc = sqlite3.Xsqlite3_bind_null(tls, s.p, n)
		case int64:
			rc = sqlite3.Xsqlite3_bind_int64(tls, s.p, n, v)
		case int:
			rc = sqlite3.Xsqlite3_bind_int64(tls, s.p, n, int64(v))
		case bool:
			rc = sqlite3.Xsqlite3_bind_int64(tls, s.p, n, boolArg(v))
		case float64:
			rc = sqlite3.Xsqlite3_bind_double(tls, s.p, n, v)
		case string:
			copy(libc.GoBytes(off, len(v)), v)
			rc = sqlite3.Xsqlite3_bind_text(tls, s.p, n, off, int32(len(v)), sqlite3.SQLITE_STATIC)
			off += uintptr(len(v))
		case []byte:
			if v == nil {
				rc = sqlite3.Xsqlite3_bind_null(tls, s.p, n)
				break
			}
			copy(libc.GoBytes(off, len(v)), v)
			rc = sqlite3.Xsqlite3_bind_blob(tls, s.p, n, off, int32(len(v)), sqlite3.SQLITE_STATIC)
			off += uintptr(len(v))
		default:
			return fmt.Errorf("argument %d: a %T cannot be stored", n, a)
		}
		if rc != sqlite3.SQLITE_OK {
			return s.c.error(rc)
		}
	}
	return nil
}

// result is what a statement changed.
type result struct {
	lastID  int64 // the rowid of the last row inserted on the connection
	changes int64 // rows inserted, updated or deleted
}

// exec runs a statement to its end (reading past any rows it returns).
func (c *sqlConn) exec(query string, args ...any) (result, error) {
	s, err := c.start(query, args)
	if err != nil {
		return result{}, err
	}
	defer s.reset()
	for {
		switch rc := sqlite3.Xsqlite3_step(c.tls, s.p); rc {
		case sqlite3.SQLITE_ROW:
		case sqlite3.SQLITE_DONE:
			return result{
				lastID:  sqlite3.Xsqlite3_last_insert_rowid(c.tls, c.db),
				changes: sqlite3.Xsqlite3_changes64(c.tls, c.db),
			}, nil
		default:
			return result{}, c.error(rc)
		}
	}
}

// execScript runs SQL statements one after the other (a migration), without
// keeping them prepared.
func (c *sqlConn) execScript(script string) error {
	p, err := libc.CString(script)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, p)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, p, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.error(rc)
	}
	return nil
}

// queryInt runs a query whose first row is one integer.
func (c *sqlConn) queryInt(query string, args ...any) (int, error) {
	r, err := c.query(query, args...)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%q returned no row", query)
	}
	var n int
	return n, r.Scan(&n)
}

// query runs a statement whose rows the caller reads, then closes.
func (c *sqlConn) query(query string, args ...any) (rows, error) {
	s, err := c.start(query, args)
	if err != nil {
		return rows{}, err
	}
	return rows{s}, nil
}

// start binds the arguments of the statement of query, which is not running.
func (c *sqlConn) start(query string, args []any) (*sqlStmt, error) {
	s, err := c.stmt(query)
	if err != nil {
		return nil, err
	}
	if s.busy {
		return nil, fmt.Errorf("%q is still running: close its rows first", query)
	}
	if err := s.bind(args); err != nil {
		sqlite3.Xsqlite3_clear_bindings(c.tls, s.p)
		return nil, err
	}
	s.busy, s.err = true, nil
	return s, nil
}

// reset ends a run of the statement.
func (s *sqlStmt) reset() {
	if s.busy {
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		s.busy = false
	}
}

// rows are the rows of a running statement, read as with database/sql:
// Next, Scan, and Err once Next is false; Close ends the run.
type rows struct{ s *sqlStmt }

// Next steps to the next row and reports whether there is one.
func (r rows) Next() bool {
	s := r.s
	if !s.busy {
		return false
	}
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true
	case sqlite3.SQLITE_DONE:
	default:
		s.err = s.c.error(rc)
	}
	s.reset()
	return false
}

// Err is why Next stopped before the last row, if it did.
func (r rows) Err() error { return r.s.err }

// Close ends the run of the statement; the rows can no longer be read.
func (r rows) Close() { r.s.reset() }

// Scan reads the columns of the current row into dest, one per column:
// *string, *int64, *int, *[]byte (NULL is nil), or a columnScanner.
func (r rows) Scan(dest ...any) error {
	s := r.s
	if !s.busy {
		return fmt.Errorf("no row to scan")
	}
	if n := int(sqlite3.Xsqlite3_column_count(s.c.tls, s.p)); len(dest) != n {
		return fmt.Errorf("%d destinations for %d columns", len(dest), n)
	}
	for i, d := range dest {
		if err := s.column(int32(i), d); err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return nil
}

// column reads column i of the current row into d.
func (s *sqlStmt) column(i int32, d any) error {
	col := column{s: s, i: i, typ: sqlite3.Xsqlite3_column_type(s.c.tls, s.p, i)}
	switch d := d.(type) {
	case *string:
		if col.typ == sqlite3.SQLITE_INTEGER {
			n, _ := col.int64()
			*d = strconv.FormatInt(n, 10)
			return nil
		}
		b, err := col.bytes()
		*d = string(b)
		return err
	case *int64:
		n, err := col.int64()
		*d = n
		return err
	case *int:
		n, err := col.int64()
		*d = int(n)
		return err
	case *[]byte:
		if col.null() {
			*d = nil
			return nil
		}
		b, err := col.bytes()
		*d = append([]byte{}, b...)
		return err
	case columnScanner:
		return d.scanColumn(col)
	}
	return fmt.Errorf("cannot scan into a %T", d)
}

// columnScanner is a Scan destination that reads its column itself (a
// stored time, a JSON document, ...).
type columnScanner interface{ scanColumn(column) error }

// column is a column of the current row of a statement.
type column struct {
	s   *sqlStmt
	i   int32
	typ int32 // sqlite3.SQLITE_INTEGER, ...
}

// null reports whether the column is NULL.
func (c column) null() bool { return c.typ == sqlite3.SQLITE_NULL }

// int64 is the column's INTEGER.
func (c column) int64() (int64, error) {
	if c.typ != sqlite3.SQLITE_INTEGER {
		return 0, fmt.Errorf("%s column where an INTEGER was expected", c.typeName())
	}
	return sqlite3.Xsqlite3_column_int64(c.s.c.tls, c.s.p, c.i), nil
}

// bytes is the column's TEXT or BLOB, in SQLite's memory: valid until the
// next step.
func (c column) bytes() ([]byte, error) {
	tls, p := c.s.c.tls, c.s.p
	var data uintptr
	switch c.typ {
	case sqlite3.SQLITE_TEXT:
		data = sqlite3.Xsqlite3_column_text(tls, p, c.i)
	case sqlite3.SQLITE_BLOB:
		data = sqlite3.Xsqlite3_column_blob(tls, p, c.i)
	default:
		return nil, fmt.Errorf("%s column where a TEXT was expected", c.typeName())
	}
	n := int(sqlite3.Xsqlite3_column_bytes(tls, p, c.i))
	if data == 0 || n == 0 {
		return nil, nil
	}
	return libc.GoBytes(data, n), nil
}

// typeName names the column's type in errors.
func (c column) typeName() string {
	switch c.typ {
	case sqlite3.SQLITE_INTEGER:
		return "an INTEGER"
	case sqlite3.SQLITE_FLOAT:
		return "a REAL"
	case sqlite3.SQLITE_TEXT:
		return "a TEXT"
	case sqlite3.SQLITE_BLOB:
		return "a BLOB"
	}
	return "a NULL"
}
