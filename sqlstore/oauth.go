package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// CreateApp implements tweets.OAuthStore.
func (s *Store) CreateApp(ctx context.Context, a tweets.App) (err error) {
	defer tweets.Wrap(&err, "register app %q", a.Name)
	_, err = s.exec(ctx, s.q, `INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, secret_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"), a.Scopes.String(),
		a.ClientID, a.SecretHash, a.CreatedAt.UTC())
	return err
}

const appColumns = "id, name, website, redirect_uris, scopes, client_id, secret_hash, created_at"

func scanApp(row interface{ Scan(...any) error }, extra ...any) (tweets.App, error) {
	var a tweets.App
	var uris, scopes string
	err := row.Scan(append([]any{&a.ID, &a.Name, &a.Website, &uris, &scopes, &a.ClientID, &a.SecretHash, &a.CreatedAt}, extra...)...)
	a.RedirectURIs, a.Scopes, a.CreatedAt = strings.Split(uris, "\n"), tweets.Scopes(strings.Fields(scopes)), a.CreatedAt.UTC()
	return a, err
}

// AppByClientID implements tweets.OAuthStore.
func (s *Store) AppByClientID(ctx context.Context, clientID string) (a tweets.App, err error) {
	defer tweets.Wrap(&err, "app")
	a, err = scanApp(s.queryRow(ctx, s.q, "SELECT "+appColumns+" FROM oauth_apps WHERE client_id = ?", clientID))
	return a, s.mapError(err)
}

// CreateAuthCode implements tweets.OAuthStore.
func (s *Store) CreateAuthCode(ctx context.Context, c tweets.AuthCode) (err error) {
	defer tweets.Wrap(&err, "store an authorization code")
	_, err = s.exec(ctx, s.q, `INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, scopes, challenge, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.CodeHash, c.AppID, c.UserID, c.RedirectURI, c.Scopes.String(), c.Challenge, c.ExpiresAt.UTC())
	return err
}

// TakeAuthCode implements tweets.OAuthStore: DELETE ... RETURNING reads
// and removes the row in one statement (both databases have it).
func (s *Store) TakeAuthCode(ctx context.Context, codeHash string) (c tweets.AuthCode, err error) {
	defer tweets.Wrap(&err, "authorization code")
	var scopes string
	err = s.queryRow(ctx, s.q, `DELETE FROM oauth_codes WHERE code_hash = ?
		RETURNING code_hash, app_id, user_id, redirect_uri, scopes, challenge, expires_at`, codeHash).
		Scan(&c.CodeHash, &c.AppID, &c.UserID, &c.RedirectURI, &scopes, &c.Challenge, &c.ExpiresAt)
	c.Scopes, c.ExpiresAt = tweets.Scopes(strings.Fields(scopes)), c.ExpiresAt.UTC()
	return c, s.mapError(err)
}

// CreateToken implements tweets.OAuthStore.
func (s *Store) CreateToken(ctx context.Context, t tweets.Token) (err error) {
	defer tweets.Wrap(&err, "store an access token")
	_, err = s.exec(ctx, s.q, "INSERT INTO oauth_tokens (token_hash, app_id, user_id, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
		t.TokenHash, t.AppID, nullID(t.UserID), t.Scopes.String(), t.CreatedAt.UTC())
	return err
}

// TokenByHash implements tweets.OAuthStore with two look-ups by primary
// key: it runs on every API request.
func (s *Store) TokenByHash(ctx context.Context, tokenHash string) (t tweets.Token, a tweets.App, u tweets.User, err error) {
	defer tweets.Wrap(&err, "access token")
	var userID sql.NullInt64
	var scopes string
	row := s.queryRow(ctx, s.q, "SELECT t.token_hash, t.user_id, t.scopes, t.created_at, "+prefixed("a", appColumns)+
		" FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id WHERE t.token_hash = ?", tokenHash)
	// The app's columns come after the token's.
	a, err = scanApp(shifted{row, []any{&t.TokenHash, &userID, &scopes, &t.CreatedAt}})
	if err != nil {
		return t, a, u, s.mapError(err)
	}
	t.AppID, t.UserID, t.Scopes, t.CreatedAt = a.ID, tweets.ID(userID.Int64), tweets.Scopes(strings.Fields(scopes)), t.CreatedAt.UTC()
	if t.UserID != 0 {
		u, err = scanUser(s.queryRow(ctx, s.q, "SELECT "+userColumns+" FROM users WHERE id = ?", t.UserID))
		if errors.Is(err, sql.ErrNoRows) {
			return t, a, u, tweets.ErrNotFound
		}
	}
	return t, a, u, err
}

// shifted scans into before's destinations first, then the caller's:
// for a row whose first columns precede what a scan function reads.
type shifted struct {
	row    interface{ Scan(...any) error }
	before []any
}

func (s shifted) Scan(dest ...any) error { return s.row.Scan(append(s.before, dest...)...) }

// DeleteToken implements tweets.OAuthStore.
func (s *Store) DeleteToken(ctx context.Context, tokenHash string, appID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "revoke an access token")
	res, err := s.exec(ctx, s.q, "DELETE FROM oauth_tokens WHERE token_hash = ? AND app_id = ?", tokenHash, appID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// AuthorizedApps implements tweets.OAuthStore. A user holds a few
// tokens, so they are read newest first and grouped here.
func (s *Store) AuthorizedApps(ctx context.Context, userID tweets.ID) (as []tweets.AuthorizedApp, err error) {
	defer tweets.Wrap(&err, "apps authorized by user %d", userID)
	rows, err := s.query(ctx, s.q, "SELECT "+prefixed("a", appColumns)+`, t.scopes, t.created_at
		FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id WHERE t.user_id = ?
		ORDER BY t.created_at DESC, t.token_hash LIMIT 1000`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	index := map[tweets.ID]int{}
	for rows.Next() {
		var scopes string
		var created time.Time
		a, err := scanApp(rows, &scopes, &created)
		if err != nil {
			return nil, err
		}
		if i, ok := index[a.ID]; ok {
			as[i].Tokens++
			continue
		}
		index[a.ID] = len(as)
		as = append(as, tweets.AuthorizedApp{App: a, Scopes: tweets.Scopes(strings.Fields(scopes)), Tokens: 1, CreatedAt: created.UTC()})
	}
	return as, rows.Err()
}

// DeleteUserTokens implements tweets.OAuthStore.
func (s *Store) DeleteUserTokens(ctx context.Context, userID, appID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "revoke app %d for user %d", appID, userID)
	res, err := s.exec(ctx, s.q, "DELETE FROM oauth_tokens WHERE user_id = ? AND app_id = ?", userID, appID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}
