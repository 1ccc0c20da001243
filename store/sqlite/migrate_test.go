package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"switchboard/store/internal/schema"
)

// withMigrations runs fn with the embedded migrations replaced by ms.
func withMigrations(t *testing.T, ms []schema.Migration, fn func()) {
	saved := migrations
	migrations = ms
	defer func() { migrations = saved }()
	fn()
}

func TestAFailingMigrationIsRolledBackAndNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	broken := append(append([]schema.Migration(nil), migrations...), schema.Migration{
		Version: len(migrations) + 1,
		Name:    "0099_broken.sql",
		SQL:     "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);",
	})
	withMigrations(t, broken, func() {
		_, err := Open(t.Context(), path, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), "open store: migrate: 0099_broken.sql: ") {
			t.Fatalf("Open = %v, want an error naming the migration", err)
		}
	})
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(t.Context()); err != nil || v != len(migrations) {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
	}
	c, err := db.reader(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer db.release(c)
	if n, err := c.queryInt(`SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half_done'`); err != nil || n != 0 {
		t.Errorf("the failed migration left its table behind (%d, %v)", n, err)
	}
}

func TestADatabaseFromANewerProgramIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	newer := append(append([]schema.Migration(nil), migrations...), schema.Migration{
		Version: len(migrations) + 1, Name: "0099_future.sql", SQL: "CREATE TABLE future (x INTEGER);",
	})
	withMigrations(t, newer, func() {
		db, err := Open(t.Context(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	})
	if _, err := Open(t.Context(), path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer database = %v, want a refusal", err)
	}
}

func TestTheNewestMessageCannotBeDeleted(t *testing.T) {
	// Message ids are rowids: deleting the newest message would let its id be
	// given again, which the schema forbids.
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.w.hold()
	if err != nil {
		t.Fatal(err)
	}
	defer db.w.unhold()
	for range 2 {
		if _, err := c.exec(`INSERT INTO messages (bot_id, channel_id, user_id, direction, sender_kind,
			content_type, interaction_order) VALUES ('b', 'c', 'u', 'SEND', 'bot', 'text', 0)`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.exec(`DELETE FROM messages WHERE id = (SELECT MAX(id) FROM messages)`); err == nil {
		t.Errorf("deleting the newest message succeeded")
	}
	if _, err := c.exec(`DELETE FROM messages WHERE id = (SELECT MIN(id) FROM messages)`); err != nil {
		t.Errorf("deleting an older message: %v", err)
	}
}
