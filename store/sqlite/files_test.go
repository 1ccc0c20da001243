package sqlite_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"switchboard"
	"switchboard/internal/loosefolder"
	"switchboard/store/sqlite"
)

// TestFilesAreOwnerOnly: the database holds transcripts and password
// hashes, so it and its WAL are mode 0600 even in a 0755 data folder under
// the usual umask 022, and a database an earlier version left 0644 is made
// 0600 when opened.
func TestFilesAreOwnerOnly(t *testing.T) {
	path := filepath.Join(loosefolder.New(t), "switchboard.db")
	write := func() {
		db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.PutSetting(context.Background(), "k", json.RawMessage(`{"a":1}`))
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want -rw-------", filepath.Base(f), info.Mode().Perm())
			}
		}
	}
	write()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	write()
}
