package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tweetsdev/tweets"
)

// MediaByKey implements tweets.MediaStore. It runs for every media
// request: storage_key is UNIQUE, so its index serves the look-up.
func (s *Store) MediaByKey(ctx context.Context, key string) (m tweets.AttachedMedia, err error) {
	defer tweets.Wrap(&err, "media %s", key)
	err = s.queryRow(ctx, s.q, `SELECT m.storage_key, m.content_type, m.width, m.height, m.size, t.id, t.author_id,
		u.suspended_at IS NOT NULL
		FROM tweet_media m JOIN tweets t ON t.id = m.tweet_id JOIN users u ON u.id = t.author_id
		WHERE m.storage_key = ?`, key).
		Scan(&m.Key, &m.ContentType, &m.Width, &m.Height, &m.Size, &m.TweetID, &m.AuthorID, &m.AuthorSuspended)
	if errors.Is(err, sql.ErrNoRows) {
		return m, tweets.Errorf(tweets.CodeNotFound, "There is no such file.")
	}
	return m, s.mapError(err)
}
