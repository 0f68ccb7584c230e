// Package postgres opens a PostgreSQL database through pgx, the store for
// production and for more than one replica.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockID is the advisory lock key that serializes migrations
// across replicas (any constant works; this one spells "tweets").
const migrationLockID = 0x747765657473

// Options tune the connection pool.
type Options struct {
	MaxOpenConns int
	MaxIdleConns int
}

// Open connects to the database at url (a postgres:// URL or a key=value
// DSN) and checks that it answers.
func Open(ctx context.Context, url string, opt Options) (*sqlstore.Store, error) {
	cfg, err := pgxConfig(url)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	if opt.MaxOpenConns <= 0 {
		opt.MaxOpenConns = 20
	}
	if opt.MaxIdleConns <= 0 {
		opt.MaxIdleConns = opt.MaxOpenConns / 2
	}
	db.SetMaxOpenConns(opt.MaxOpenConns)
	db.SetMaxIdleConns(opt.MaxIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", where(cfg), err)
	}
	collate, err := chooseFold(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.New(db, sqlstore.Dialect{
		Name:         "postgres",
		Migrations:   sub,
		Numbered:     true,
		MapError:     mapError,
		Lock:         lock,
		BootstrapSQL: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
		// Under READ COMMITTED, two transactions that read a row and
		// write it back would both succeed and one update would be lost.
		// SERIALIZABLE refuses one of them instead, and Atomic runs it
		// again.
		AtomicTx:     &sql.TxOptions{Isolation: sql.LevelSerializable},
		Retryable:    retryable,
		ContainsFold: containsFold(collate),
		MatchWords:   matchWords,
		HomeItems:    homeItems,
		Explain:      explain,
		BulkBegin:    bulkBegin,
		CopyRows:     copyRows,
	})
}

// retryable reports serialization failures and deadlocks: PostgreSQL
// refused the transaction for clashing with a concurrent one, and it may
// succeed if run again.
func retryable(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
}

func lock(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		return nil, err
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockID)
	}, nil
}

// mapError turns PostgreSQL's unique violations into tweets.ErrConflict.
func mapError(err error) error {
	var e *pgconn.PgError
	if errors.As(err, &e) && e.Code == "23505" {
		return fmt.Errorf("%w (%v)", tweets.ErrConflict, err)
	}
	return err
}

// ConnectionLimit returns how many connections the server accepts from
// users that are not superusers: max_connections less the reserved slots
// (reserved_connections exists from PostgreSQL 16 on).
func ConnectionLimit(ctx context.Context, db *sql.DB) (n int, err error) {
	err = db.QueryRowContext(ctx, `SELECT current_setting('max_connections')::int
		- current_setting('superuser_reserved_connections')::int
		- coalesce(current_setting('reserved_connections', true), '0')::int`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read max_connections: %w", err)
	}
	return n, nil
}
