package postgres

import "strings"

// containsFold is the dialect's ContainsFold. lower() folds every script
// in a database with a UTF-8 locale. LIKE rather than strpos: a trigram
// index on the lowered column can serve LIKE, should searches need one.
func containsFold(column, query string) (string, []any) {
	return "lower(" + column + `) LIKE lower(CAST(? AS TEXT)) ESCAPE '\'`, []any{"%" + escapeLike(query) + "%"}
}

// escapeLike makes LIKE take every character of s literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
