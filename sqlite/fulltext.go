package sqlite

import (
	"database/sql/driver"
	"strings"
	"unicode"

	"modernc.org/sqlite"
)

// wordsFunc is the SQL name of searchWords, through which the triggers
// of migration 0006 fill the full-text index tweets_search.
const wordsFunc = "search_words"

// indexedWords returns a text as the full-text index takes it: lower-
// cased as Go does, with every character that is not a letter, mark or
// decimal digit turned into a space. FTS5's unicode61 tokenizer then only
// splits at spaces. Left to itself it would fold only the scripts of its
// Unicode 6.1 tables and glue newer characters, most emoji among them,
// to the letters beside them; PostgreSQL's parser, the other database's
// index, takes neither emoji nor punctuation as part of a word.
func indexedWords(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) {
			return r
		}
		return ' '
	}, strings.ToLower(s))
}

// searchWords is indexedWords as an SQL function. Other values (NULL,
// numbers, blobs) pass unchanged.
func searchWords(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if s, ok := args[0].(string); ok {
		return indexedWords(s), nil
	}
	return args[0], nil
}

// matchWords is the dialect's MatchWords. Each word becomes an FTS5
// string, a phrase of its indexed words in a row, with any double quote
// doubled, so no character of the search is FTS5 query syntax; phrases
// side by side must all match.
func matchWords(tweet string, words []string) (string, []any) {
	var phrases []string
	for _, w := range words {
		if p := strings.Join(strings.Fields(indexedWords(w)), " "); p != "" {
			phrases = append(phrases, `"`+strings.ReplaceAll(p, `"`, `""`)+`"`)
		}
	}
	if len(phrases) == 0 {
		return "1 = 1", nil
	}
	return tweet + ".id IN (SELECT rowid FROM tweets_search WHERE tweets_search MATCH ?)", []any{strings.Join(phrases, " ")}
}
