package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/tweetsdev/tweets"
)

// insertEntities stores, in CreateTweet's transaction, the hashtags of
// t and its mentions of accounts that exist: a mention of a name that
// no account has is left out.
func (s *Store) insertEntities(ctx context.Context, tx *sql.Tx, t tweets.Tweet) error {
	if tags := tweets.Hashtags(t.Text); len(tags) > 0 {
		rows := make([]string, len(tags))
		args := make([]any, 0, 2*len(tags))
		for i, tag := range tags {
			rows[i] = "(?, ?)"
			args = append(args, t.ID, tag)
		}
		if _, err := s.exec(ctx, tx, "INSERT INTO tweet_tags (tweet_id, tag) VALUES "+strings.Join(rows, ", "), args...); err != nil {
			return err
		}
	}
	if names := tweets.Mentions(t.Text); len(names) > 0 {
		marks := make([]string, len(names))
		args := []any{t.ID}
		for i, name := range names {
			marks[i] = "?"
			args = append(args, name)
		}
		if _, err := s.exec(ctx, tx, "INSERT INTO tweet_mentions (tweet_id, user_id) SELECT CAST(? AS BIGINT), id FROM users WHERE username_key IN ("+
			strings.Join(marks, ", ")+")", args...); err != nil {
			return err
		}
	}
	return nil
}

// Mentioned implements tweets.SearchStore.
func (s *Store) Mentioned(ctx context.Context, tweetID tweets.ID, limit int) (ids []tweets.ID, err error) {
	defer tweets.Wrap(&err, "mentions of %d", tweetID)
	rows, err := s.query(ctx, s.q, `SELECT m.user_id FROM tweet_mentions m JOIN tweets t ON t.id = m.tweet_id
		WHERE m.tweet_id = ? AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = m.user_id AND b.blocked_id = t.author_id)
		ORDER BY m.user_id LIMIT ?`, tweetID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id tweets.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
