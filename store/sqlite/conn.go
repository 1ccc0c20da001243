package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"switchboard"
)

// Statements that frame transactions. Transactions are framed with plain
// statements rather than database/sql's Tx, because a Tx cannot use the
// statements prepared on its connection: it would prepare every statement
// again in every transaction.
const (
	stmtBeginImmediate = "BEGIN IMMEDIATE"
	stmtBegin          = "BEGIN"
	stmtCommit         = "COMMIT"
	stmtRollback       = "ROLLBACK"
	stmtSavepoint      = "SAVEPOINT u"
	stmtRelease        = "RELEASE u"
	stmtRollbackTo     = "ROLLBACK TO u"
)

// conn is one SQLite connection with its prepared statements. Only the
// goroutine holding it uses it, so the cache needs no lock.
type conn struct {
	sc     *sql.Conn
	stmts  map[string]*sql.Stmt
	clock  switchboard.Clock // dates what the store dates itself
	broken bool              // a rollback failed: replace the connection before use
}

// stmt returns the prepared statement of query, preparing it on first use.
func (c *conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s := c.stmts[query]; s != nil {
		return s, nil
	}
	s, err := c.sc.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

// exec runs a statement that returns no rows. Its context is never
// cancellable (see tx.qctx).
func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// view runs fn in a read transaction.
func (c *conn) view(ctx context.Context, fn func(switchboard.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := newTx(ctx, c)
	if _, err := c.exec(t.qctx, stmtBegin); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		t.ended = true
		c.rollback() // nothing was written: ending a read transaction either way is the same
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
	_, err := c.exec(context.Background(), stmtRollback)
	if err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		c.broken = true
	}
}

// renew replaces the underlying connection, which a failed rollback left in an
// unknown state, with a fresh one of pool.
func (c *conn) renew(ctx context.Context, pool *sql.DB) error {
	for _, s := range c.stmts {
		s.Close()
	}
	clear(c.stmts)
	// Returning ErrBadConn from Raw makes database/sql close the connection
	// instead of pooling it.
	_ = c.sc.Raw(func(any) error { return driver.ErrBadConn })
	c.sc.Close()
	sc, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	c.sc, c.broken = sc, false
	return nil
}

// close closes the statements and the connection.
func (c *conn) close() error {
	var errs []error
	for _, s := range c.stmts {
		errs = append(errs, s.Close())
	}
	clear(c.stmts)
	if err := c.sc.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
