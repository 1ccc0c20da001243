package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"switchboard"
)

var _ switchboard.Tx = (*tx)(nil)

// tx is the switchboard.Tx of one transaction; its methods live in the file
// of the entity they handle. A cancelled context stops the transaction before
// its next statement; a statement that runs is not interrupted (all are
// short).
type tx struct {
	c     *conn
	ended bool  // the transaction is over: no more statements
	lost  error // a statement failed in a way that ended the transaction
	// view marks a View's transaction, which begins at its first statement
	// (a View the cache answers runs none); begun says it has, and since is
	// the cache's clock read just before (cache.go).
	view, begun bool
	since       uint64
	// looked says whether the View asked if the cache may answer it, and
	// cached is the answer (stateCache.usable).
	looked, cached bool
	// changes collects the rows the writer's transaction changes, and how
	// the cache may patch clients' states (nil in a View).
	changes *changes
}

func newTx(c *conn) *tx { return &tx{c: c} }

// begin begins a View's read transaction, before its first statement.
func (t *tx) begin() error {
	if !t.view || t.begun {
		return nil
	}
	t.since = t.c.cache.now()
	if _, err := t.c.exec(stmtBegin); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t.begun = true
	return nil
}

// errEnded is returned when a Tx is used after its transaction ended.
var errEnded = errors.New("transaction has ended")

// ready reports why no statement may run now, if any.
func (t *tx) ready(ctx context.Context) error {
	switch {
	case t.ended:
		return errEnded
	case t.lost != nil:
		return t.lost
	}
	return ctx.Err()
}

// check notes an error that ended the whole transaction. SQLite rolls a
// transaction back by itself on some errors (a full disk, an I/O error, ...);
// a later statement would then run outside any transaction and commit on its
// own, so none may run.
func (t *tx) check(err error) error {
	if err == nil {
		return nil
	}
	var e *sqlError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_ERROR, sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_RANGE,
		sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_READONLY:
		// The statement failed; the transaction goes on.
	default:
		if t.lost == nil {
			t.lost = fmt.Errorf("transaction aborted: %w", err)
		}
	}
	return err
}

// exec runs a statement that returns no rows.
func (t *tx) exec(ctx context.Context, query string, args ...any) (result, error) {
	if err := t.ready(ctx); err != nil {
		return result{}, err
	}
	if err := switchboard.CheckStored(args); err != nil {
		return result{}, err
	}
	if err := t.begin(); err != nil {
		return result{}, err
	}
	res, err := t.c.exec(query, args...)
	return res, t.check(err)
}

// execN runs a statement and returns how many rows it changed.
func (t *tx) execN(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.exec(ctx, query, args...)
	return res.changes, err
}

// query runs a statement that returns rows.
func (t *tx) query(ctx context.Context, query string, args ...any) (rows, error) {
	if err := t.ready(ctx); err != nil {
		return rows{}, err
	}
	if err := switchboard.CheckStored(args); err != nil {
		return rows{}, err
	}
	if err := t.begin(); err != nil {
		return rows{}, err
	}
	r, err := t.c.query(query, args...)
	return r, t.check(err)
}

// scanner is a row being read.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs query and scans every row with scan.
func queryAll[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.check(err)
	}
	return out, nil
}

// queryOne runs query and scans its first row with scan; it returns nil when
// there is none.
func queryOne[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) (*T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, t.check(rows.Err())
	}
	v, err := scan(rows)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// notFound is the application error of a missing thing.
func notFound(what string, id any) error {
	return switchboard.Errorf(switchboard.ENOTFOUND, "%s %v not found", what, id)
}

// isConstraint reports whether err is a violation of the given constraint kind
// (sqlite3.SQLITE_CONSTRAINT_UNIQUE, ...).
func isConstraint(err error, code int) bool {
	if err == nil {
		return false
	}
	var e *sqlError
	return errors.As(err, &e) && e.Code() == code
}

