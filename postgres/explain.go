package postgres

import (
	"context"
	"database/sql"
)

// explain is EXPLAIN with sequential scans disabled, in a transaction
// rolled back: on the small tables of a test PostgreSQL would rightly
// scan, so what matters is whether it can do otherwise. A "Seq Scan"
// left in the plan is a table without an index for that step.
func explain(ctx context.Context, db *sql.DB, query string, args []any) ([]string, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	return lines, rows.Err()
}
