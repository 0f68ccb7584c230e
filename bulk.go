package tweets

import "context"

// BulkLoader writes rows in bulk, many to a statement and many
// statements to a transaction, for generated data sets (tweets seed).
// It checks nothing: the caller hands it rows exactly as the Service
// would have stored them, parents before children (accounts before
// their tweets and follows, tweets before their likes). Close ends the
// load and puts the connection's settings back.
type BulkLoader interface {
	// CountAccounts counts the accounts whose password hash is hash,
	// and the others.
	CountAccounts(ctx context.Context, hash string) (matching, others int, err error)
	// RemoveAccounts deletes the accounts whose password hash is hash
	// with everything that belongs to them, and says how many went.
	RemoveAccounts(ctx context.Context, hash string) (int, error)
	LoadUsers(ctx context.Context, us []User) error
	LoadFollows(ctx context.Context, fs []Follow) error
	// LoadTweets stores tweets with their hashtags, derived from the
	// text as CreateTweet derives them, and their mentions.
	LoadTweets(ctx context.Context, ts []PostedTweet) error
	LoadLikes(ctx context.Context, ls []Like) error
	LoadReposts(ctx context.Context, rs []Repost) error
	LoadNotifications(ctx context.Context, ns []Notification) error
	Close(ctx context.Context) error
}

// PostedTweet is a tweet as posting stores it: with the accounts its
// text mentions (those that exist), which CreateTweet looks up by name.
type PostedTweet struct {
	Tweet     Tweet
	Mentioned []ID
}
