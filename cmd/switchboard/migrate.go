package main

import (
	"context"
	"fmt"
)

// runMigrate applies the pending schema migrations of a server's store and
// says what it did. Servers migrate at start too; this is for upgrades done
// as a step of their own (before starting new instances next to old ones).
// Running it again does nothing.
func runMigrate(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("migrate", std)
	where := addStoreFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := where.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	from, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	to, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(std.out, "%s store %s: schema version %d, up to date\n", db.Kind, db.Where, to)
		return nil
	}
	fmt.Fprintf(std.out, "%s store %s: schema migrated from version %d to %d\n", db.Kind, db.Where, from, to)
	return nil
}
