package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/tweetsdev/tweets"
)

const userColumns = "id, username, password_hash, is_admin, created_at, suspended_at, display_name, bio, avatar_key, header_key"

// scanUser reads userColumns, then into extra any columns after them.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (tweets.User, error) {
	var u tweets.User
	var suspended sql.NullTime
	var avatar, header sql.NullString
	err := row.Scan(append([]any{&u.ID, &u.Username, &u.PasswordHash, &u.IsAdmin, &u.CreatedAt, &suspended, &u.DisplayName, &u.Bio, &avatar, &header}, extra...)...)
	u.Avatar, u.Header = avatar.String, header.String
	u.CreatedAt = u.CreatedAt.UTC()
	if suspended.Valid {
		u.SuspendedAt = suspended.Time.UTC()
	}
	return u, err
}

// nullTime stores a zero time as NULL.
func nullTime(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()}
}

// CreateUser implements tweets.UserStore.
func (s *Store) CreateUser(ctx context.Context, u tweets.User) (err error) {
	defer tweets.Wrap(&err, "create user %q", u.Username)
	_, err = s.exec(ctx, s.q,
		"INSERT INTO users (id, username, username_key, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		u.ID, u.Username, tweets.NormalizeUsername(u.Username), u.PasswordHash, u.IsAdmin, u.CreatedAt.UTC())
	return err
}

// UserByID implements tweets.UserStore.
func (s *Store) UserByID(ctx context.Context, id tweets.ID) (u tweets.User, err error) {
	defer tweets.Wrap(&err, "user %d", id)
	u, err = scanUser(s.queryRow(ctx, s.q, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	return u, s.mapError(err)
}

// UserByUsername implements tweets.UserStore.
func (s *Store) UserByUsername(ctx context.Context, username string) (u tweets.User, err error) {
	defer tweets.Wrap(&err, "user %q", username)
	u, err = scanUser(s.queryRow(ctx, s.q, "SELECT "+userColumns+" FROM users WHERE username_key = ?", tweets.NormalizeUsername(username)))
	return u, s.mapError(err)
}

// SetPasswordHash implements tweets.UserStore.
func (s *Store) SetPasswordHash(ctx context.Context, id tweets.ID, hash string) (err error) {
	defer tweets.Wrap(&err, "set password of user %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// SetAdmin implements tweets.UserStore.
func (s *Store) SetAdmin(ctx context.Context, id tweets.ID, admin bool) (err error) {
	defer tweets.Wrap(&err, "set admin flag of user %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE users SET is_admin = ? WHERE id = ?", admin, id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// CountUsers implements tweets.UserStore.
func (s *Store) CountUsers(ctx context.Context) (n int, err error) {
	defer tweets.Wrap(&err, "count users")
	err = s.queryRow(ctx, s.q, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, s.mapError(err)
}
