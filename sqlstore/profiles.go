package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/tweetsdev/tweets"
)

// SetProfile implements tweets.ProfileStore.
func (s *Store) SetProfile(ctx context.Context, id tweets.ID, p tweets.Profile) (err error) {
	defer tweets.Wrap(&err, "set profile of user %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE users SET display_name = ?, bio = ? WHERE id = ?", p.DisplayName, p.Bio, id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// DeleteUser implements tweets.ProfileStore. Every table that refers to
// users does so with ON DELETE CASCADE (SQLite's connections all turn
// foreign_keys on), so deleting the row is what removes the rest, in
// the tables of later migrations too.
func (s *Store) DeleteUser(ctx context.Context, id tweets.ID) (keys []string, err error) {
	defer tweets.Wrap(&err, "delete user %d", id)
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		tweetKeys, err := s.keys(ctx, tx, `SELECT m.storage_key, m.thumb_key FROM tweet_media m JOIN tweets t ON t.id = m.tweet_id
			WHERE t.author_id = ? ORDER BY m.storage_key`, id)
		if err != nil {
			return err
		}
		profileKeys, err := s.keys(ctx, tx, "SELECT avatar_key, header_key FROM users WHERE id = ?", id)
		if err != nil {
			return err
		}
		keys = append(tweetKeys, profileKeys...)
		if err := s.trash(ctx, tx, keys); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM users WHERE id = ?", id)
		if err != nil {
			return err
		}
		return affectedOne(res)
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// ReserveUsername implements tweets.ProfileStore. The upsert is the
// same SQL on SQLite and PostgreSQL.
func (s *Store) ReserveUsername(ctx context.Context, username string, until time.Time) (err error) {
	defer tweets.Wrap(&err, "reserve username %q", username)
	_, err = s.exec(ctx, s.q, `INSERT INTO reserved_usernames (username_key, reserved_until) VALUES (?, ?)
		ON CONFLICT (username_key) DO UPDATE SET reserved_until = excluded.reserved_until`,
		tweets.NormalizeUsername(username), until.UTC())
	return err
}

// UsernameReservedUntil implements tweets.ProfileStore. The time is
// compared here rather than in SQL, as SessionUser does, so that a
// reservation ends at exactly its instant on both databases.
func (s *Store) UsernameReservedUntil(ctx context.Context, username string, now time.Time) (until time.Time, err error) {
	defer tweets.Wrap(&err, "reservation of username %q", username)
	err = s.queryRow(ctx, s.q, "SELECT reserved_until FROM reserved_usernames WHERE username_key = ?",
		tweets.NormalizeUsername(username)).Scan(&until)
	if err != nil {
		return time.Time{}, s.mapError(err)
	}
	if !until.After(now) {
		return time.Time{}, tweets.ErrNotFound
	}
	return until.UTC(), nil
}
