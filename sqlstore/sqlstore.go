// Package sqlstore implements tweets.Store over database/sql. The SQL it
// runs is the portable subset that SQLite and PostgreSQL share; what
// differs between them (driver errors, placeholders, locking, the schema)
// is supplied by the sqlite and postgres packages as a Dialect, so no
// query here switches on the database.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/tweetsdev/tweets"
)

// Dialect is what one database contributes.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Migrations holds NNNN_name.sql files, applied in order.
	Migrations fs.FS
	// Numbered reports whether placeholders are $1, $2... rather than ?.
	Numbered bool
	// MapError turns a driver error into a domain sentinel where one
	// applies (a unique violation into tweets.ErrConflict) and returns
	// other errors unchanged.
	MapError func(error) error
	// Lock serializes migrations across processes on conn; unlock is
	// called when they are done.
	Lock func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// BootstrapSQL creates the table that records applied migrations.
	BootstrapSQL string
	// PrepareStatements keeps each query prepared after its first use,
	// which spares SQLite's driver work on every call (pgx caches
	// statements itself).
	PrepareStatements bool
	// HomeItems, when set, is the database's own query for a page of a
	// home timeline's items, with the parameters ($1 or ?1 ...) the
	// reader, the cursors (items below the second, above the third) and
	// the page's size; oldest asks for the page just above the third.
	// Without it, the portable query serves.
	HomeItems func(oldest bool) string
	// Explain returns the plan of query with args, line by line, for
	// tests of the hot queries' plans. PostgreSQL's is asked with
	// sequential scans disabled: what it still scans has no index path.
	Explain func(ctx context.Context, db *sql.DB, query string, args []any) ([]string, error)
	// AtomicTx begins the transactions of Atomic (nil: the driver's
	// default). It must make concurrent read-modify-writes safe: a
	// transaction either sees a concurrent one's writes or is refused.
	AtomicTx *sql.TxOptions
	// Retryable reports whether err means that the database refused a
	// transaction for clashing with a concurrent one, so that Atomic
	// runs it again. Nil for a database that makes no such refusals.
	Retryable func(error) bool
	// ContainsFold returns an SQL condition true where the text of column
	// contains query, and the arguments for its ? placeholders. Case is
	// ignored in every script, as Go's strings.ToLower folds it, and every
	// character of query is taken literally (no wildcards). Each database
	// folds case its own way; storetest holds them to the same answers.
	ContainsFold func(column, query string) (cond string, args []any)
	// MatchWords returns an SQL condition true where the tweet whose
	// alias is tweet holds every one of words, through the database's
	// full-text index, and the arguments for its ? placeholders. A word
	// of the text is a run of letters, marks and digits; case is ignored
	// and accents are kept. Each of words is a whole word of the text,
	// or several that follow each other ("l'école" is "l" then "école").
	MatchWords func(tweet string, words []string) (cond string, args []any)
	// BulkBegin readies conn for a bulk load (BulkLoader) and returns
	// what ends it: settings put back, statistics brought up to date.
	// Nil when the database needs neither.
	BulkBegin func(ctx context.Context, conn *sql.Conn) (end func(context.Context) error, err error)
	// CopyRows writes rows to the columns of table on conn through the
	// database's own bulk path (PostgreSQL's COPY), atomically. Nil: the
	// store writes them with multi-row INSERTs in one transaction.
	CopyRows func(ctx context.Context, conn *sql.Conn, table string, columns []string, rows [][]any) error
	// BulkRowsPerInsert says how many rows each INSERT of a bulk load
	// without CopyRows carries into table (nil: one).
	BulkRowsPerInsert func(table string) int
}

// Store is a tweets.Store on one database.
type Store struct {
	DB      *sql.DB
	dialect Dialect
	// version is the newest migration embedded in the binary.
	version int
	// q runs the queries of the store's methods: DB, or the transaction
	// that a store made by Atomic works in. One implementation of each
	// method then serves both.
	q queryer
	// tx is that transaction; nil outside Atomic.
	tx *txn
	// stmts keeps prepared statements when the dialect asks for them.
	stmts *statements
}

var _ tweets.Store = (*Store)(nil)

// New wraps an open database. It does not migrate: call Migrate.
func New(db *sql.DB, d Dialect) (*Store, error) {
	ms, err := loadMigrations(d.Migrations)
	if err != nil {
		return nil, err
	}
	s := &Store{DB: db, dialect: d, q: db}
	if d.PrepareStatements {
		s.stmts = &statements{}
	}
	if len(ms) > 0 {
		s.version = ms[len(ms)-1].version
	}
	return s, nil
}

// Dialect returns the name of the database behind the store.
func (s *Store) Dialect() string { return s.dialect.Name }

// Close closes the database.
func (s *Store) Close() error {
	if err := s.outsideAtomic("Close"); err != nil {
		return err
	}
	if s.stmts != nil {
		s.stmts.close()
	}
	return s.DB.Close()
}

// Ping reports whether the database answers and has every migration this
// binary knows.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.outsideAtomic("Ping"); err != nil {
		return err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v < s.version {
		return fmt.Errorf("database schema is at version %d, this binary needs %d: run 'tweets migrate'", v, s.version)
	}
	return nil
}

// rebind rewrites ? placeholders for dialects that number them.
func (s *Store) rebind(q string) string {
	if !s.dialect.Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) exec(ctx context.Context, q queryer, query string, args ...any) (sql.Result, error) {
	query = s.rebind(query)
	if st := s.prepared(ctx, q, query); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, s.mapError(err)
	}
	res, err := q.ExecContext(ctx, query, args...)
	return res, s.mapError(err)
}

func (s *Store) query(ctx context.Context, q queryer, query string, args ...any) (*sql.Rows, error) {
	query = s.rebind(query)
	if st := s.prepared(ctx, q, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, s.mapError(err)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	return rows, s.mapError(err)
}

func (s *Store) queryRow(ctx context.Context, q queryer, query string, args ...any) *sql.Row {
	query = s.rebind(query)
	if st := s.prepared(ctx, q, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}

// mapError is the one place where driver errors become domain errors.
func (s *Store) mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return tweets.ErrNotFound
	}
	if s.dialect.MapError != nil {
		return s.dialect.MapError(err)
	}
	return err
}

// affectedOne turns "no row changed" into ErrNotFound.
func affectedOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return tweets.ErrNotFound
	}
	return nil
}
