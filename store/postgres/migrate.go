package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	"switchboard/store/internal/schema"
)

// The schema is a sequence of numbered SQL files (see package schema) with
// the numbering of the SQLite store, applied in order, each in its own
// transaction together with its row in schema_migrations. PostgreSQL's DDL is
// transactional, so a migration that fails leaves nothing behind.
//
// Several instances may start at once on a new database: each migration
// transaction first takes an advisory lock of the schema, so one instance
// applies a step while the others wait, then find it applied.

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the embedded migrations in order, checked once.
var migrations, migrationsErr = schema.Load(migrationFiles, "migrations")

// Migrate applies the pending migrations, each in its own transaction; a
// second process migrating at the same time applies nothing twice.
func (db *DB) Migrate(ctx context.Context) error {
	if err := db.migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	return schema.Apply(ctx, migrationsErr, db.migrateOne)
}

// migrateOne applies the next pending migration, or reports that there is none.
func (db *DB) migrateOne(ctx context.Context) (done bool, err error) {
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{}, func(t pgx.Tx) error {
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockMigrate, int32(db.salt)); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := t.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer     PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("schema_migrations: %w", err)
		}
		var version int
		if err := t.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
			return fmt.Errorf("schema_migrations: %w", err)
		}
		switch {
		case version > len(migrations):
			return fmt.Errorf("database schema version %d is newer than this program's (%d)", version, len(migrations))
		case version == len(migrations):
			done = true
			return nil
		}
		m := migrations[version]
		// The simple protocol runs a file of several statements at once.
		if _, err := t.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		if _, err := t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.Version, m.Name, db.clock.Now()); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		return nil
	})
	return done, err
}

// SchemaVersion returns the number of the last migration applied to the
// database, 0 for a database never migrated.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var (
		n      int
		exists bool
	)
	err := db.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists)
	if err == nil && exists {
		err = db.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return n, nil
}

// LatestSchemaVersion is the number of the last migration this program knows.
func LatestSchemaVersion() int { return len(migrations) }
