package postgres

import "strings"

// matchWords is the dialect's MatchWords, served by the GIN index of
// migration 0006 on to_tsvector('simple', text). The 'simple'
// configuration lower-cases every word and neither stems nor drops stop
// words, so a search works alike in every language. Each word goes to
// phraseto_tsquery as a parameter, which reads no query syntax in it and
// makes its parts follow each other, as a phrase does on SQLite.
func matchWords(tweet string, words []string) (string, []any) {
	queries := make([]string, len(words))
	args := make([]any, len(words))
	for i, w := range words {
		queries[i], args[i] = "phraseto_tsquery('simple', CAST(? AS TEXT))", w
	}
	return "to_tsvector('simple', " + tweet + ".text) @@ (" + strings.Join(queries, " && ") + ")", args
}
