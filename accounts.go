package tweets

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// SignUp creates an account for a visitor at clientIP. Every attempt
// counts against the address's limit, refused ones too; the cheap checks
// (rules, a taken name) come before the costly hash.
func (s *Service) SignUp(ctx context.Context, username, password, clientIP string) (User, error) {
	if wait, ok := take(ctx, s.Limits.SignUp, clientIP); !ok {
		return User{}, tooMany(wait, "Too many sign-ups from your address. Try again in %s.", roundUp(wait))
	}
	return s.CreateAccount(ctx, username, password)
}

// CreateAccount creates an account without a rate limit: for the
// operator's command line and the demo account.
func (s *Service) CreateAccount(ctx context.Context, username, password string) (User, error) {
	u, err := s.newAccount(ctx, username, password)
	if err != nil {
		return User{}, err
	}
	return u, s.insertAccount(ctx, s.Store, u)
}

// newAccount checks the rules and that the name is free, cheap things
// first, then hashes the password: the account to store.
func (s *Service) newAccount(ctx context.Context, username, password string) (User, error) {
	if err := ValidateUsername(username); err != nil {
		return User{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, err
	}
	if _, err := s.Store.UserByUsername(ctx, username); err == nil {
		return User{}, errTaken(username)
	} else if !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	if err := s.checkReserved(ctx, s.Store, username); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	return User{ID: s.IDs.New(), Username: username, PasswordHash: hash, CreatedAt: s.now()}, nil
}

// insertAccount checks the reservations again in the transaction of the
// insert, so that a name whose account is being deleted cannot slip in
// between the deletion and its reservation.
func (s *Service) insertAccount(ctx context.Context, store Store, u User) error {
	err := store.Atomic(ctx, func(tx Store) error {
		if err := s.checkReserved(ctx, tx, u.Username); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u)
	})
	if errors.Is(err, ErrConflict) {
		return errTaken(u.Username) // taken since the check
	}
	return err
}

func errTaken(username string) error {
	return Invalid("username", "The username %q is taken. Choose another.", username)
}

// hash hashes a password once a hashing slot is free.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	leave, err := s.Hashing.Enter(ctx)
	if err != nil {
		return "", err
	}
	defer leave()
	return s.Passwords.Hash(password)
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Service) SetPassword(ctx context.Context, id ID, password string) error {
	return s.changePassword(ctx, id, password, "", nil)
}

// changePassword sets the hash and ends the sessions but the one whose
// token hash is keep (none when empty), and runs also (an audit entry)
// in the same transaction.
func (s *Service) changePassword(ctx context.Context, id ID, password, keep string, also func(tx Store) error) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	// Together or not at all: a new password with the old sessions kept
	// would leave whoever stole the old one logged in.
	return s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.SetPasswordHash(ctx, id, hash); err != nil {
			return err
		}
		end := func() error { return tx.DeleteUserSessions(ctx, id) }
		if keep != "" {
			end = func() error { return tx.DeleteOtherSessions(ctx, id, keep) }
		}
		if err := end(); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
}

// errBadLogin is deliberately vague: it does not say whether the account
// exists.
var errBadLogin = &Error{Code: CodeUnauthorized, Field: "username", Message: "Wrong username or password."}

// LogInAttempt is what a client sends to log in.
type LogInAttempt struct {
	Username, Password string
	ClientIP           string
	// Device is the device token the browser got at an earlier log-in,
	// if any.
	Device string
}

