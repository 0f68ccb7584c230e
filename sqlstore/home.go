package sqlstore

import (
	"context"
	"math"
	"strings"

	"github.com/tweetsdev/tweets"
)

// These methods serve the home timeline caches (package cache): they
// keep each reader's items and fan new ones out, and read the tweets
// only when a page is shown.

// HomeItems reads the items of a home timeline page (q.Home set), the
// same ones Timeline shows, without the tweets.
func (s *Store) HomeItems(ctx context.Context, q tweets.TimelineQuery) (_ []tweets.HomeItem, err error) {
	defer tweets.Wrap(&err, "home items of %d", q.Home)
	query, args := s.homeSQL(q)
	items, err := s.items(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return homeItems(items), nil
}

func homeItems(items []item) []tweets.HomeItem {
	out := make([]tweets.HomeItem, len(items))
	for i, it := range items {
		out[i] = tweets.HomeItem{ID: it.id, Tweet: it.tweet, Reposter: it.reposterID, Name: it.reposter}
	}
	return out
}

// TweetsByID reads tweets as viewer sees them (see Timeline); ids that
// name no tweet are left out.
func (s *Store) TweetsByID(ctx context.Context, viewer tweets.ID, ids []tweets.ID) (_ map[tweets.ID]tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "tweets by id")
	return s.tweetsByID(ctx, viewer, ids)
}

// FollowerIDs lists up to limit accounts that follow id, suspended ones
// included (their timelines come back with them).
func (s *Store) FollowerIDs(ctx context.Context, id tweets.ID, limit int) (_ []tweets.ID, err error) {
	defer tweets.Wrap(&err, "followers of %d", id)
	return s.ids(ctx, "SELECT follower_id FROM follows WHERE followee_id = ? ORDER BY id DESC LIMIT ?", id, limit)
}

// RepostAudience lists the followers of a repost's author whose home
// timelines show it, by the rules of Timeline: not the tweet's author,
// nor those who follow them (the tweet is there already), nor those who
// follow someone who reposted it earlier (it came with that repost).
func (s *Store) RepostAudience(ctx context.Context, r tweets.Repost, author tweets.ID, limit int) (_ []tweets.ID, err error) {
	defer tweets.Wrap(&err, "audience of repost %d", r.ID)
	return s.ids(ctx, `SELECT f.follower_id FROM follows f
WHERE f.followee_id = ? AND f.follower_id <> ?
  AND NOT EXISTS (SELECT 1 FROM follows fa WHERE fa.follower_id = f.follower_id AND fa.followee_id = ?)
  AND NOT EXISTS (SELECT 1 FROM reposts r2 JOIN users u2 ON u2.id = r2.user_id JOIN follows fr ON fr.followee_id = r2.user_id
    WHERE r2.tweet_id = ? AND r2.id < ? AND u2.suspended_at IS NULL AND fr.follower_id = f.follower_id)
ORDER BY f.id DESC LIMIT ?`, r.UserID, author, author, r.TweetID, r.ID, limit)
}

// HeavyFollowees lists the accounts that id follows which have at least
// min followers. Each count stops at min: the cost does not grow with
// how popular they are.
func (s *Store) HeavyFollowees(ctx context.Context, id tweets.ID, min int) (_ []tweets.ID, err error) {
	defer tweets.Wrap(&err, "heavy followees of %d", id)
	return s.ids(ctx, `SELECT f.followee_id FROM follows f WHERE f.follower_id = ?
  AND EXISTS (SELECT 1 FROM follows g WHERE g.followee_id = f.followee_id LIMIT 1 OFFSET ?)`, id, min-1)
}

// AuthorHomeItems reads the newest items below before that one account
// followed by reader puts on reader's home timeline: its tweets, and its
// reposts by the rules of Timeline. With the items kept for a reader,
// they make the page, for accounts too followed to fan out to everyone.
func (s *Store) AuthorHomeItems(ctx context.Context, reader, author, before tweets.ID, limit int) (_ []tweets.HomeItem, err error) {
	defer tweets.Wrap(&err, "home items of %d by %d", reader, author)
	if before == 0 {
		before = math.MaxInt64
	}
	items, err := s.items(ctx, `SELECT item_id, tweet_id, reposter, reposter_id FROM (
  SELECT * FROM (SELECT t.id AS item_id, t.id AS tweet_id, '' AS reposter, CAST(0 AS BIGINT) AS reposter_id FROM tweets t
    WHERE t.author_id = ? AND t.id < ? ORDER BY t.id DESC LIMIT ?) own
  UNION ALL
  SELECT * FROM (SELECT r.id, r.tweet_id, ru.username, ru.id FROM reposts r JOIN users ru ON ru.id = r.user_id
    JOIN tweets t ON t.id = r.tweet_id JOIN users a ON a.id = t.author_id
    WHERE r.user_id = ? AND r.id < ? AND a.suspended_at IS NULL AND ru.suspended_at IS NULL
      AND t.author_id <> ? AND NOT EXISTS (SELECT 1 FROM follows fa WHERE fa.follower_id = ? AND fa.followee_id = t.author_id)
      AND NOT EXISTS (SELECT 1 FROM reposts r2 JOIN users u2 ON u2.id = r2.user_id
        WHERE r2.tweet_id = r.tweet_id AND r2.id < r.id AND u2.suspended_at IS NULL
        AND EXISTS (SELECT 1 FROM follows fr WHERE fr.follower_id = ? AND fr.followee_id = r2.user_id))
    ORDER BY r.id DESC LIMIT ?) shared
) items ORDER BY item_id DESC LIMIT ?`, author, before, limit, author, before, reader, reader, reader, limit, limit)
	if err != nil {
		return nil, err
	}
	return homeItems(items), nil
}

// HiddenAmong says which of the accounts a home timeline leaves out:
// those suspended, and those that block viewer, are blocked by them or
// muted by them.
func (s *Store) HiddenAmong(ctx context.Context, viewer tweets.ID, accounts []tweets.ID) (_ map[tweets.ID]bool, err error) {
	defer tweets.Wrap(&err, "accounts hidden from %d", viewer)
	out := map[tweets.ID]bool{}
	if viewer == 0 || len(accounts) == 0 {
		return out, nil
	}
	in := "(" + strings.Repeat("?, ", len(accounts)-1) + "?)"
	// The arguments: viewer, accounts, three times; then the accounts.
	args := make([]any, 0, 4*(1+len(accounts)))
	for range 3 {
		args = append(args, viewer)
		for _, a := range accounts {
			args = append(args, a)
		}
	}
	for _, a := range accounts {
		args = append(args, a)
	}
	hidden, err := s.ids(ctx, `SELECT blocked_id FROM blocks WHERE blocker_id = ? AND blocked_id IN `+in+`
UNION SELECT blocker_id FROM blocks WHERE blocked_id = ? AND blocker_id IN `+in+`
UNION SELECT muted_id FROM mutes WHERE muter_id = ? AND muted_id IN `+in+`
UNION SELECT id FROM users WHERE suspended_at IS NOT NULL AND id IN `+in, args...)
	for _, h := range hidden {
		out[h] = true
	}
	return out, err
}

// ids runs a query of one id column.
func (s *Store) ids(ctx context.Context, query string, args ...any) ([]tweets.ID, error) {
	rows, err := s.query(ctx, s.q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []tweets.ID
	for rows.Next() {
		var id tweets.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
