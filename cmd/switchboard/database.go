package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"

	"switchboard/app"
)

// storeFlags are the flags that say where a server's store is, read as
// `serve` reads them so a command finds the server's store: --config (the
// server's configuration file), its data folder (SQLite, and the key files)
// and --database for PostgreSQL.
type storeFlags struct {
	configPath, data, database *string
}

// addStoreFlags adds --config, --data and --database.
func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		configPath: fs.String("config", os.Getenv("SWITCHBOARD_CONFIG"), "the server's JSON configuration `file` (env SWITCHBOARD_CONFIG): its data and database are used"),
		data:       fs.String("data", "", "data `folder` of the server (env SWITCHBOARD_DATA; default: the configuration file's, else ./"+app.DefaultDataDir+")"),
		database: fs.String("database", "",
			"PostgreSQL database `URL` of the server (env SWITCHBOARD_DATABASE; default: the configuration file's, else SQLite in the data folder)"),
	}
}

// storeSettings sets where the store is from the flags, else the
// environment, else leaves the configuration file's: the order `serve` and
// every command that opens a server's store follow.
func storeSettings(cfg *app.Config, data, database string) {
	cfg.DataDir = firstOf(data, os.Getenv("SWITCHBOARD_DATA"), cfg.DataDir, app.DefaultDataDir)
	cfg.Database = firstOf(database, os.Getenv("SWITCHBOARD_DATABASE"), cfg.Database)
}

// config is the part of a server's configuration the flags give.
func (f storeFlags) config() (app.Config, error) {
	file, err := loadConfigFile(*f.configPath)
	if err != nil {
		return app.Config{}, err
	}
	cfg := app.Config{DataDir: file.DataDir, Database: file.Database}
	storeSettings(&cfg, *f.data, *f.database)
	return cfg, nil
}

// storePlace says where a command found the store, for its output: the
// data folder as an absolute path, or the PostgreSQL database (its URL
// without the password).
func storePlace(cfg app.Config, db *app.Database) string {
	if db.Kind == "postgres" {
		return "the PostgreSQL database " + db.Where
	}
	return "the data folder " + absPath(cfg.DataDir)
}

// absPath is path made absolute, or path as it is if that fails.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// open opens the store, applying pending migrations unless noMigrate.
func (f storeFlags) open(ctx context.Context, noMigrate bool) (*app.Database, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return app.OpenDatabase(ctx, cfg, noMigrate)
}
