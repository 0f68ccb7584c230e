package sqlstore

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/tweetsdev/tweets"
)

// Bookmark implements tweets.BookmarkStore.
func (s *Store) Bookmark(ctx context.Context, b tweets.Bookmark) (err error) {
	defer tweets.Wrap(&err, "bookmark")
	return s.addAction(ctx, "bookmarks", b.ID, b.UserID, b.TweetID, b.CreatedAt)
}

// Unbookmark implements tweets.BookmarkStore.
func (s *Store) Unbookmark(ctx context.Context, userID, tweetID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unbookmark")
	return s.removeAction(ctx, "bookmarks", userID, tweetID)
}

// BookmarksBy implements tweets.BookmarkStore.
func (s *Store) BookmarksBy(ctx context.Context, userID, before tweets.ID, limit int) (bs []tweets.Bookmark, err error) {
	defer tweets.Wrap(&err, "bookmarks by %d", userID)
	err = s.actions(ctx, "bookmarks", userID, before, limit, func(id, tweet tweets.ID, at time.Time) {
		bs = append(bs, tweets.Bookmark{ID: id, UserID: userID, TweetID: tweet, CreatedAt: at})
	})
	return bs, err
}

// Saved implements tweets.BookmarkStore: the page of rows in one query,
// served by the (user_id, id) index, then their tweets in one more (and
// one for media).
func (s *Store) Saved(ctx context.Context, q tweets.SavedQuery) (ts []tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "saved tweets of %d", q.UserID)
	table := "bookmarks"
	if q.Likes {
		table = "likes"
	}
	before := q.Before
	if before == 0 {
		before = math.MaxInt64
	}
	order := "DESC"
	if q.Oldest {
		order = "ASC"
	}
	cond, n := hidden("t.author_id", false)
	args := append([]any{q.UserID, before, q.After}, viewerArgs(q.UserID, n)...)
	items, err := s.items(ctx, "SELECT x.id, x.tweet_id, '', 0 FROM "+table+" x JOIN tweets t ON t.id = x.tweet_id JOIN users u ON u.id = t.author_id"+
		" WHERE x.user_id = ? AND x.id < ? AND x.id > ? AND u.suspended_at IS NULL AND "+cond+" ORDER BY x.id "+order+" LIMIT ?",
		append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	if q.Oldest {
		slices.Reverse(items)
	}
	return s.itemTweets(ctx, q.UserID, items)
}

// Markers implements tweets.MarkerStore.
func (s *Store) Markers(ctx context.Context, userID tweets.ID) (ms []tweets.Marker, err error) {
	defer tweets.Wrap(&err, "markers of %d", userID)
	rows, err := s.query(ctx, s.q, "SELECT timeline, last_read_id, version, updated_at FROM markers WHERE user_id = ? ORDER BY timeline", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m := tweets.Marker{UserID: userID}
		if err := rows.Scan(&m.Timeline, &m.LastReadID, &m.Version, &m.UpdatedAt); err != nil {
			return nil, err
		}
		m.UpdatedAt = m.UpdatedAt.UTC()
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// SetMarker implements tweets.MarkerStore. The upsert is the same SQL on
// SQLite and PostgreSQL; a marker set where it already is stays as it
// was, version and time included, as Mastodon's does.
func (s *Store) SetMarker(ctx context.Context, m tweets.Marker) (out tweets.Marker, err error) {
	defer tweets.Wrap(&err, "set the %s marker of %d", m.Timeline, m.UserID)
	if _, err := s.exec(ctx, s.q, `INSERT INTO markers (user_id, timeline, last_read_id, version, updated_at) VALUES (?, ?, ?, 0, ?)
		ON CONFLICT (user_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = markers.version + 1, updated_at = excluded.updated_at
		WHERE markers.last_read_id <> excluded.last_read_id`, m.UserID, m.Timeline, m.LastReadID, m.UpdatedAt.UTC()); err != nil {
		return out, err
	}
	out = tweets.Marker{UserID: m.UserID, Timeline: m.Timeline}
	err = s.queryRow(ctx, s.q, "SELECT last_read_id, version, updated_at FROM markers WHERE user_id = ? AND timeline = ?", m.UserID, m.Timeline).
		Scan(&out.LastReadID, &out.Version, &out.UpdatedAt)
	out.UpdatedAt = out.UpdatedAt.UTC()
	return out, s.mapError(err)
}
