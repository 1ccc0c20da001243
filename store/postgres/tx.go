package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"switchboard"
)

var _ switchboard.Tx = (*tx)(nil)

// tx is the switchboard.Tx of one transaction; its methods live in the file
// of the entity they handle.
type tx struct {
	db   *DB
	opts pgx.TxOptions
	// ptx is the transaction, nil until its first statement began it.
	ptx   pgx.Tx
	ended bool // the transaction is over: no more statements
	// ahead holds the answers of the client reads a View did ahead, by
	// statement (see ahead.go).
	ahead map[string]aheadAnswer
}

// errEnded is returned when a Tx is used after its transaction ended.
var errEnded = errors.New("transaction has ended")

// ready reports why no statement may run now, if any.
func (t *tx) ready(ctx context.Context) error {
	if t.ended {
		return errEnded
	}
	return ctx.Err()
}

// query runs a statement, calling each for every row it returns, and returns
// its command tag. The first statement of the transaction goes in one batch
// after the BEGIN, so beginning costs no round trip of its own; in a View,
// the client reads done ahead follow it in that batch.
func (t *tx) query(ctx context.Context, each func(pgx.Rows) error, query string, args ...any) (pgconn.CommandTag, error) {
	if err := t.ready(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	if err := switchboard.CheckStored(args); err != nil {
		return pgconn.CommandTag{}, err
	}
	if t.ptx != nil {
		rows, err := t.ptx.Query(ctx, query, args...)
		if err != nil {
			return pgconn.CommandTag{}, dataError(err)
		}
		return readRows(rows, each)
	}
	b := &pgx.Batch{}
	b.BeginTx(t.opts)
	b.Queue(query, args...)
	reads, key := t.aheadOf(query, args)
	readArgs := make([][]string, len(reads))
	for i, r := range reads {
		readArgs[i] = r.args(key)
		b.Queue(r.sql, anyArgs(readArgs[i])...)
	}
	br := t.db.pool.SendBatch(ctx, b)
	// The transaction owns the connection from now on, even when the
	// batch failed: its rollback (see DB.run) gives the connection back.
	t.ptx = br.Tx()
	if _, err := br.Exec(); err != nil { // the BEGIN, or sending the batch
		_ = br.Close()
		return pgconn.CommandTag{}, dataError(err)
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return pgconn.CommandTag{}, dataError(err)
	}
	tag, err := readRows(rows, each)
	if err == nil && len(reads) > 0 {
		err = t.readAhead(br, reads, readArgs)
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		return pgconn.CommandTag{}, dataError(cerr)
	}
	return tag, err
}

// readAhead keeps the answers of the client reads queued in br, each with
// its arguments.
func (t *tx) readAhead(br pgx.BatchResults, reads []clientRead, args [][]string) error {
	t.ahead = make(map[string]aheadAnswer, len(reads))
	for i, r := range reads {
		rows, err := br.Query()
		if err != nil {
			return dataError(err)
		}
		v, err := r.read(rows)
		if err != nil {
			return err
		}
		t.ahead[r.sql] = aheadAnswer{args: args[i], v: v}
	}
	return nil
}

// anyArgs is a statement's text arguments as pgx takes them.
func anyArgs(args []string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

// readRows calls each for every row of rows, then closes them.
func readRows(rows pgx.Rows, each func(pgx.Rows) error) (pgconn.CommandTag, error) {
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return pgconn.CommandTag{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return pgconn.CommandTag{}, dataError(err)
	}
	return rows.CommandTag(), nil
}

// exec runs a statement and returns how many rows it changed.
func (t *tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := t.query(ctx, func(pgx.Rows) error { return nil }, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// queryAll runs query and scans every row with scan; or answers what a View
// read ahead.
func queryAll[T any](ctx context.Context, t *tx, scan func(pgx.Row) (T, error), query string, args ...any) ([]T, error) {
	if v, ok := t.takeAhead(query, args); ok {
		if err := t.ready(ctx); err != nil {
			return nil, err
		}
		return v.([]T), nil
	}
	var out []T
	if _, err := t.query(ctx, collect(scan, &out), query, args...); err != nil {
		return nil, err
	}
	return out, nil
}

// collect returns the row reader of query that appends each row, scanned by
// scan, to out.
func collect[T any](scan func(pgx.Row) (T, error), out *[]T) func(pgx.Rows) error {
	return func(r pgx.Rows) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	}
}

// queryOne runs query and scans its first row with scan; it returns nil when
// there is none.
func queryOne[T any](ctx context.Context, t *tx, scan func(pgx.Row) (T, error), query string, args ...any) (*T, error) {
	vs, err := queryAll(ctx, t, scan, query, args...)
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	return &vs[0], nil
}

// notFound is the application error of a missing thing.
func notFound(what string, id any) error {
	return switchboard.Errorf(switchboard.ENOTFOUND, "%s %v not found", what, id)
}

// SQLSTATE codes the store tells apart.
const (
	codeUnique     = "23505"
	codeForeignKey = "23503"
)

// isCode reports whether err is a database error with this SQLSTATE.
func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// dataError turns the database refusing a value that SQLite would store
// (a NUL character in text, malformed JSON) into EINVALID, so that a bad
// request is answered 400 rather than 500.
func dataError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05" || pe.Code == "22P02") {
		return switchboard.Errorf(switchboard.EINVALID, "a value cannot be stored: %s", pe.Message)
	}
	return err
}

// limitArg turns a limit of the interface into SQL's LIMIT: zero or less is
// no limit (LIMIT NULL).
func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return int64(limit)
}

// Times are timestamptz (microseconds, like SQLite's integers), the zero
// time NULL. They are read back in UTC (see Open).

// timeArg is the column value of a time.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// timePtrArg is the column value of an optional time.
func timePtrArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return timeArg(*t)
}

// timeCol scans a stored time; NULL is the zero time.
type timeCol struct{ p *time.Time }

func (c timeCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	*c.p = time.Time{}
	if v.Valid {
		*c.p = v.Time.UTC()
	}
	return nil
}

// timePtrCol scans an optional stored time; NULL is nil.
type timePtrCol struct{ p **time.Time }

func (c timePtrCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	*c.p = nil
	if v.Valid {
		t := v.Time.UTC()
		*c.p = &t
	}
	return nil
}

// JSON documents are json columns: kept as written (jsonb would refuse the
// \u0000 escape that valid JSON, and SQLite, accept), NULL for none.

// jsonArg is the column value of a JSON document.
func jsonArg(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return []byte(j)
}

// jsonCol is the scan destination of a JSON document; NULL is nil.
func jsonCol(p *json.RawMessage) *[]byte { return (*[]byte)(p) }

// scanNullTime scans the single time of an aggregate (MIN, MAX); NULL is nil.
func scanNullTime(r pgx.Row) (*time.Time, error) {
	var t *time.Time
	err := r.Scan(timePtrCol{&t})
	return t, err
}

// scanString scans a single text column.
func scanString(r pgx.Row) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}

// exists runs a query of one boolean.
func (t *tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	b, err := queryOne(ctx, t, func(r pgx.Row) (bool, error) {
		var b bool
		err := r.Scan(&b)
		return b, err
	}, query, args...)
	if err != nil {
		return false, err
	}
	return b != nil && *b, nil
}

// wrap adds the method's name to an error, keeping application errors as
// they are.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
