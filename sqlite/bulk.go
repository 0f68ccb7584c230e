package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// bulkPragmas are the settings of a bulk load, against the ones Open
// sets: no sync at each commit (a crash mid-load loses the load, which
// is rerun, never the rows from before it, as WAL keeps them apart), a
// 1 GiB page cache so that the indexes being filled stay in memory,
// and temporary structures in memory.
var bulkPragmas = []string{"synchronous", "cache_size", "temp_store"}

var bulkValues = map[string]string{"synchronous": "OFF", "cache_size": "-1048576", "temp_store": "MEMORY"}

// bulkBegin is the dialect's BulkBegin: it reads the connection's
// settings, sets those of a bulk load, and puts them back at the end,
// then folds the write-ahead log into the database file.
func bulkBegin(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	saved := map[string]string{}
	for _, p := range bulkPragmas {
		var v string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
			return nil, fmt.Errorf("read PRAGMA %s: %w", p, err)
		}
		saved[p] = v
	}
	if err := setPragmas(ctx, conn, bulkValues); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		if err := setPragmas(ctx, conn, saved); err != nil {
			return err
		}
		_, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		return err
	}, nil
}

func setPragmas(ctx context.Context, conn *sql.Conn, values map[string]string) error {
	for _, p := range bulkPragmas {
		// Names and values are this file's constants or what SQLite
		// itself reported: never input.
		if _, err := conn.ExecContext(ctx, "PRAGMA "+p+" = "+values[p]); err != nil {
			return fmt.Errorf("set PRAGMA %s: %w", p, err)
		}
	}
	return nil
}

// bulkRowsPerInsert is the dialect's BulkRowsPerInsert, as measured on
// this driver. A statement that writes several rows and may fail keeps
// a statement journal to undo itself, and allocating it costs more than
// the statements it saves: one row each. But the full-text index of
// tweets, filled by triggers, flushes its pending terms at the end of
// each statement: tweets go 64 to a statement.
func bulkRowsPerInsert(table string) int {
	if table == "tweets" {
		return 64
	}
	return 1
}
