package tweets

import (
	"strings"
	"time"
)

// User is an account.
type User struct {
	ID           ID
	Username     string // as typed at sign-up; unique ignoring case
	PasswordHash string // argon2id or bcrypt, in its encoded form
	IsAdmin      bool
	CreatedAt    time.Time
	SuspendedAt  time.Time // zero unless suspended
	DisplayName  string    // empty unless set; see Profile
	Bio          string
	// Avatar and Header are the storage keys of the profile's pictures;
	// empty where none is set (pages draw a default avatar).
	Avatar, Header string
}

// Suspended reports whether an admin has suspended the account.
func (u User) Suspended() bool { return !u.SuspendedAt.IsZero() }

// Username and password rules.
const (
	MaxUsernameLength = 30
	MinPasswordLength = 8
	// MaxPasswordLength bounds the work a log-in can cause.
	MaxPasswordLength = 256
)

// ValidateUsername checks the username rules: 1 to 30 of [A-Za-z0-9_].
func ValidateUsername(name string) error {
	if name == "" {
		return Invalid("username", "Choose a username.")
	}
	if len(name) > MaxUsernameLength {
		return Invalid("username", "A username has at most %d characters; this one has %d.", MaxUsernameLength, len([]rune(name)))
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return Invalid("username", "A username may use only letters A to Z, digits and underscores.")
		}
	}
	return nil
}

// ValidatePassword checks the password rules.
func ValidatePassword(pw string) error {
	n := len([]rune(pw))
	if n < MinPasswordLength {
		return Invalid("password", "A password needs at least %d characters.", MinPasswordLength)
	}
	if n > MaxPasswordLength {
		return Invalid("password", "A password has at most %d characters.", MaxPasswordLength)
	}
	return nil
}

// NormalizeUsername returns the form used for uniqueness and look-ups.
func NormalizeUsername(name string) string { return strings.ToLower(name) }

// Session is a logged-in browser. Only a hash of its token is stored, so
// a leaked database does not leak live sessions.
type Session struct {
	TokenHash string
	UserID    ID
	CreatedAt time.Time
	ExpiresAt time.Time
	UserAgent string // the browser as it named itself, if known
}
