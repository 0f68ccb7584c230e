package sqlite

import (
	"context"
	"database/sql"
)

// explain is EXPLAIN QUERY PLAN: one line per step ("SEARCH t USING
// INDEX ...", "SCAN t", "USE TEMP B-TREE FOR ORDER BY").
func explain(ctx context.Context, db *sql.DB, query string, args []any) ([]string, error) {
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			return nil, err
		}
		lines = append(lines, detail)
	}
	return lines, rows.Err()
}
