package sqlite

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTestConn(t *testing.T) *sqlConn {
	t.Helper()
	c, err := openSQL(filepath.Join(t.TempDir(), "db"), time.Second, "PRAGMA journal_mode = WAL",
		"CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, n INTEGER, f REAL, b BLOB, UNIQUE (s))")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.close(); err != nil {
			t.Error(err)
		}
		if err := c.close(); err != nil {
			t.Errorf("second close: %v", err)
		}
	})
	return c
}

func TestSQLConnArgumentsAndColumns(t *testing.T) {
	c := openTestConn(t)
	long := strings.Repeat("x", 5000) // grows the statement's argument buffer
	for i, row := range [][]any{
		{"a\x00b", int64(-7), 1.5, []byte{0, 1, 2}},
		{long, 42, 3.25, []byte{}},
		{"", false, nil, []byte(nil)},
		{"short", nil, 2.0, []byte("after a long one")},
	} {
		res, err := c.exec(`INSERT INTO t (s, n, f, b) VALUES (?, ?, ?, ?)`, row...)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if res.lastID != int64(i+1) || res.changes != 1 {
			t.Errorf("row %d: result %+v", i, res)
		}
	}
	type row struct {
		s string
		n *int64 // nil for NULL
		b []byte
	}
	var got []row
	r, err := c.query(`SELECT s, n, b FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var g row
		if err := r.Scan(&g.s, optionalInt{&g.n}, &g.b); err != nil {
			t.Fatal(err)
		}
		got = append(got, g)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	n := func(v int64) *int64 { return &v }
	want := []row{
		{"a\x00b", n(-7), []byte{0, 1, 2}},
		{long, n(42), []byte{}},
		{"", n(0), nil},
		{"short", nil, []byte("after a long one")},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.s != w.s || string(g.b) != string(w.b) || (g.b == nil) != (w.b == nil) || (g.n == nil) != (w.n == nil) ||
			(g.n != nil && *g.n != *w.n) {
			t.Errorf("row %d: %.20q %v %q, want %.20q %v %q", i, g.s, g.n, g.b, w.s, w.n, w.b)
		}
	}
	// float64 arguments are REAL (and bool ones 0 or 1: row 3's n).
	if n, err := c.queryInt(`SELECT COUNT(*) FROM t WHERE typeof(f) = 'real'`); err != nil || n != 3 {
		t.Errorf("REAL columns: %d, %v", n, err)
	}
	var s string
	if r, err := c.query(`SELECT n FROM t WHERE k = 3`); err != nil {
		t.Fatal(err)
	} else if !r.Next() || r.Scan(&s) != nil || s != "0" {
		t.Errorf("INTEGER into a string: %q", s)
	} else {
		r.Close()
	}
	if r, err := c.query(`SELECT n FROM t WHERE k = 4`); err != nil {
		t.Fatal(err)
	} else if !r.Next() || r.Scan(&s) == nil {
		t.Errorf("NULL into a string: no error")
	} else {
		r.Close()
	}
}

// optionalInt scans an INTEGER or NULL.
type optionalInt struct{ p **int64 }

func (o optionalInt) scanColumn(col column) error {
	if col.null() {
		*o.p = nil
		return nil
	}
	n, err := col.int64()
	*o.p = &n
	return err
}

func TestSQLConnMisuse(t *testing.T) {
	c := openTestConn(t)
	if _, err := c.exec(`INSERT INTO t (s) VALUES (?); INSERT INTO t (s) VALUES (?)`, "a", "b"); err == nil {
		t.Error("two statements in one query: no error")
	}
	if _, err := c.exec(`INSERT INTO t (s) VALUES (?)`); err == nil {
		t.Error("a missing argument: no error")
	}
	if _, err := c.exec(`INSERT INTO t (s) VALUES (?)`, json.RawMessage(`{}`)); err == nil {
		t.Error("an argument of an unknown type: no error")
	}
	if _, err := c.exec(`INSERT INTO t (s) VALUES (?)`, "kept"); err != nil {
		t.Fatalf("the statement after failed binds: %v", err)
	}
	r, err := c.query(`SELECT s FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.query(`SELECT s FROM t`); err == nil {
		t.Error("a query whose rows are open started again: no error")
	}
	r.Close()
	if n, err := c.queryInt(`SELECT COUNT(*) FROM t WHERE s = ?`, "kept"); err != nil || n != 1 {
		t.Errorf("the query after Close: %d, %v", n, err)
	}
	_, err = c.exec(`INSERT INTO t (s) VALUES (?)`, "kept")
	if !isUnique(err) {
		t.Errorf("a duplicate: %v, want a uniqueness violation", err)
	}
	if !strings.Contains(err.Error(), "UNIQUE constraint failed: t.s") {
		t.Errorf("the duplicate's message %q does not name the column", err)
	}
}
