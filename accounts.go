package tweets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// SignUp creates an account.
func (s *Service) SignUp(ctx context.Context, username, password string) (User, error) {
	if err := ValidateUsername(username); err != nil {
		return User{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: s.IDs.New(), Username: username, PasswordHash: hash, CreatedAt: s.now()}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrConflict) {
			return User{}, Invalid("username", "The username %q is taken. Choose another.", username)
		}
		return User{}, err
	}
	return u, nil
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Service) SetPassword(ctx context.Context, id ID, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return err
	}
	if err := s.Store.SetPasswordHash(ctx, id, hash); err != nil {
		return err
	}
	return s.Store.DeleteUserSessions(ctx, id)
}

// errBadLogin is deliberately vague: it does not say whether the account
// exists.
var errBadLogin = &Error{Code: CodeUnauthorized, Field: "username", Message: "Wrong username or password."}

// LogIn checks a username and password. Failures are throttled per
// account and per client address, so neither guessing one password
// across accounts nor many passwords for one account gets far.
func (s *Service) LogIn(ctx context.Context, username, password, clientIP string) (User, error) {
	accountKey := "login:user:" + NormalizeUsername(username)
	ipKey := "login:ip:" + clientIP
	for _, key := range []string{accountKey, ipKey} {
		if wait, blocked := s.Throttle.Blocked(ctx, key); blocked {
			return User{}, Errorf(CodeTooMany, "Too many failed log-ins. Try again in %s.", roundUp(wait))
		}
	}
	fail := func() (User, error) {
		s.Throttle.Fail(ctx, accountKey)
		s.Throttle.Fail(ctx, ipKey)
		return User{}, errBadLogin
	}
	if ValidateUsername(username) != nil || len(password) > MaxPasswordLength*4 {
		return fail()
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		// Hash anyway so that a missing account takes as long as a
		// wrong password and cannot be told apart by timing.
		_, _ = s.Passwords.Hash(password)
		return fail()
	}
	if err != nil {
		return User{}, err
	}
	ok, err := s.Passwords.Verify(u.PasswordHash, password)
	if err != nil {
		return User{}, err
	}
	if !ok {
		return fail()
	}
	if u.Suspended() {
		return User{}, errSuspended
	}
	s.Throttle.Reset(ctx, accountKey)
	return u, nil
}

// StartSession creates a session for u and returns the token that the
// client keeps; only its hash is stored.
func (s *Service) StartSession(ctx context.Context, u User) (token string, expires time.Time, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now()
	expires = now.Add(s.SessionTTL)
	err = s.Store.CreateSession(ctx, Session{TokenHash: HashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: expires})
	return token, expires, err
}

// SessionUser returns the user of a live session token.
func (s *Service) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, ErrNotFound
	}
	u, err := s.Store.SessionUser(ctx, HashToken(token), s.now())
	if err == nil && u.Suspended() {
		return User{}, ErrNotFound // a suspended account is logged out
	}
	return u, err
}

var errSuspended = &Error{Code: CodeForbidden, Message: "This account is suspended."}

// EndSession logs a session out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// HashToken returns the stored form of a session token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func roundUp(d time.Duration) string {
	if d < time.Minute {
		return (d.Truncate(time.Second) + time.Second).String()
	}
	return (d.Truncate(time.Minute) + time.Minute).String()
}
