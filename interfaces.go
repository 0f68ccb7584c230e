package tweets

import (
	"context"
	"io"
	"time"
)

// UserStore keeps accounts. Look-ups by username ignore case.
type UserStore interface {
	// CreateUser stores u; a username already taken (in any case) gives
	// an error matching ErrConflict.
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id ID) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	SetPasswordHash(ctx context.Context, id ID, hash string) error
	SetAdmin(ctx context.Context, id ID, admin bool) error
	CountUsers(ctx context.Context) (int, error)
}

// TweetStore keeps tweets and their media records.
type TweetStore interface {
	// CreateTweet stores t and its media; an ID already used gives an
	// error matching ErrConflict.
	CreateTweet(ctx context.Context, t Tweet) error
	TweetByID(ctx context.Context, id ID) (Tweet, error)
	// DeleteTweet removes the tweet and its media records.
	DeleteTweet(ctx context.Context, id ID) error
	// Timeline returns tweets newest first, with Author and Media filled.
	Timeline(ctx context.Context, q TimelineQuery) ([]Tweet, error)
}

// SessionStore keeps server-side sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the user of a session that has not expired at
	// now, in one query: it runs on every logged-in request.
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID ID) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Store is everything the service keeps in its database.
type Store interface {
	UserStore
	TweetStore
	SessionStore
	AdminStore
	MediaStore
	// Atomic runs fn in one transaction. Every method of tx runs inside
	// it; what fn wrote is kept only if fn returns nil, and an error or a
	// panic rolls all of it back. An Atomic of tx joins the transaction,
	// in a savepoint: it commits only with the rest, and if it fails it
	// rolls back alone while the transaction goes on.
	//
	// fn may run more than once, when the database refuses the
	// transaction for clashing with a concurrent one, so it does only
	// what a rollback undoes: files, events and caches wait until Atomic
	// has returned nil. fn uses tx, not the outer store, from one
	// goroutine, and not after returning. Once a method of tx has failed,
	// PostgreSQL refuses the rest of the transaction: fn returns the
	// error, or makes a call whose failure it handles inside an Atomic of
	// tx. Ping and Close of tx fail.
	Atomic(ctx context.Context, fn func(tx Store) error) error
	// Ping reports whether the database answers and is migrated.
	Ping(ctx context.Context) error
	Close() error
}

// BlobStore keeps media files. Keys are random and never reused, so a
// stored file never changes.
type BlobStore interface {
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Open returns the file; a missing key gives an error matching
	// ErrNotFound.
	Open(ctx context.Context, key string) (Blob, error)
	Delete(ctx context.Context, key string) error
}

// Blob is an open stored file.
type Blob interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}

// ImageInfo describes a decoded image.
type ImageInfo struct {
	ContentType string // image/jpeg, image/png, image/gif or image/webp
	Extension   string // .jpg, .png, .gif or .webp
	Width       int
	Height      int
}

// ImageInspector decodes an upload to prove it is an image it accepts. A
// refusal is a *Error that says why.
type ImageInspector interface {
	// Precheck refuses, from the first bytes of a file, what Inspect
	// would refuse before decoding (not an image, too many pixels, too
	// costly to decode), so that such an upload never waits for a
	// decoding slot. It passes what it cannot tell yet.
	Precheck(head []byte) error
	Inspect(data []byte) (ImageInfo, error)
}

// PasswordHasher hashes and checks passwords.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches the encoded hash.
	Verify(hash, password string) (bool, error)
}

// Event is something that happened, for live updates and caches. It
// carries no secret (no password hash, no session), since relays send it
// to other replicas.
type Event struct {
	Kind  EventKind
	Tweet Tweet `json:",omitzero"`
	// Account is the account an account event is about.
	Account ID `json:",omitzero"`
}

// EventKind names an event.
type EventKind string

// Event kinds.
const (
	EventTweetPosted     EventKind = "tweet.posted"
	EventTweetDeleted    EventKind = "tweet.deleted"
	EventUserSuspended   EventKind = "user.suspended"
	EventUserUnsuspended EventKind = "user.unsuspended"
)

// Publisher receives events after the change they describe is stored.
type Publisher interface {
	Publish(ctx context.Context, e Event)
}
