package sqlite

import (
	"context"
	"embed"
	"fmt"

	"switchboard/store/internal/schema"
)

// The schema is a sequence of numbered SQL files, NNNN_name.sql (see package
// schema), applied in order, each in its own transaction together with its
// row in schema_migrations. The PostgreSQL store keeps the same numbering.
//
// A migration cannot change PRAGMA foreign_keys (SQLite ignores it inside a
// transaction); one that rebuilds a table must keep its references valid.

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the embedded migrations in order, checked once.
var migrations, migrationsErr = schema.Load(migrationFiles, "migrations")

// Migrate applies the pending migrations, each in its own transaction. Other
// processes using the database wait meanwhile; a second process migrating at
// the same time applies nothing twice.
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
	c, err := db.w.hold()
	if err != nil {
		return false, err
	}
	defer db.w.unhold()
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if _, err := c.exec(stmtBeginImmediate); err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			c.rollback()
		}
	}()
	if _, err := c.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL)`); err != nil {
		return false, fmt.Errorf("schema_migrations: %w", err)
	}
	version, err := c.queryInt(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`)
	if err != nil {
		return false, fmt.Errorf("schema_migrations: %w", err)
	}
	switch {
	case version > len(migrations):
		return false, fmt.Errorf("database schema version %d is newer than this program's (%d)", version, len(migrations))
	case version == len(migrations):
		done = true
	default:
		m := migrations[version]
		if err := c.execScript(m.SQL); err != nil {
			return false, fmt.Errorf("%s: %w", m.Name, err)
		}
		if _, err := c.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.Version, m.Name, db.clock.Now().UnixMicro()); err != nil {
			return false, fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	if _, err := c.exec(stmtCommit); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	committed = true
	return done, nil
}

// SchemaVersion returns the number of the last migration applied to the
// database, 0 for a database never migrated.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	c, err := db.reader(ctx)
	if err != nil {
		return 0, err
	}
	defer db.release(c)
	n, err := c.queryInt(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`)
	if err == nil && n == 1 {
		n, err = c.queryInt(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`)
	}
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return n, nil
}

// LatestSchemaVersion is the number of the last migration this program knows.
func LatestSchemaVersion() int { return len(migrations) }