// isUnique reports whether err is a violated uniqueness or primary key.
func isUnique(err error) bool {
	return isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) ||
		isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// limitArg turns a limit of the interface into SQL's LIMIT: zero or less is no
// limit.
func limitArg(limit int) int64 {
	if limit <= 0 {
		return -1
	}
	return int64(limit)
}

// limitSQL is the LIMIT clause of a read of at most limit rows (no limit
// when limit <= 0), written into the SQL instead of bound: SQLite compiles
// a statement whose LIMIT is a bound parameter again every time it runs
// (sqlite3Reprepare: half of a short read's CPU, a tenth of the desk's
// relay). The clause says limit rounded up to a power of two, so that few
// statements stay prepared; the caller keeps the first limit rows
// (firstRows).
func limitSQL(limit int) string {
	if limit <= 0 {
		return " LIMIT -1"
	}
	n := 1
	for n < limit {
		n *= 2
	}
	return " LIMIT " + strconv.Itoa(n)
}

// claimLimit is the LIMIT clause of a claim of at most limit rows (limit >
// 0), written into the SQL for the reason limitSQL gives, and exact: a claim
// leases every row it selects. A worker's claims take a few limits (its
// free slots), so a few statements stay prepared.
func claimLimit(limit int) string {
	return " LIMIT " + strconv.Itoa(limit)
}

// firstRows is the first limit rows of a read made with limitSQL(limit).
func firstRows[T any](rows []T, limit int) []T {
	if limit > 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

// Times are stored as INTEGER unix microseconds, the zero time as NULL.

// timeArg is the column value of a time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// timePtrArg is the column value of an optional time.
func timePtrArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return timeArg(*t)
}

// fromMicros is the UTC time of a stored time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// The types below are Scan destinations that read their column themselves
// (see columnScanner).

// timeCol scans a stored time; NULL is the zero time.
type timeCol struct{ p *time.Time }

func (c timeCol) scanColumn(col column) error {
	if col.null() {
		*c.p = time.Time{}
		return nil
	}
	us, err := col.int64()
	*c.p = fromMicros(us)
	return err
}

// timePtrCol scans an optional stored time; NULL is nil.
type timePtrCol struct{ p **time.Time }

func (c timePtrCol) scanColumn(col column) error {
	if col.null() {
		*c.p = nil
		return nil
	}
	us, err := col.int64()
	t := fromMicros(us)
	*c.p = &t
	return err
}

// jsonArg is the column value of a JSON document: TEXT, or NULL for none.
func jsonArg(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return string(j)
}

// jsonCol scans a JSON document; NULL is nil.
type jsonCol struct{ p *json.RawMessage }

func (c jsonCol) scanColumn(col column) error {
	if col.null() {
		*c.p = nil
		return nil
	}
	b, err := col.bytes()
	*c.p = append(json.RawMessage(nil), b...)
	return err
}

// stringsCol scans a JSON array of strings; an empty array is nil.
type stringsCol struct{ p *[]string }

func (c stringsCol) scanColumn(col column) error {
	b, err := col.bytes()
	if err != nil {
		return err
	}
	if string(b) == "[]" { // most sessions have no tags: no decoder for them
		*c.p = nil
		return nil
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("decode strings: %w", err)
	}
	if len(out) == 0 {
		out = nil
	}
	*c.p = out
	return nil
}

// intCol scans an INTEGER into an int.
type intCol struct{ p *int }

func (c intCol) scanColumn(col column) error {
	n, err := col.int64()
	*c.p = int(n)
	return err
}

// boolCol scans an INTEGER 0 or 1 into a bool.
type boolCol struct{ p *bool }

func (c boolCol) scanColumn(col column) error {
	n, err := col.int64()
	*c.p = n != 0
	return err
}

// boolArg is the column value of a bool.
func boolArg(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// scanNullTime scans the single time of an aggregate (MIN, MAX); NULL is nil.
func scanNullTime(r scanner) (*time.Time, error) {
	var t *time.Time
	err := r.Scan(timePtrCol{&t})
	return t, err
}
