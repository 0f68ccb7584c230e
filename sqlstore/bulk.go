package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// bulk is a tweets.BulkLoader on one connection of the store, so that
// the settings BulkBegin changes apply to every write of the load.
type bulk struct {
	s    *Store
	conn *sql.Conn
	end  func(context.Context) error
}

// BulkLoader starts a bulk load. The caller must Close it.
func (s *Store) BulkLoader(ctx context.Context) (_ tweets.BulkLoader, err error) {
	defer tweets.Wrap(&err, "start a bulk load")
	if err := s.outsideAtomic("BulkLoader"); err != nil {
		return nil, err
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, s.mapError(err)
	}
	b := &bulk{s: s, conn: conn}
	if s.dialect.BulkBegin != nil {
		if b.end, err = s.dialect.BulkBegin(ctx, conn); err != nil {
			conn.Close()
			return nil, s.mapError(err)
		}
	}
	return b, nil
}

// Close implements tweets.BulkLoader.
func (b *bulk) Close(ctx context.Context) (err error) {
	defer tweets.Wrap(&err, "end the bulk load")
	if b.end != nil {
		err = b.end(ctx)
	}
	if cerr := b.conn.Close(); err == nil {
		err = cerr
	}
	return b.s.mapError(err)
}

// CountAccounts implements tweets.BulkLoader.
func (b *bulk) CountAccounts(ctx context.Context, hash string) (matching, others int, err error) {
	defer tweets.Wrap(&err, "count accounts")
	var all int
	err = b.s.queryRow(ctx, b.conn, "SELECT COALESCE(SUM(CASE WHEN password_hash = ? THEN 1 ELSE 0 END), 0), COUNT(*) FROM users", hash).
		Scan(&matching, &all)
	return matching, all - matching, b.s.mapError(err)
}

