package sqlite

import (
	"context"
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// lowerFunc is the SQL name of lowerUnicode. SQLite's own lower() folds
// only A to Z, so "école" would not find "École".
const lowerFunc = "unicode_lower"

// containsFold is the dialect's ContainsFold. instr, not LIKE, so that
// no character of the query is a wildcard and none needs escaping.
func containsFold(column, query string) (string, []any) {
	return "instr(" + lowerFunc + "(" + column + "), " + lowerFunc + "(?)) > 0", []any{query}
}

// lowerUnicode lower-cases text with Go's Unicode tables, one code point
// at a time, as PostgreSQL's lower() does under a UTF-8 locale. Other
// values (NULL, numbers, blobs) pass unchanged.
func lowerUnicode(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if s, ok := args[0].(string); ok {
		return strings.ToLower(s), nil
	}
	return args[0], nil
}

// drv is the driver this package opens databases with: a driver of its
// own rather than the one registered as "sqlite", so that its functions
// reach only these databases. It is built once, before any Open, and
// never changed.
var drv = newDriver()

func newDriver() *sqlite.Driver {
	d := &sqlite.Driver{}
	d.MustRegisterDeterministicScalarFunction(lowerFunc, 1, lowerUnicode)
	d.MustRegisterDeterministicScalarFunction(wordsFunc, 1, searchWords)
	return d
}

// connector opens connections to one database with drv, for sql.OpenDB.
type connector struct{ dsn string }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return drv.Open(c.dsn)
}

func (c connector) Driver() driver.Driver { return drv }
