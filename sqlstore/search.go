package sqlstore

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// FindTweets implements tweets.SearchStore. A hashtag or a mention
// walks its index newest first, and a page stops at its last row.
func (s *Store) FindTweets(ctx context.Context, q tweets.TweetSearch) (ts []tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "find tweets")
	query := tweetSelect
	var where []string
	var args []any
	order := "t.id"
	if q.Tag != "" {
		query += " JOIN tweet_tags g ON g.tweet_id = t.id"
		where, args = append(where, "g.tag = ?"), append(args, q.Tag)
		order = "g.tweet_id"
	}
	if q.Mention != 0 {
		query += " JOIN tweet_mentions m ON m.tweet_id = t.id"
		where, args = append(where, "m.user_id = ?"), append(args, q.Mention)
		if q.Tag == "" {
			order = "m.tweet_id"
		}
	}
	words, fragments := searchTerms(q.Words)
	if len(words) > 0 {
		cond, condArgs := s.dialect.MatchWords("t", words)
		where, args = append(where, cond), append(args, condArgs...)
	}
	for _, f := range fragments {
		cond, condArgs := s.dialect.ContainsFold("t.text", f)
		where, args = append(where, cond), append(args, condArgs...)
	}
	if q.Before != 0 {
		where, args = append(where, order+" < ?"), append(args, q.Before)
	}
	where = append(where, "u.suspended_at IS NULL")
	if q.Viewer != 0 {
		cond, n := hidden("t.author_id", true)
		where, args = append(where, cond), append(args, viewerArgs(q.Viewer, n)...)
	}
	query += " WHERE " + strings.Join(where, " AND ") + " ORDER BY " + order + " DESC LIMIT ?"
	return s.tweets(ctx, q.Viewer, query, append(args, q.Limit)...)
}

// searchTerms splits a search at white space into words, which the
// dialect's full-text index finds (MatchWords), and fragments, which
// ContainsFold finds anywhere in the text. A term is a fragment when it
// holds a character that the two databases' indexes do not treat alike
// (emoji and other symbols, punctuation outside ASCII, which neither
// indexes or which one glues to the letters beside it), or one of a
// script written without spaces, whose every run is a single indexed
// word (日本語のテキスト): found as a fragment, 日本語 is found inside it.
func searchTerms(q string) (words, fragments []string) {
	for _, term := range strings.Fields(q) {
		if indexable(term) {
			words = append(words, term)
		} else {
			fragments = append(fragments, term)
		}
	}
	return words, fragments
}

// unspaced are scripts written without spaces between words.
var unspaced = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar}

// indexable reports whether a term is letters, marks and digits,
// possibly split by ASCII punctuation, which both indexes take as
// separating words.
func indexable(term string) bool {
	word := false
	for _, r := range term {
		switch {
		case r < utf8.RuneSelf:
			word = word || unicode.IsLetter(r) || unicode.IsDigit(r)
		case unicode.In(r, unspaced...):
			return false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r):
			word = true
		default:
			return false
		}
	}
	return word
}

// userSearchColumns are the columns of users in which an account search
// looks for its text.
var userSearchColumns = []string{"username"}

// FindUsers implements tweets.SearchStore.
func (s *Store) FindUsers(ctx context.Context, q tweets.UserSearch) (us []tweets.User, err error) {
	defer tweets.Wrap(&err, "find users")
	where := []string{"suspended_at IS NULL"}
	var args []any
	if q.Text != "" {
		var either []string
		for _, c := range userSearchColumns {
			cond, condArgs := s.dialect.ContainsFold(c, q.Text)
			either, args = append(either, cond), append(args, condArgs...)
		}
		where = append(where, "("+strings.Join(either, " OR ")+")")
	}
	if q.Before != 0 {
		where, args = append(where, "id < ?"), append(args, q.Before)
	}
	rows, err := s.query(ctx, s.q, "SELECT "+userColumns+" FROM users WHERE "+strings.Join(where, " AND ")+" ORDER BY id DESC LIMIT ?",
		append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}
