// Package schema reads the numbered migrations that every store embeds:
// NNNN_name.sql files, applied in order, each once. The SQLite and
// PostgreSQL stores keep the same numbering, one file per step in each.
package schema

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // the file name, for errors
	SQL     string
}

// Load reads and checks the migrations of dir: numbered from 1 without gaps
// or duplicates. Files not ending in .sql are ignored.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries { // ReadDir sorts by name
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: want a name like 0001_init.sql", name)
		}
		if v != len(ms)+1 {
			return nil, fmt.Errorf("%s: want migration number %d", name, len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	return ms, nil
}

// Apply runs step, which applies the next pending migration in a transaction
// of its own, until it reports that none is left. loadErr is Load's error:
// embedded migrations that do not load apply nothing.
func Apply(ctx context.Context, loadErr error, step func(context.Context) (done bool, err error)) error {
	if loadErr != nil {
		return loadErr
	}
	for {
		done, err := step(ctx)
		if err != nil || done {
			return err
		}
	}
}
