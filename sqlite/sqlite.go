// Package sqlite opens the embedded SQLite database, the default store.
// It uses modernc.org/sqlite, a pure-Go driver, so the binary stays static.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxConns bounds the connections to the file.
func maxConns() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// Open opens (creating if needed) the database file at path in WAL mode.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",   // readers never wait for the writer
		"busy_timeout(10000)", // writers queue instead of failing at once
		"foreign_keys(1)",
		"synchronous(NORMAL)", // durable at checkpoints; safe with WAL
	} {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock when they begin, so two of
	// them never deadlock upgrading from a read lock.
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db := sql.OpenDB(connector{dsn: "file:" + path + "?" + q.Encode()})
	// Queries run on the CPU, in this process: more connections than
	// twice the cores add no speed, only memory (each has its own page
	// cache and sorts), and under 64 concurrent page loads the server
	// grew to half a gigabyte with one connection per request.
	db.SetMaxOpenConns(maxConns())
	db.SetMaxIdleConns(maxConns())
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.New(db, sqlstore.Dialect{
		Name:              "sqlite",
		PrepareStatements: true,
		Migrations:        sub,
		MapError:          mapError,
		BootstrapSQL:      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)",
		ContainsFold:      containsFold,
		MatchWords:        matchWords,
		BulkBegin:         bulkBegin,
		Explain:           explain,
		BulkRowsPerInsert: bulkRowsPerInsert,
		// No lock needed: each migration runs in an IMMEDIATE transaction
		// (see _txlock), which already excludes every other writer.
		// Atomic needs no isolation option and no retries for the same
		// reason: its transactions queue for the write lock (up to the
		// busy timeout) and then run one at a time.
	})
}

// mapError turns SQLite's constraint errors into domain sentinels.
func mapError(err error) error {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w (%v)", tweets.ErrConflict, err)
		}
	}
	return err
}
