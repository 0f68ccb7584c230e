package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/tweetsdev/tweets"
)

// txn is the transaction that a store made by Atomic works in.
type txn struct {
	tx *sql.Tx
	// savepoints counts the savepoints open in tx, to name the next.
	savepoints int
}

// maxAttempts bounds how often Atomic runs a transaction that the
// database keeps refusing for clashes with concurrent ones.
const maxAttempts = 30

// Atomic implements tweets.Store. Its transactions begin with the
// dialect's AtomicTx, under which a read-modify-write cannot lose a
// concurrent update: the database makes clashing transactions wait for
// one another, or refuses one of them, and Atomic then runs that one
// again after a short random pause.
func (s *Store) Atomic(ctx context.Context, fn func(tx tweets.Store) error) (err error) {
	if s.tx != nil {
		return s.savepoint(ctx, func() error { return fn(s) })
	}
	for attempt := 1; ; attempt++ {
		err = s.transact(ctx, s.dialect.AtomicTx, func(tx *sql.Tx) error { return fn(s.within(tx)) })
		if err == nil || s.dialect.Retryable == nil || !s.dialect.Retryable(err) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("the transaction clashed with concurrent ones %d times: %w", attempt, err)
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// pause waits a random time whose bound doubles with each attempt, up
// to 128ms, so that transactions clashing over the same rows spread out
// instead of clashing again.
func pause(ctx context.Context, attempt int) error {
	t := time.NewTimer(rand.N(time.Millisecond << min(attempt, 7))) // #nosec G404 -- retry jitter, not a secret
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// within returns a copy of the store whose methods run in tx.
func (s *Store) within(tx *sql.Tx) *Store {
	c := *s
	c.q, c.tx = tx, &txn{tx: tx}
	return &c
}

// Transact runs fn in a transaction, committing if it returns nil and
// rolling back if it returns an error or panics. On a store made by
// Atomic, fn runs in a savepoint of that store's transaction instead, so
// a method built on Transact still succeeds or fails as a whole there.
func (s *Store) Transact(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return s.savepoint(ctx, func() error { return fn(s.tx.tx) })
	}
	return s.transact(ctx, nil, fn)
}

func (s *Store) transact(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.DB.BeginTx(ctx, opts)
	if err != nil {
		return s.mapError(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = s.mapError(tx.Commit())
	}()
	return fn(tx)
}

// savepoint runs fn in the store's transaction after a SAVEPOINT, and
// rolls back to it if fn fails or panics: the transaction then goes on
// as if fn had not run. Besides undoing fn's writes, that keeps the
// transaction usable on PostgreSQL, which refuses every statement after
// a failed one until the transaction or a savepoint is rolled back. The
// syntax is the same on SQLite and PostgreSQL.
func (s *Store) savepoint(ctx context.Context, fn func() error) (err error) {
	t := s.tx
	t.savepoints++
	defer func() { t.savepoints-- }()
	name := "atomic_" + strconv.Itoa(t.savepoints)
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return s.mapError(err)
	}
	undo := func() error {
		if _, err := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); err != nil {
			return err
		}
		_, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			// Undone here too, in case the caller recovers and commits.
			_ = undo()
			panic(p)
		}
		if err != nil {
			if uerr := undo(); uerr != nil {
				err = fmt.Errorf("%w (and rolling back to the savepoint failed: %v)", err, uerr)
			}
			return
		}
		_, err = t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
		err = s.mapError(err)
	}()
	return fn()
}

// outsideAtomic refuses, on a store made by Atomic, what works on the
// database as a whole: on SQLite it would wait for the write lock that
// the store's own transaction holds.
func (s *Store) outsideAtomic(what string) error {
	if s.tx != nil {
		return fmt.Errorf("%s cannot run inside Atomic", what)
	}
	return nil
}