// RemoveAccounts implements tweets.BulkLoader. As DeleteUser does, the
// accounts' files go to the trash and their rows go with them, in one
// transaction. The largest tables are emptied of those rows first, each
// with one statement: left to ON DELETE CASCADE, every account would
// cost a search of them, through no index for some columns
// (notifications.actor_id).
func (b *bulk) RemoveAccounts(ctx context.Context, hash string) (n int, err error) {
	defer tweets.Wrap(&err, "remove accounts")
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, b.s.mapError(err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op
	tweetKeys, err := b.s.keys(ctx, tx, `SELECT m.storage_key, m.thumb_key FROM tweet_media m JOIN tweets t ON t.id = m.tweet_id
		JOIN users u ON u.id = t.author_id WHERE u.password_hash = ?`, hash)
	if err != nil {
		return 0, err
	}
	profileKeys, err := b.s.keys(ctx, tx, "SELECT avatar_key, header_key FROM users WHERE password_hash = ?", hash)
	if err != nil {
		return 0, err
	}
	if err := b.s.trash(ctx, tx, append(tweetKeys, profileKeys...)); err != nil {
		return 0, err
	}
	const accounts = "(SELECT id FROM users WHERE password_hash = ?)"
	const theirTweets = "(SELECT id FROM tweets WHERE author_id IN " + accounts + ")"
	for _, del := range []struct {
		query string
		args  int // how many times the hash is bound
	}{
		{"DELETE FROM notifications WHERE user_id IN " + accounts + " OR actor_id IN " + accounts + " OR tweet_id IN " + theirTweets, 3},
		{"DELETE FROM likes WHERE user_id IN " + accounts + " OR tweet_id IN " + theirTweets, 2},
		{"DELETE FROM reposts WHERE user_id IN " + accounts + " OR tweet_id IN " + theirTweets, 2},
		{"DELETE FROM tweet_tags WHERE tweet_id IN " + theirTweets, 1},
		{"DELETE FROM tweet_mentions WHERE user_id IN " + accounts + " OR tweet_id IN " + theirTweets, 2},
		{"DELETE FROM follows WHERE follower_id IN " + accounts + " OR followee_id IN " + accounts, 2},
		{"DELETE FROM tweets WHERE author_id IN " + accounts, 1},
	} {
		args := make([]any, del.args)
		for i := range args {
			args[i] = hash
		}
		if _, err := b.s.exec(ctx, tx, del.query, args...); err != nil {
			return 0, err
		}
	}
	res, err := b.s.exec(ctx, tx, "DELETE FROM users WHERE password_hash = ?", hash)
	if err != nil {
		return 0, err
	}
	gone, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return int(gone), b.s.mapError(tx.Commit())
}

// LoadUsers implements tweets.BulkLoader.
func (b *bulk) LoadUsers(ctx context.Context, us []tweets.User) error {
	rows := make([][]any, len(us))
	for i, u := range us {
		rows[i] = []any{int64(u.ID), u.Username, tweets.NormalizeUsername(u.Username), u.PasswordHash, u.IsAdmin, u.CreatedAt.UTC(), u.DisplayName, u.Bio}
	}
	return b.insert(ctx, "users", []string{"id", "username", "username_key", "password_hash", "is_admin", "created_at", "display_name", "bio"}, rows)
}

// LoadFollows implements tweets.BulkLoader.
func (b *bulk) LoadFollows(ctx context.Context, fs []tweets.Follow) error {
	rows := make([][]any, len(fs))
	for i, f := range fs {
		rows[i] = []any{int64(f.ID), int64(f.FollowerID), int64(f.FolloweeID), f.CreatedAt.UTC()}
	}
	return b.insert(ctx, "follows", []string{"id", "follower_id", "followee_id", "created_at"}, rows)
}

// LoadTweets implements tweets.BulkLoader, with the rows insertEntities
// would add.
func (b *bulk) LoadTweets(ctx context.Context, ts []tweets.PostedTweet) error {
	rows := make([][]any, len(ts))
	var tags, mentions [][]any
	for i, p := range ts {
		t := p.Tweet
		policy := t.ReplyPolicy
		if policy == "" {
			policy = tweets.ReplyEveryone
		}
		rows[i] = []any{int64(t.ID), int64(t.AuthorID), t.Text, t.CreatedAt.UTC(), nullable(t.ReplyTo), string(policy), nullable(t.Quote)}
		for _, tag := range tweets.Hashtags(t.Text) {
			tags = append(tags, []any{int64(t.ID), tag})
		}
		for _, u := range p.Mentioned {
			mentions = append(mentions, []any{int64(t.ID), int64(u)})
		}
	}
	if err := b.insert(ctx, "tweets", []string{"id", "author_id", "text", "created_at", "reply_to_id", "reply_policy", "quote_id"}, rows); err != nil {
		return err
	}
	if err := b.insert(ctx, "tweet_tags", []string{"tweet_id", "tag"}, tags); err != nil {
		return err
	}
	return b.insert(ctx, "tweet_mentions", []string{"tweet_id", "user_id"}, mentions)
}

// LoadLikes implements tweets.BulkLoader.
func (b *bulk) LoadLikes(ctx context.Context, ls []tweets.Like) error {
	return b.loadActions(ctx, "likes", len(ls), func(i int) (id, user, tweet tweets.ID, at time.Time) {
		return ls[i].ID, ls[i].UserID, ls[i].TweetID, ls[i].CreatedAt
	})
}

// LoadReposts implements tweets.BulkLoader.
func (b *bulk) LoadReposts(ctx context.Context, rs []tweets.Repost) error {
	return b.loadActions(ctx, "reposts", len(rs), func(i int) (id, user, tweet tweets.ID, at time.Time) {
		return rs[i].ID, rs[i].UserID, rs[i].TweetID, rs[i].CreatedAt
	})
}

// loadActions writes n likes or reposts, which share their columns.
func (b *bulk) loadActions(ctx context.Context, table string, n int, row func(i int) (id, user, tweet tweets.ID, at time.Time)) error {
	rows := make([][]any, n)
	for i := range rows {
		id, user, tweet, at := row(i)
		rows[i] = []any{int64(id), int64(user), int64(tweet), at.UTC()}
	}
	return b.insert(ctx, table, []string{"id", "user_id", "tweet_id", "created_at"}, rows)
}

// LoadNotifications implements tweets.BulkLoader.
func (b *bulk) LoadNotifications(ctx context.Context, ns []tweets.Notification) error {
	rows := make([][]any, len(ns))
	for i, n := range ns {
		rows[i] = []any{int64(n.ID), int64(n.UserID), string(n.Kind), int64(n.ActorID), int64(n.TweetID), n.CreatedAt.UTC(), n.Seen}
	}
	return b.insert(ctx, "notifications", []string{"id", "user_id", "kind", "actor_id", "tweet_id", "created_at", "seen"}, rows)
}

// nullable stores a zero id as NULL: nil, which both bulk paths take.
func nullable(id tweets.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// insert writes rows to table in one transaction: through the
// dialect's CopyRows where it has one, else with a prepared INSERT of
// as many rows as the dialect's BulkRowsPerInsert says.
func (b *bulk) insert(ctx context.Context, table string, columns []string, rows [][]any) (err error) {
	if len(rows) == 0 {
		return nil
	}
	defer tweets.Wrap(&err, "load %d rows into %s", len(rows), table)
	if b.s.dialect.CopyRows != nil {
		return b.s.mapError(b.s.dialect.CopyRows(ctx, b.conn, table, columns, rows))
	}
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return b.s.mapError(err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op
	per := 1
	if b.s.dialect.BulkRowsPerInsert != nil {
		per = max(1, b.s.dialect.BulkRowsPerInsert(table))
	}
	var full *sql.Stmt
	for len(rows) > 0 {
		n := min(len(rows), per)
		args := make([]any, 0, n*len(columns))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if n == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, b.s.rebind(insertRows(table, columns, n))); err != nil {
					return b.s.mapError(err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, b.s.rebind(insertRows(table, columns, n)), args...)
		}
		if err != nil {
			return b.s.mapError(err)
		}
		rows = rows[n:]
	}
	return b.s.mapError(tx.Commit())
}

// insertRows is an INSERT of n rows into the columns of table.
func insertRows(table string, columns []string, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", table, strings.Join(columns, ", "), strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
}

var _ tweets.BulkLoader = (*bulk)(nil)
