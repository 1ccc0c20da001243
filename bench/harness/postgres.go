package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/store/postgres/pgtest"
)

// newSchema makes a fresh schema in the database at dsn and returns a DSN
// whose connections use it (search_path), and a function that drops it
// with everything in it.
func newSchema(ctx context.Context, dsn string) (string, func(), error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	name := "harness_" + hex.EncodeToString(b)
	if err := execSQL(ctx, dsn, "CREATE SCHEMA "+name); err != nil {
		return "", nil, err
	}
	drop := func() { _ = execSQL(context.Background(), dsn, "DROP SCHEMA "+name+" CASCADE") }
	return pgtest.WithSearchPath(dsn, name), drop, nil
}

// execSQL runs one statement on its own connection.
func execSQL(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("postgres: %s: %w", sql, err)
	}
	return nil
}
