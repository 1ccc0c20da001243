package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard/store/postgres/pgtest"
)

// Schema is a fresh PostgreSQL schema for one run: a load tool's server uses
// it through URL (its search_path), and Drop removes it with everything in it.
type Schema struct {
	// URL is the database URL whose connections use the schema.
	URL        string
	base, name string
}

// NewSchema creates an empty schema in the database of base, a postgres://
// URL (postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
func NewSchema(ctx context.Context, base string) (*Schema, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	s := &Schema{base: base, name: "sbbench_" + hex.EncodeToString(b)}
	if err := s.exec(ctx, "CREATE SCHEMA "+s.name); err != nil {
		return nil, err
	}
	// The server's connections are named after the schema, so that the
	// backends serving them can be told apart (their CPU time is the
	// database's share of a run).
	s.URL = withParam(pgtest.WithSearchPath(base, s.name), "application_name", s.name)
	return s, nil
}

// Backends returns the process ids of the PostgreSQL backends serving the
// schema's URL.
func (s *Schema) Backends(ctx context.Context) ([]int, error) {
	conn, err := pgx.Connect(ctx, s.base)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", s.name)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// withParam sets a query parameter of a postgres:// URL.
func withParam(dsn, key, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// Drop drops the schema and everything in it.
func (s *Schema) Drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return s.exec(ctx, "DROP SCHEMA "+s.name+" CASCADE")
}

// exec runs one statement on a connection of its own.
func (s *Schema) exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.base)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("postgres: %s: %w", sql, err)
	}
	return nil
}
