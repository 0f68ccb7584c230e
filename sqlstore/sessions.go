package sqlstore

import (
	"context"
	"time"

	"github.com/tweetsdev/tweets"
)

// CreateSession implements tweets.SessionStore.
func (s *Store) CreateSession(ctx context.Context, sess tweets.Session) (err error) {
	defer tweets.Wrap(&err, "create session")
	_, err = s.exec(ctx, s.q, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?)",
		sess.TokenHash, sess.UserID, sess.CreatedAt.UTC(), sess.ExpiresAt.UTC(), sess.UserAgent)
	return err
}

// SessionUser implements tweets.SessionStore.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (u tweets.User, err error) {
	defer tweets.Wrap(&err, "session user")
	var expires time.Time
	u, err = scanUser(s.queryRow(ctx, s.q, "SELECT "+prefixed("u", userColumns)+`, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash), &expires)
	if err != nil {
		return tweets.User{}, s.mapError(err)
	}
	if !expires.After(now) {
		return tweets.User{}, tweets.ErrNotFound
	}
	return u, nil
}

// DeleteSession implements tweets.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	defer tweets.Wrap(&err, "delete session")
	_, err = s.exec(ctx, s.q, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
	return err
}

// DeleteUserSessions implements tweets.SessionStore.
func (s *Store) DeleteUserSessions(ctx context.Context, userID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "delete sessions of user %d", userID)
	_, err = s.exec(ctx, s.q, "DELETE FROM sessions WHERE user_id = ?", userID)
	return err
}

// DeleteExpiredSessions implements tweets.SessionStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (n int, err error) {
	defer tweets.Wrap(&err, "delete expired sessions")
	res, err := s.exec(ctx, s.q, "DELETE FROM sessions WHERE expires_at <= ?", now.UTC())
	if err != nil {
		return 0, err
	}
	m, err := res.RowsAffected()
	return int(m), err
}

const sessionColumns = "token_hash, user_id, created_at, expires_at, user_agent"

func scanSession(row interface{ Scan(...any) error }) (tweets.Session, error) {
	var sess tweets.Session
	err := row.Scan(&sess.TokenHash, &sess.UserID, &sess.CreatedAt, &sess.ExpiresAt, &sess.UserAgent)
	sess.CreatedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC()
	return sess, err
}

// SessionByHash implements tweets.SessionStore.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string) (sess tweets.Session, err error) {
	defer tweets.Wrap(&err, "session")
	sess, err = scanSession(s.queryRow(ctx, s.q, "SELECT "+sessionColumns+" FROM sessions WHERE token_hash = ?", tokenHash))
	return sess, s.mapError(err)
}

// SessionsOfUser implements tweets.SessionStore.
func (s *Store) SessionsOfUser(ctx context.Context, userID tweets.ID, now time.Time, limit int) (ss []tweets.Session, err error) {
	defer tweets.Wrap(&err, "sessions of user %d", userID)
	rows, err := s.query(ctx, s.q, "SELECT "+sessionColumns+" FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, token_hash LIMIT ?",
		userID, now.UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		ss = append(ss, sess)
	}
	return ss, rows.Err()
}

// DeleteOtherSessions implements tweets.SessionStore.
func (s *Store) DeleteOtherSessions(ctx context.Context, userID tweets.ID, keep string) (err error) {
	defer tweets.Wrap(&err, "delete other sessions of user %d", userID)
	_, err = s.exec(ctx, s.q, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userID, keep)
	return err
}
