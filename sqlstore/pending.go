package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

const pendingColumns = `id, user_id, storage_key, content_type, width, height, size, alt,
	COALESCE(thumb_key, ''), thumb_content_type, thumb_width, thumb_height, blurhash, created_at`

// AddPendingMedia implements tweets.MediaStore.
func (s *Store) AddPendingMedia(ctx context.Context, p tweets.PendingMedia) (err error) {
	defer tweets.Wrap(&err, "keep an uploaded image")
	m := p.Media
	_, err = s.exec(ctx, s.q, `INSERT INTO pending_media (id, user_id, storage_key, content_type, width, height, size, alt,
		thumb_key, thumb_content_type, thumb_width, thumb_height, blurhash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.UserID, m.Key, m.ContentType, m.Width, m.Height, m.Size, m.Alt,
		nullString(m.Thumb.Key), m.Thumb.ContentType, m.Thumb.Width, m.Thumb.Height, m.Blurhash, p.CreatedAt.UTC())
	return err
}

// PendingMedia implements tweets.MediaStore.
func (s *Store) PendingMedia(ctx context.Context, userID tweets.ID, ids []tweets.ID) (ps []tweets.PendingMedia, err error) {
	defer tweets.Wrap(&err, "uploaded images")
	if len(ids) == 0 {
		return nil, nil
	}
	marks := strings.Repeat(", ?", len(ids))[2:]
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.query(ctx, s.q, "SELECT "+pendingColumns+" FROM pending_media WHERE user_id = ? AND id IN ("+marks+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[tweets.ID]tweets.PendingMedia{}
	for rows.Next() {
		var p tweets.PendingMedia
		m := &p.Media
		if err := rows.Scan(&p.ID, &p.UserID, &m.Key, &m.ContentType, &m.Width, &m.Height, &m.Size, &m.Alt,
			&m.Thumb.Key, &m.Thumb.ContentType, &m.Thumb.Width, &m.Thumb.Height, &m.Blurhash, &p.CreatedAt); err != nil {
			return nil, err
		}
		p.CreatedAt = p.CreatedAt.UTC()
		found[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		p, ok := found[id]
		if !ok {
			return nil, tweets.ErrNotFound
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// SetPendingAlt implements tweets.MediaStore.
func (s *Store) SetPendingAlt(ctx context.Context, userID, id tweets.ID, alt string) (err error) {
	defer tweets.Wrap(&err, "describe uploaded image %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE pending_media SET alt = ? WHERE id = ? AND user_id = ?", alt, id, userID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// ClaimPendingMedia implements tweets.MediaStore.
func (s *Store) ClaimPendingMedia(ctx context.Context, ids []tweets.ID) (err error) {
	defer tweets.Wrap(&err, "attach uploaded images")
	for _, id := range ids {
		res, err := s.exec(ctx, s.q, "DELETE FROM pending_media WHERE id = ?", id)
		if err != nil {
			return err
		}
		// Claimed by a status posted at the same moment: this one must
		// not carry the same files.
		if err := affectedOne(res); err != nil {
			return tweets.Invalid("media_ids", "An uploaded image is already attached to another status.")
		}
	}
	return nil
}

// ExpirePendingMedia implements tweets.MediaStore.
func (s *Store) ExpirePendingMedia(ctx context.Context, before time.Time, limit int) (n int, err error) {
	defer tweets.Wrap(&err, "expire uploaded images")
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		rows, err := s.query(ctx, tx, "SELECT id, storage_key, thumb_key FROM pending_media WHERE created_at < ? ORDER BY created_at LIMIT ?", before.UTC(), limit)
		if err != nil {
			return err
		}
		var ids []tweets.ID
		var keys []string
		for rows.Next() {
			var id tweets.ID
			var key string
			var thumb sql.NullString
			if err := rows.Scan(&id, &key, &thumb); err != nil {
				rows.Close()
				return err
			}
			ids, keys = append(ids, id), append(keys, key, thumb.String)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.exec(ctx, tx, "DELETE FROM pending_media WHERE id = ?", id); err != nil {
				return err
			}
		}
		n = len(ids)
		return s.trash(ctx, tx, keys)
	})
	return n, err
}
