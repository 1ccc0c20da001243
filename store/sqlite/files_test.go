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

// TestAttachmentsAreOwnerOnlyFilesOfTheDataFolder: an attachment's bytes
// go to attachments/<id> beside the database, mode 0600 in a folder only
// the owner enters.
func TestAttachmentsAreOwnerOnlyFilesOfTheDataFolder(t *testing.T) {
	dir := loosefolder.New(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "switchboard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const id = "0b8e1f1e-4a51-4d7c-9a51-2f0c7a3c9d10"
	err = db.Update(context.Background(), func(tx switchboard.Tx) error {
		return tx.PutAttachment(context.Background(), &switchboard.Attachment{ID: id, Name: "a.txt", ContentType: "text/plain", Size: 2}, []byte("hi"))
	})
	if err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]os.FileMode{filepath.Join(dir, "attachments"): 0o700, filepath.Join(dir, "attachments", id): 0o600} {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", f, info.Mode().Perm(), want)
		}
	}
}
