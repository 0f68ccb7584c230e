package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/tweetsdev/tweets"
)

// CreateTweet implements tweets.TweetStore.
func (s *Store) CreateTweet(ctx context.Context, t tweets.Tweet) (err error) {
	defer tweets.Wrap(&err, "create tweet")
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "INSERT INTO tweets (id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
			t.ID, t.AuthorID, t.Text, t.CreatedAt.UTC()); err != nil {
			return err
		}
		for i, m := range t.Media {
			if _, err := s.exec(ctx, tx,
				"INSERT INTO tweet_media (tweet_id, position, storage_key, content_type, width, height, size) VALUES (?, ?, ?, ?, ?, ?, ?)",
				t.ID, i, m.Key, m.ContentType, m.Width, m.Height, m.Size); err != nil {
				return err
			}
		}
		return s.insertEntities(ctx, tx, t)
	})
}

const tweetSelect = "SELECT t.id, t.author_id, u.username, u.suspended_at IS NOT NULL, t.text, t.created_at FROM tweets t JOIN users u ON u.id = t.author_id"

// TweetByID implements tweets.TweetStore.
func (s *Store) TweetByID(ctx context.Context, id tweets.ID) (t tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "tweet %d", id)
	ts, err := s.tweets(ctx, tweetSelect+" WHERE t.id = ?", id)
	if err != nil {
		return tweets.Tweet{}, err
	}
	if len(ts) == 0 {
		return tweets.Tweet{}, tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	return ts[0], nil
}

// DeleteTweet implements tweets.TweetStore.
func (s *Store) DeleteTweet(ctx context.Context, id tweets.ID) (err error) {
	defer tweets.Wrap(&err, "delete tweet %d", id)
	return s.Transact(ctx, func(tx *sql.Tx) error {
		// Explicit rather than relying on ON DELETE CASCADE, which
		// SQLite honours only with foreign_keys on.
		if _, err := s.exec(ctx, tx, "DELETE FROM tweet_media WHERE tweet_id = ?", id); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM tweets WHERE id = ?", id)
		if err != nil {
			return err
		}
		return affectedOne(res)
	})
}

// Timeline implements tweets.TweetStore. Pages are cut by id, never by
// OFFSET, so a page costs the same however deep it is.
func (s *Store) Timeline(ctx context.Context, q tweets.TimelineQuery) (ts []tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "timeline")
	var where []string
	var args []any
	if q.AuthorID != 0 {
		where, args = append(where, "t.author_id = ?"), append(args, q.AuthorID)
	}
	if q.Before != 0 {
		where, args = append(where, "t.id < ?"), append(args, q.Before)
	}
	if !q.IncludeSuspended {
		where = append(where, "u.suspended_at IS NULL")
	}
	if q.Search != "" {
		cond, condArgs := s.dialect.ContainsFold("t.text", q.Search)
		where, args = append(where, cond), append(args, condArgs...)
	}
	query := tweetSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY t.id DESC LIMIT ?"
	args = append(args, q.Limit)
	return s.tweets(ctx, query, args...)
}

// tweets runs a tweetSelect query and attaches each tweet's media with
// one more query for the whole page.
func (s *Store) tweets(ctx context.Context, query string, args ...any) ([]tweets.Tweet, error) {
	rows, err := s.query(ctx, s.q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []tweets.Tweet
	index := map[tweets.ID]int{}
	for rows.Next() {
		var t tweets.Tweet
		if err := rows.Scan(&t.ID, &t.AuthorID, &t.Author, &t.AuthorSuspended, &t.Text, &t.CreatedAt); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		index[t.ID] = len(ts)
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return ts, nil
	}
	return ts, s.attachMedia(ctx, ts, index)
}

func (s *Store) attachMedia(ctx context.Context, ts []tweets.Tweet, index map[tweets.ID]int) error {
	marks := make([]string, len(ts))
	args := make([]any, len(ts))
	for i, t := range ts {
		marks[i], args[i] = "?", t.ID
	}
	rows, err := s.query(ctx, s.q,
		"SELECT tweet_id, storage_key, content_type, width, height, size FROM tweet_media WHERE tweet_id IN ("+
			strings.Join(marks, ", ")+") ORDER BY tweet_id, position", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id tweets.ID
		var m tweets.Media
		if err := rows.Scan(&id, &m.Key, &m.ContentType, &m.Width, &m.Height, &m.Size); err != nil {
			return err
		}
		t := &ts[index[id]]
		t.Media = append(t.Media, m)
	}
	return rows.Err()
}
