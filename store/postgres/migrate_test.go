package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"switchboard"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
)

func TestInstancesStartingAtOnceMigrateOnce(t *testing.T) {
	dsn := pgtest.Schema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), dsn, postgres.Options{})
			if err == nil {
				db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Open: %v", err)
		}
	}
	db := openTemp(t, dsn, postgres.Options{})
	if v, err := db.SchemaVersion(t.Context()); err != nil || v != postgres.LatestSchemaVersion() {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, postgres.LatestSchemaVersion())
	}
}

func TestMigrateUpgradesAFreshSchemaOnce(t *testing.T) {
	ctx := t.Context()
	db := openTemp(t, pgtest.Schema(t), postgres.Options{NoMigrate: true})
	if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("SchemaVersion of a fresh schema = %d, %v; want 0", v, err)
	}
	if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "s", []byte(`1`)) }); err == nil {
		t.Fatal("PutSetting before Migrate succeeded")
	}
	for range 2 {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != postgres.LatestSchemaVersion() || v < 2 {
			t.Fatalf("SchemaVersion after Migrate = %d, %v; want %d", v, err, postgres.LatestSchemaVersion())
		}
	}
	if err := db.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "s", []byte(`1`)) }); err != nil {
		t.Fatalf("PutSetting after Migrate: %v", err)
	}
}

func TestADatabaseFromANewerProgramIsRefused(t *testing.T) {
	dsn := pgtest.Schema(t)
	openTemp(t, dsn, postgres.Options{})
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations VALUES (99, '0099_future.sql', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(t.Context(), dsn, postgres.Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer database = %v, want a refusal", err)
	}
}

func TestAMissingSchemaIsNamed(t *testing.T) {
	dsn := pgtest.WithSearchPath(pgtest.Schema(t), "no_such_schema_here")
	if _, err := postgres.Open(t.Context(), dsn, postgres.Options{}); err == nil || !strings.Contains(err.Error(), "search_path") {
		t.Errorf("Open with a missing schema = %v, want an error naming search_path", err)
	}
}
