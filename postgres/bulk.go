package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows is the dialect's CopyRows: one COPY, which is atomic.
func copyRows(ctx context.Context, conn *sql.Conn, table string, columns []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: the connection is a %T, not pgx's", table, dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
}

// bulkBegin is the dialect's BulkBegin. Commits of the load do not wait
// for the WAL to reach disk (a crash loses the last batches, never
// earlier data); at the end the planner's statistics are brought up to
// date at once rather than whenever autovacuum gets to the new rows, so
// that the first queries after a load are planned for its size.
func bulkBegin(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	if _, err := conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		if _, err := conn.ExecContext(ctx, "RESET synchronous_commit"); err != nil {
			return err
		}
		_, err := conn.ExecContext(ctx, "ANALYZE")
		return err
	}, nil
}
