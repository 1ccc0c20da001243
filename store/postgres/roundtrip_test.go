package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
)

// A transaction begins with its first statement, in the same round trip:
// whatever way it ends, its connection goes back to the pool. With two
// connections, a leak would make a later transaction wait for ever.
func TestTransactionsGiveTheirConnectionBack(t *testing.T) {
	db := openTemp(t, pgtest.Schema(t), postgres.Options{MaxConns: 2})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	key := switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u"}
	errStop := errors.New("stop")
	for i := range 10 {
		// The first statement fails (a NUL character in text).
		err := db.Update(ctx, func(tx switchboard.Tx) error {
			_, err := tx.FindClient(ctx, switchboard.ClientKey{BotID: "b\x00", ChannelID: "c", UserID: "u"})
			return err
		})
		if switchboard.ErrorCode(err) != switchboard.EINVALID {
			t.Fatalf("round %d: a first statement with a NUL = %v, want EINVALID", i, err)
		}
		// fn fails after its first statement, in a write and in a read.
		if err := db.Update(ctx, func(tx switchboard.Tx) error {
			if err := tx.LockClient(ctx, key); err != nil {
				return err
			}
			return errStop
		}); !errors.Is(err, errStop) {
			t.Fatalf("round %d: Update = %v, want %v", i, err, errStop)
		}
		if err := db.View(ctx, func(tx switchboard.Tx) error {
			if _, err := tx.FindClient(ctx, key); err != nil {
				return err
			}
			return errStop
		}); !errors.Is(err, errStop) {
			t.Fatalf("round %d: View = %v, want %v", i, err, errStop)
		}
		// fn panics after its first statement.
		func() {
			defer func() { _ = recover() }()
			_ = db.View(ctx, func(tx switchboard.Tx) error {
				if _, err := tx.FindClient(ctx, key); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		// Transactions that run no statement.
		if err := db.Update(ctx, func(switchboard.Tx) error { return nil }); err != nil {
			t.Fatalf("round %d: an empty Update = %v", i, err)
		}
		if err := db.View(ctx, func(switchboard.Tx) error { return nil }); err != nil {
			t.Fatalf("round %d: an empty View = %v", i, err)
		}
	}
	// A transaction that does commit still works, and so do the statements
	// after its first.
	c := &switchboard.Client{Key: key, CallbackURL: "https://example.com/cb"}
	if err := db.Update(ctx, func(tx switchboard.Tx) error {
		if err := tx.LockClient(ctx, key); err != nil {
			return err
		}
		return tx.PutClient(ctx, c)
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	var got *switchboard.Client
	if err := db.View(ctx, func(tx switchboard.Tx) (err error) { got, err = tx.FindClient(ctx, key); return err }); err != nil || got == nil || got.CallbackURL != c.CallbackURL {
		t.Fatalf("FindClient = %+v, %v; want %+v", got, err, c)
	}
}
