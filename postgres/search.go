package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// foldCollations are the collations tried, in order, for lower() in
// searches; "" is the database's own. lower() folds what its collation's
// character type knows: under LC_CTYPE C only A to Z, so on such a
// database "école" would not find "École". pg_c_utf8 (PostgreSQL 17 and
// later) folds as Go does on every system; a libc UTF-8 locale folds
// code point by code point too; ICU comes last because it also applies
// context, lowering a final Σ to ς where Go gives σ.
var foldCollations = []string{"pg_c_utf8", "", `"C.utf8"`, `"und-x-icu"`}

// foldProbe has capitals of several scripts. A collation qualifies if
// lower() folds it as Go's strings.ToLower does, with which the SQLite
// store folds.
const foldProbe = "ÀÉÎÕÜ ΑΒΓΔ ЖЯ Ա"

// chooseFold returns the COLLATE clause (maybe empty) under which this
// database's lower() folds every script as Go does.
func chooseFold(ctx context.Context, db *sql.DB) (string, error) {
	var encoding string
	if err := db.QueryRowContext(ctx, "SELECT current_setting('server_encoding')").Scan(&encoding); err != nil {
		return "", fmt.Errorf("read the database's encoding: %w", err)
	}
	if encoding != "UTF8" {
		// Such a database cannot hold every tweet, and the collations
		// below exist only for UTF8.
		return "", fmt.Errorf("the PostgreSQL database has the encoding %s: create it with ENCODING 'UTF8', e.g. CREATE DATABASE tweets ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0", encoding)
	}
	want := strings.ToLower(foldProbe)
	var own string // what the database's own collation gives
	for _, c := range foldCollations {
		clause := ""
		if c != "" {
			clause = " COLLATE " + c
		}
		var got string
		err := db.QueryRowContext(ctx, "SELECT lower(CAST($1 AS TEXT)"+clause+")", foldProbe).Scan(&got)
		switch {
		case err == nil && got == want:
			return clause, nil
		case c == "" && err != nil:
			return "", fmt.Errorf("check how the database lower-cases text: %w", err)
		case c == "":
			own = got
		case ctx.Err() != nil:
			return "", ctx.Err()
		}
	}
	others := slices.DeleteFunc(slices.Clone(foldCollations), func(c string) bool { return c == "" })
	return "", fmt.Errorf("this PostgreSQL database lower-cases %q as %q (its LC_CTYPE is probably C), and the server has none of the collations %s, "+
		"which lower-case every script: create the database with a UTF-8 locale, e.g. CREATE DATABASE tweets LOCALE 'C.UTF-8' TEMPLATE template0",
		foldProbe, own, strings.Join(others, ", "))
}

// containsFold returns the dialect's ContainsFold for a COLLATE clause
// from chooseFold. LIKE rather than strpos: a trigram index on the
// lowered column can serve LIKE, should searches need one.
func containsFold(collate string) func(column, query string) (string, []any) {
	return func(column, query string) (string, []any) {
		return "lower(" + column + collate + `) LIKE lower(CAST(? AS TEXT)` + collate + `) ESCAPE '\'`,
			[]any{"%" + escapeLike(query) + "%"}
	}
}

// escapeLike makes LIKE take every character of s literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
