package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tweetsdev/tweets"
)

// RememberPost implements tweets.IdempotencyStore. Keys older than a day
// are replaced: a client does not retry that late.
func (s *Store) RememberPost(ctx context.Context, userID tweets.ID, keyHash string, tweetID tweets.ID, at time.Time) (err error) {
	defer tweets.Wrap(&err, "remember an idempotency key")
	if _, err := s.exec(ctx, s.q, "DELETE FROM idempotency_keys WHERE user_id = ? AND key_hash = ? AND created_at < ?",
		userID, keyHash, at.Add(-24*time.Hour).UTC()); err != nil {
		return err
	}
	_, err = s.exec(ctx, s.q, "INSERT INTO idempotency_keys (user_id, key_hash, tweet_id, created_at) VALUES (?, ?, ?, ?)",
		userID, keyHash, tweetID, at.UTC())
	return s.mapError(err)
}

// RememberedPost implements tweets.IdempotencyStore.
func (s *Store) RememberedPost(ctx context.Context, userID tweets.ID, keyHash string, since time.Time) (id tweets.ID, err error) {
	defer tweets.Wrap(&err, "idempotency key")
	err = s.queryRow(ctx, s.q, "SELECT tweet_id FROM idempotency_keys WHERE user_id = ? AND key_hash = ? AND created_at >= ?",
		userID, keyHash, since.UTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tweets.ErrNotFound
	}
	return id, s.mapError(err)
}
