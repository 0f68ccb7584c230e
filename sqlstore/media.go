package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tweetsdev/tweets"
)

// MediaByKey implements tweets.MediaStore. It runs for every media
// request; each branch is a look-up in a unique index (storage_key,
// thumb_key, avatar_key, header_key).
func (s *Store) MediaByKey(ctx context.Context, key string) (m tweets.AttachedMedia, err error) {
	defer tweets.Wrap(&err, "media %s", key)
	err = s.queryRow(ctx, s.q, `SELECT m.storage_key, m.content_type, t.id, t.author_id, u.suspended_at IS NOT NULL
		FROM tweet_media m JOIN tweets t ON t.id = m.tweet_id JOIN users u ON u.id = t.author_id WHERE m.storage_key = ?
		UNION ALL
		SELECT m.thumb_key, m.thumb_content_type, t.id, t.author_id, u.suspended_at IS NOT NULL
		FROM tweet_media m JOIN tweets t ON t.id = m.tweet_id JOIN users u ON u.id = t.author_id WHERE m.thumb_key = ?
		UNION ALL
		SELECT u.avatar_key, u.avatar_content_type, 0, u.id, u.suspended_at IS NOT NULL FROM users u WHERE u.avatar_key = ?
		UNION ALL
		SELECT u.header_key, u.header_content_type, 0, u.id, u.suspended_at IS NOT NULL FROM users u WHERE u.header_key = ?`,
		key, key, key, key).
		Scan(&m.Key, &m.ContentType, &m.TweetID, &m.AuthorID, &m.AuthorSuspended)
	if errors.Is(err, sql.ErrNoRows) {
		return m, tweets.Errorf(tweets.CodeNotFound, "There is no such file.")
	}
	return m, s.mapError(err)
}

// SetProfileImage implements tweets.MediaStore.
func (s *Store) SetProfileImage(ctx context.Context, userID tweets.ID, use tweets.ImageUse, key, contentType string) (err error) {
	defer tweets.Wrap(&err, "set the profile picture of user %d", userID)
	column := "avatar"
	if use == tweets.UseHeader {
		column = "header"
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		old, err := s.keys(ctx, tx, "SELECT "+column+"_key, NULL FROM users WHERE id = ?", userID)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "UPDATE users SET "+column+"_key = ?, "+column+"_content_type = ? WHERE id = ?",
			nullString(key), contentType, userID)
		if err != nil {
			return err
		}
		if err := affectedOne(res); err != nil {
			return err
		}
		return s.trash(ctx, tx, old)
	})
}
