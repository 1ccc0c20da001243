// Package pgtest gives tests a PostgreSQL schema of their own in the database
// named by SWITCHBOARD_TEST_POSTGRES (a DSN such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Without it, tests
// that need PostgreSQL are skipped with a message saying how to run them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the environment variable naming the test database.
const Env = "SWITCHBOARD_TEST_POSTGRES"

// Schema creates a fresh, empty schema, drops it with everything in it when
// t ends, and returns a DSN whose connections use it (search_path). Several
// stores or servers opened on the DSN share the schema, as instances share a
// database. It skips t when SWITCHBOARD_TEST_POSTGRES is not set.
func Schema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " is not set: PostgreSQL tests skipped (set it to a DSN, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	name := "sbtest_" + hex.EncodeToString(b)
	exec(t, base, "CREATE SCHEMA "+name)
	t.Cleanup(func() { exec(t, base, "DROP SCHEMA "+name+" CASCADE") })
	return WithSearchPath(base, name)
}

// WithSearchPath returns dsn with its connections' search_path set to schema.
func WithSearchPath(dsn, schema string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn) + " search_path=" + schema
}

// exec runs one statement on its own connection.
func exec(t testing.TB, dsn, sql string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}
