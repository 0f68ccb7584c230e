package tweets

import (
	"context"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxSearchLength is the most characters a search may have.
const MaxSearchLength = 200

// TweetSearch selects a page of tweets by what they hold, newest first.
// Each field that is set narrows the search; tweets of suspended
// authors are left out.
type TweetSearch struct {
	Tag     string // a hashtag, as FoldHashtag returns it
	Mention ID     // the account the tweets mention
	// Words are what the text holds (see SearchStore for how they match).
	Words  string
	Before ID // zero for the newest page; otherwise only ids below it
	Limit  int
	// Viewer as in SearchQuery.
	Viewer ID
}

// UserSearch selects a page of accounts, newest first; suspended
// accounts are left out.
type UserSearch struct {
	Text   string // part of the username, ignoring case
	Before ID
	Limit  int
}

// SearchQuery is what someone searches for: words, a #hashtag or an
// @username.
type SearchQuery struct {
	Text string
	// Viewer leaves out the accounts that block it, that it blocks or
	// mutes, and marks what it liked and reposted.
	Viewer ID
	// Accounts asks for a page of accounts rather than of tweets.
	Accounts bool
	Before   ID
	Limit    int
}

// SearchResults are one page of what a search found.
type SearchResults struct {
	// Query is the search as run: trimmed and NFC-normalized.
	Query string
	// Tag is the folded hashtag, when the query is one.
	Tag string
	// Mentioned is the account, when the query is @ and its username:
	// the tweets are those that mention it.
	Mentioned *User
	Tweets    []Tweet
	Accounts  []User
}

// Search finds tweets, or accounts. A query that is # and a hashtag
// finds the tweets with that tag (and no accounts); @ and a username
// finds accounts whose name holds it and the tweets that mention that
// account; anything else finds tweets that hold every word and accounts
// whose name holds the whole query.
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchResults, error) {
	if err := CheckText("q", q.Text); err != nil {
		return SearchResults{}, err
	}
	text := norm.NFC.String(strings.TrimSpace(q.Text))
	if IsBlank(text) {
		return SearchResults{}, Invalid("q", "Type something to search for: words, a #hashtag or an @username.")
	}
	if n := utf8.RuneCountInString(text); n > MaxSearchLength {
		return SearchResults{}, Invalid("q", "A search can have at most %d characters; this one has %d.", MaxSearchLength, n)
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = TimelinePageSize
	}
	res := SearchResults{Query: text}
	users := UserSearch{Text: text, Before: q.Before, Limit: q.Limit}
	tws := TweetSearch{Words: text, Before: q.Before, Limit: q.Limit, Viewer: q.Viewer}
	if tag, ok := strings.CutPrefix(text, "#"); ok && ValidHashtag(tag) {
		res.Tag = FoldHashtag(tag)
		if q.Accounts {
			return res, nil
		}
		tws = TweetSearch{Tag: res.Tag, Before: q.Before, Limit: q.Limit, Viewer: q.Viewer}
	} else if name, ok := strings.CutPrefix(text, "@"); ok && ValidateUsername(name) == nil {
		users.Text = name
		if !q.Accounts {
			u, err := s.Store.UserByUsername(ctx, name)
			switch {
			case err == nil && !u.Suspended():
				res.Mentioned = &u
			case err == nil || ErrorCode(err) == CodeNotFound:
				return res, nil // mentions of unknown accounts are not kept
			default:
				return SearchResults{}, err
			}
			tws = TweetSearch{Mention: u.ID, Before: q.Before, Limit: q.Limit, Viewer: q.Viewer}
		}
	}
	var err error
	if q.Accounts {
		res.Accounts, err = s.Store.FindUsers(ctx, users)
	} else {
		res.Tweets, err = s.Store.FindTweets(ctx, tws)
	}
	if err != nil {
		return SearchResults{}, err
	}
	return res, nil
}

// HashtagTweets returns a page of the tweets with a hashtag (written
// without its #, in any case), newest first, and the tag as folded.
func (s *Service) HashtagTweets(ctx context.Context, viewer *User, tag string, before ID) (string, []Tweet, error) {
	if !ValidHashtag(tag) {
		return "", nil, Errorf(CodeNotFound, "#%s is not a hashtag: a hashtag is letters, digits and underscores, with at least one letter.", truncate(tag, 40))
	}
	folded := FoldHashtag(tag)
	q := TweetSearch{Tag: folded, Before: before, Limit: TimelinePageSize}
	if viewer != nil {
		q.Viewer = viewer.ID
	}
	ts, err := s.Store.FindTweets(ctx, q)
	return folded, ts, err
}