// LogIn checks a username and password, and returns the user with a
// device token for the browser to keep.
//
// Tokens are taken before the password is checked, so parallel guesses
// cannot all pass a check before any is counted; a log-in that succeeds
// gives them back. Limits: failures per (account, address) pair; failures
// per address across accounts; and a much higher ceiling of failures per
// account from browsers without a device token for it. So a guesser
// locks out only itself, and the owner's own browser always gets in.
func (s *Service) LogIn(ctx context.Context, a LogInAttempt) (User, string, error) {
	name := NormalizeUsername(a.Username)
	pair := name + "|" + a.ClientIP
	if wait, ok := take(ctx, s.Limits.LoginPair, pair); !ok {
		return User{}, "", tooMany(wait, "Too many failed log-ins to this account from your address. Try again in %s.", roundUp(wait))
	}
	if wait, ok := take(ctx, s.Limits.LoginAddress, a.ClientIP); !ok {
		giveBack(ctx, s.Limits.LoginPair, pair)
		return User{}, "", tooMany(wait, "Too many failed log-ins from your address. Try again in %s.", roundUp(wait))
	}
	refund := func() {
		giveBack(ctx, s.Limits.LoginPair, pair)
		giveBack(ctx, s.Limits.LoginAddress, a.ClientIP)
	}
	if ValidateUsername(a.Username) != nil || len(a.Password) > MaxPasswordLength*4 {
		return User{}, "", errBadLogin
	}
	u, err := s.Store.UserByUsername(ctx, a.Username)
	if err != nil && !errors.Is(err, ErrNotFound) {
		refund()
		return User{}, "", err
	}
	known := err == nil && s.knownDevice(u.ID, a.Device)
	if !known {
		if wait, ok := take(ctx, s.Limits.LoginAccount, name); !ok {
			refund()
			return User{}, "", tooMany(wait, "This account has had too many failed log-ins. Try again in %s, or from a browser you have logged in with before.", roundUp(wait))
		}
		inner := refund
		refund = func() { inner(); giveBack(ctx, s.Limits.LoginAccount, name) }
	}
	leave, gerr := s.Hashing.Enter(ctx)
	if gerr != nil {
		refund()
		return User{}, "", gerr
	}
	if err != nil {
		// Hash anyway so that a missing account takes as long as a
		// wrong password and cannot be told apart by timing.
		_, _ = s.Passwords.Hash(a.Password)
		leave()
		return User{}, "", errBadLogin
	}
	ok, err := s.Passwords.Verify(u.PasswordHash, a.Password)
	leave()
	if err != nil {
		refund()
		return User{}, "", err
	}
	if !ok {
		return User{}, "", errBadLogin
	}
	refund()
	if s.Limits.LoginPair != nil {
		s.Limits.LoginPair.Reset(ctx, pair)
	}
	if u.Suspended() {
		return User{}, "", errSuspended
	}
	return u, s.deviceToken(u.ID), nil
}

// take takes a token from l; a nil limiter limits nothing.
func take(ctx context.Context, l Limiter, key string) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	return l.Take(ctx, key)
}

func giveBack(ctx context.Context, l Limiter, key string) {
	if l != nil {
		l.Return(ctx, key)
	}
}

// deviceToken proves that this browser logged in to account id: a random
// nonce and its HMAC under DeviceKey.
func (s *Service) deviceToken(id ID) string {
	if len(s.DeviceKey) == 0 {
		return ""
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	n := base64.RawURLEncoding.EncodeToString(nonce[:])
	return n + "." + s.deviceMAC(id, n)
}

func (s *Service) deviceMAC(id ID, nonce string) string {
	m := hmac.New(sha256.New, s.DeviceKey)
	m.Write([]byte("device|" + id.String() + "|" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func (s *Service) knownDevice(id ID, token string) bool {
	nonce, mac, ok := strings.Cut(token, ".")
	if len(s.DeviceKey) == 0 || !ok || len(nonce) != 22 {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(s.deviceMAC(id, nonce)))
}

// StartSession creates a session for u and returns the token that the
// client keeps; only its hash is stored.
func (s *Service) StartSession(ctx context.Context, u User) (token string, expires time.Time, err error) {
	return s.StartSessionFrom(ctx, u, "")
}

// StartSessionFrom is StartSession for a client that names itself (a
// browser's User-Agent), so that its user can tell their sessions apart.
func (s *Service) StartSessionFrom(ctx context.Context, u User, userAgent string) (token string, expires time.Time, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now()
	expires = now.Add(s.SessionTTL)
	err = s.Store.CreateSession(ctx, Session{TokenHash: HashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: expires,
		UserAgent: cleanUserAgent(userAgent)})
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
