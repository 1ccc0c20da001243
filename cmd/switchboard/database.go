package main

import (
	"context"
	"flag"
	"os"

	"switchboard/app"
)

// storeFlags are the flags that say where a server's store is: its data
// folder (SQLite, and the key files), and --database for PostgreSQL.
type storeFlags struct {
	data, database *string
}

// addStoreFlags adds --data and --database, defaulting to the environment.
func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		data: fs.String("data", firstOf(os.Getenv("SWITCHBOARD_DATA"), "./"+app.DefaultDataDir),
			"data `folder` of the server (env SWITCHBOARD_DATA)"),
		database: fs.String("database", os.Getenv("SWITCHBOARD_DATABASE"),
			"PostgreSQL database `URL` of the server (env SWITCHBOARD_DATABASE); empty: SQLite in the data folder"),
	}
}

// config is the part of a server's configuration the flags give.
func (f storeFlags) config() app.Config {
	return app.Config{DataDir: *f.data, Database: *f.database}
}

// open opens the store, applying pending migrations unless noMigrate.
func (f storeFlags) open(ctx context.Context, noMigrate bool) (*app.Database, error) {
	cfg := f.config()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return app.OpenDatabase(ctx, cfg, noMigrate)
}
