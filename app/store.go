package app

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"switchboard"
	"switchboard/store/postgres"
	"switchboard/store/sqlite"
)

// Database is an opened store with what the server and the commands need
// besides switchboard.Store: its schema version and, on PostgreSQL, the
// store itself for the notification fan-out.
type Database struct {
	switchboard.Store
	// Kind is "sqlite" or "postgres"; Where is the SQLite file or the
	// PostgreSQL database, without its password.
	Kind, Where string
	pg          *postgres.DB
	migrate     func(context.Context) error
	version     func(context.Context) (int, error)
	latest      int
}

// IsPostgres reports whether database names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than the SQLite default.
func IsPostgres(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// SQLiteFile is the name of the SQLite database in the data folder.
const SQLiteFile = "switchboard.db"

// OpenDatabase opens the store of cfg: PostgreSQL when cfg.Database names
// one, else SQLite in cfg.DataDir. Pending migrations are applied unless
// noMigrate (for `switchboard migrate`, which applies them itself).
func OpenDatabase(ctx context.Context, cfg Config, noMigrate bool) (*Database, error) {
	cfg = cfg.withDefaults()
	if IsPostgres(cfg.Database) {
		db, err := postgres.Open(ctx, cfg.Database, postgres.Options{NoMigrate: noMigrate, Clock: cfg.Clock})
		if err != nil {
			return nil, err
		}
		return &Database{Store: db, Kind: "postgres", Where: redactURL(cfg.Database) + " (schema " + db.Schema() + ")", pg: db,
			migrate: db.Migrate, version: db.SchemaVersion, latest: postgres.LatestSchemaVersion()}, nil
	}
	path := filepath.Join(cfg.DataDir, SQLiteFile)
	db, err := sqlite.Open(ctx, path, sqlite.Options{NoMigrate: noMigrate, Synchronous: strings.ToUpper(cfg.SQLiteSync), Clock: cfg.Clock})
	if err != nil {
		return nil, err
	}
	return &Database{Store: db, Kind: "sqlite", Where: path,
		migrate: db.Migrate, version: db.SchemaVersion, latest: sqlite.LatestSchemaVersion()}, nil
}

// Migrate applies the pending migrations.
func (d *Database) Migrate(ctx context.Context) error { return d.migrate(ctx) }

// SchemaVersion is the number of the last migration applied to the database.
func (d *Database) SchemaVersion(ctx context.Context) (int, error) { return d.version(ctx) }

// LatestSchemaVersion is the number of the last migration this program knows.
func (d *Database) LatestSchemaVersion() int { return d.latest }

// Check reports whether the database answers and has every migration this
// program needs (a newer schema, migrated by a newer instance, is fine).
func (d *Database) Check(ctx context.Context) error {
	v, err := d.version(ctx)
	if err != nil {
		return err
	}
	if v < d.latest {
		return fmt.Errorf("database schema version %d: this program needs %d (run switchboard migrate)", v, d.latest)
	}
	return nil
}

// redactURL removes the password of a database URL, for messages.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a PostgreSQL database)"
	}
	return u.Redacted()
}
