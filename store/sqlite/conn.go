package sqlite

import (
	"context"
	"strings"

	"switchboard"
)

// Statements that frame transactions. Transactions are framed with plain
// statements, prepared once per connection like every other.
const (
	stmtBeginImmediate = "BEGIN IMMEDIATE"
	stmtBegin          = "BEGIN"
	stmtCommit         = "COMMIT"
	stmtRollback       = "ROLLBACK"
	stmtSavepoint      = "SAVEPOINT u"
	stmtRelease        = "RELEASE u"
	stmtRollbackTo     = "ROLLBACK TO u"
)

// conn is one SQLite connection of the store. Only the goroutine holding it
// uses it.
type conn struct {
	*sqlConn
	open   func() (*sqlConn, error) // opens a connection like this one
	clock  switchboard.Clock        // dates what the store dates itself
	files  string                   // the folder of the attachments' bytes
	cache  *stateCache              // the store's cache, which Views read and fill
	broken bool                     // a rollback failed: replace the connection before use
}

// view runs fn in a read transaction.
func (c *conn) view(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := newTx(c)
	t.view = true
	defer func() {
		t.ended = true
		if t.begun {
			c.rollback() // nothing was written: ending a read transaction either way is the same
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if t.lost != nil {
		return t.lost
	}
	return nil
}

// rollback ends the transaction in progress. SQLite may already have rolled
// it back by itself after some errors; anything else leaves the connection in
// an unknown state, so it is marked for replacement.
func (c *conn) rollback() {
	_, err := c.exec(stmtRollback)
	if err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		c.broken = true
	}
}

// renew replaces the connection, which a failed rollback left in an unknown
// state, with a fresh one.
func (c *conn) renew() error {
	c.sqlConn.close()
	sc, err := c.open()
	if err != nil {
		return err
	}
	c.sqlConn, c.broken = sc, false
	return nil
}
