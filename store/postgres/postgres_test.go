package postgres_test

import (
	"context"
	"testing"

	"switchboard"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
	"switchboard/store/storetest"
)

// openTemp opens a store in a fresh schema, closed when t ends.
func openTemp(t testing.TB, dsn string, opts postgres.Options) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	pgtest.Schema(t) // skips the whole suite without a database
	storetest.Run(t, func(t *testing.T) switchboard.Store {
		return openTemp(t, pgtest.Schema(t), postgres.Options{})
	})
}
