package sqlstore

import (
	"context"
	"time"

	"github.com/tweetsdev/tweets"
)

// dueAtOnce is the not_before of a newly trashed file: long past, so
// that the next sweep takes it.
var dueAtOnce = time.Unix(0, 0).UTC()

// trash queues keys for deletion from the blob store, in the transaction
// (or plain connection) q. A key queued twice stays queued once.
func (s *Store) trash(ctx context.Context, q queryer, keys []string) error {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if _, err := s.exec(ctx, q, `INSERT INTO media_trash (storage_key, not_before) VALUES (?, ?)
			ON CONFLICT (storage_key) DO NOTHING`, k, dueAtOnce); err != nil {
			return err
		}
	}
	return nil
}

// keys returns the storage keys that a query of one or two nullable
// text columns finds.
func (s *Store) keys(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var a, b *string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		for _, k := range []*string{a, b} {
			if k != nil && *k != "" {
				keys = append(keys, *k)
			}
		}
	}
	return keys, rows.Err()
}

// TrashMedia implements tweets.MediaStore.
func (s *Store) TrashMedia(ctx context.Context, keys []string) (err error) {
	defer tweets.Wrap(&err, "queue %d media files for deletion", len(keys))
	return s.trash(ctx, s.q, keys)
}

// DueTrash implements tweets.MediaStore.
func (s *Store) DueTrash(ctx context.Context, now time.Time, limit int) (fs []tweets.TrashedFile, err error) {
	defer tweets.Wrap(&err, "media files to delete")
	rows, err := s.query(ctx, s.q, `SELECT storage_key, attempts, not_before, last_error FROM media_trash
		WHERE not_before <= ? ORDER BY not_before, storage_key LIMIT ?`, now.UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f tweets.TrashedFile
		if err := rows.Scan(&f.Key, &f.Attempts, &f.NotBefore, &f.LastError); err != nil {
			return nil, err
		}
		f.NotBefore = f.NotBefore.UTC()
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

// ForgetTrash implements tweets.MediaStore.
func (s *Store) ForgetTrash(ctx context.Context, key string) (err error) {
	defer tweets.Wrap(&err, "forget deleted media file %s", key)
	_, err = s.exec(ctx, s.q, "DELETE FROM media_trash WHERE storage_key = ?", key)
	return err
}

// PostponeTrash implements tweets.MediaStore.
func (s *Store) PostponeTrash(ctx context.Context, f tweets.TrashedFile) (err error) {
	defer tweets.Wrap(&err, "postpone deleting media file %s", f.Key)
	_, err = s.exec(ctx, s.q, "UPDATE media_trash SET attempts = ?, not_before = ?, last_error = ? WHERE storage_key = ?",
		f.Attempts, f.NotBefore.UTC(), f.LastError, f.Key)
	return err
}

// ReferencedMedia implements tweets.MediaStore: it walks every column
// that Tables declares as holding a storage key, so a table added later
// with files is covered by declaring them.
func (s *Store) ReferencedMedia(ctx context.Context, fn func(key string) error) (err error) {
	defer tweets.Wrap(&err, "list the media files rows refer to")
	for _, t := range tables {
		for _, b := range t.Blobs {
			if err := s.eachKey(ctx, "SELECT "+b.Key+" FROM "+t.Name+" WHERE "+b.Key+" IS NOT NULL AND "+b.Key+" <> ''", fn); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) eachKey(ctx context.Context, query string, fn func(string) error) error {
	rows, err := s.query(ctx, s.q, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
	}
	return rows.Err()
}
