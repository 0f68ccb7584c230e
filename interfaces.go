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

// ProfileStore keeps what users change about their own accounts.
type ProfileStore interface {
	SetProfile(ctx context.Context, id ID, p Profile) error
	// DeleteUser deletes the account and, with it, every row that refers
	// to it (foreign keys ON DELETE CASCADE): its tweets and their media
	// records, its sessions, the reports it filed. It returns the storage
	// keys of that media, for deleting the files once committed.
	DeleteUser(ctx context.Context, id ID) (mediaKeys []string, err error)
	// ReserveUsername keeps username (ignoring case) from new accounts
	// until the given time, replacing any earlier reservation.
	ReserveUsername(ctx context.Context, username string, until time.Time) error
	// UsernameReservedUntil returns when the reservation of username ends;
	// an error matching ErrNotFound when none lasts past now.
	UsernameReservedUntil(ctx context.Context, username string, now time.Time) (time.Time, error)
}

// TweetStore keeps tweets and their media records.
type TweetStore interface {
	// CreateTweet stores t and its media; an ID already used gives an
	// error matching ErrConflict.
	CreateTweet(ctx context.Context, t Tweet) error
	TweetByID(ctx context.Context, id ID) (Tweet, error)
	// DeleteTweet removes the tweet and its media records.
	DeleteTweet(ctx context.Context, id ID) error
	// EditTweet replaces a tweet's text, keeping the one it had as a
	// version, in one transaction.
	EditTweet(ctx context.Context, id ID, text string, at time.Time) error
	// Versions lists a tweet's earlier texts, oldest first.
	Versions(ctx context.Context, id ID) ([]Version, error)
	// Timeline returns tweets newest first, with Author and Media filled.
	Timeline(ctx context.Context, q TimelineQuery) ([]Tweet, error)
}

// SearchStore finds tweets by hashtag, mention and words, and accounts
// by name. CreateTweet stores the hashtags of a tweet and its mentions
// of existing accounts. Words match whole words, ignoring case and
// keeping accents; a word of a script written without spaces (Chinese,
// Japanese, Thai...) or holding symbols or emoji matches anywhere in the
// text instead.
type SearchStore interface {
	FindTweets(ctx context.Context, q TweetSearch) ([]Tweet, error)
	FindUsers(ctx context.Context, q UserSearch) ([]User, error)
	// Mentioned lists the accounts a tweet mentions, as CreateTweet
	// stored them, that do not block its author (at most limit).
	Mentioned(ctx context.Context, tweetID ID, limit int) ([]ID, error)
}

// SessionStore keeps server-side sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the user of a session that has not expired at
	// now, in one query: it runs on every logged-in request.
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID ID) error
	// SessionByHash returns a session, expired or not.
	SessionByHash(ctx context.Context, tokenHash string) (Session, error)
	// SessionsOfUser returns up to limit of the user's sessions that have
	// not expired at now, newest first.
	SessionsOfUser(ctx context.Context, userID ID, now time.Time, limit int) ([]Session, error)
	// DeleteOtherSessions ends every session of the user but keep.
	DeleteOtherSessions(ctx context.Context, userID ID, keep string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// IdempotencyStore remembers which tweet a client's retried request made.
type IdempotencyStore interface {
	// RememberPost records that the user's request with keyHash made
	// tweetID; ErrConflict if the key is taken (by a concurrent retry).
	RememberPost(ctx context.Context, userID ID, keyHash string, tweetID ID, at time.Time) error
	// RememberedPost returns the tweet the key made after since, or
	// ErrNotFound.
	RememberedPost(ctx context.Context, userID ID, keyHash string, since time.Time) (ID, error)
}

// OAuthStore keeps the API's registered apps, authorization codes and
// access tokens, each secret by its hash.
type OAuthStore interface {
	CreateApp(ctx context.Context, a App) error
	AppByClientID(ctx context.Context, clientID string) (App, error)
	CreateAuthCode(ctx context.Context, c AuthCode) error
	// TakeAuthCode returns the code and deletes it, in one step, so a
	// code is good once even when two requests race.
	TakeAuthCode(ctx context.Context, codeHash string) (AuthCode, error)
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns a token with its app and, unless it is an
	// app-only token, its user.
	TokenByHash(ctx context.Context, tokenHash string) (Token, App, User, error)
	// DeleteToken revokes a token of the app; ErrNotFound if it has none
	// such.
	DeleteToken(ctx context.Context, tokenHash string, appID ID) error
	// AuthorizedApps lists the apps holding tokens of the user, newest
	// first, with the scopes of their newest token.
	AuthorizedApps(ctx context.Context, userID ID) ([]AuthorizedApp, error)
	// DeleteUserTokens revokes every token of the user's held by the
	// app; ErrNotFound if it holds none.
	DeleteUserTokens(ctx context.Context, userID, appID ID) error
}

// AuthorizedApp is an app that may act for a user.
type AuthorizedApp struct {
	App       App
	Scopes    Scopes
	Tokens    int
	CreatedAt time.Time // of the newest token
}

// AdminStore holds what moderation needs.
type AdminStore interface {
	// SetSuspended suspends an account at the given time, or lifts the
	// suspension when at is zero.
	SetSuspended(ctx context.Context, id ID, at time.Time) error
	ListUsers(ctx context.Context, q UserQuery) ([]User, error)
	CountTweets(ctx context.Context) (int, error)
	// DailyCounts counts users ("users") or tweets ("tweets") made per
	// UTC day since the given time.
	DailyCounts(ctx context.Context, what string, since time.Time) ([]DayCount, error)
	CreateReport(ctx context.Context, r Report) error
	ReportByID(ctx context.Context, id ID) (Report, error)
	Reports(ctx context.Context, q ReportQuery) ([]Report, error)
	CountOpenReports(ctx context.Context) (int, error)
	ResolveReport(ctx context.Context, id, by ID, resolution string, at time.Time) error
	AddAuditEntry(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, before ID, limit int) ([]AuditEntry, error)
}

// MediaStore finds the tweet or account a media file belongs to, for the
// check that runs before the file is served, and keeps the queue of files
// to delete.
type MediaStore interface {
	// MediaByKey returns the media record with the storage key, with its
	// tweet and author. A key that no tweet has gives an error matching
	// ErrNotFound.
	MediaByKey(ctx context.Context, key string) (AttachedMedia, error)
	// SetProfileImage sets (or, with an empty key, removes) a user's
	// avatar or header; the file it replaces goes to the trash in the
	// same transaction.
	SetProfileImage(ctx context.Context, userID ID, use ImageUse, key, contentType string) error

	// TrashMedia queues stored files for deletion from the blob store.
	// The stores that delete rows (DeleteTweet, DeleteUser,
	// SetProfileImage) queue their files themselves, in their
	// transaction; this is for files no row ever referred to.
	TrashMedia(ctx context.Context, keys []string) error
	// DueTrash returns up to limit queued files whose next attempt is
	// due at now.
	DueTrash(ctx context.Context, now time.Time, limit int) ([]TrashedFile, error)
	// ForgetTrash takes a file off the queue once it is deleted.
	ForgetTrash(ctx context.Context, key string) error
	// PostponeTrash records a failed attempt and when to try again.
	PostponeTrash(ctx context.Context, f TrashedFile) error
	// AddPendingMedia keeps an image uploaded ahead of its status.
	AddPendingMedia(ctx context.Context, p PendingMedia) error
	// PendingMedia returns the user's pending images with the ids, in
	// the order asked; an id that is not the user's gives ErrNotFound.
	PendingMedia(ctx context.Context, userID ID, ids []ID) ([]PendingMedia, error)
	// SetPendingAlt changes a pending image's description.
	SetPendingAlt(ctx context.Context, userID, id ID, alt string) error
	// ClaimPendingMedia deletes pending rows whose images a status now
	// carries (inside the transaction that stores it).
	ClaimPendingMedia(ctx context.Context, ids []ID) error
	// ExpirePendingMedia deletes up to limit pending rows created
	// before the time and puts their files in the trash, in one
	// transaction; it returns how many went.
	ExpirePendingMedia(ctx context.Context, before time.Time, limit int) (int, error)

	// ReferencedMedia calls fn with every storage key a row refers to,
	// for garbage collection.
	ReferencedMedia(ctx context.Context, fn func(key string) error) error
}

// PendingMedia is an image uploaded through the API that no status
// carries yet.
type PendingMedia struct {
	ID        ID
	UserID    ID
	Media     Media
	CreatedAt time.Time
}

// TrashedFile is a stored file queued for deletion.
type TrashedFile struct {
	Key       string
	Attempts  int
	NotBefore time.Time
	LastError string
}

// SocialStore keeps who follows whom, likes, reposts and threads.
type SocialStore interface {
	// Follow records that f.FollowerID follows f.FolloweeID; already
	// following gives an error matching ErrConflict.
	Follow(ctx context.Context, f Follow) error
	// Unfollow ends a follow; not following gives ErrNotFound.
	Unfollow(ctx context.Context, followerID, followeeID ID) error
	// Follows lists followers or followed accounts, newest follow first.
	Follows(ctx context.Context, q FollowQuery) ([]FollowEntry, error)
	// Relationship says how viewer and other are related.
	Relationship(ctx context.Context, viewer, other ID) (Relationship, error)
	// Block and Mute record one account blocking or muting another;
	// twice gives ErrConflict. Unblock and Unmute give ErrNotFound when
	// there was none.
	Block(ctx context.Context, id, blocker, blocked ID, at time.Time) error
	Unblock(ctx context.Context, blocker, blocked ID) error
	Mute(ctx context.Context, id, muter, muted ID, at time.Time) error
	Unmute(ctx context.Context, muter, muted ID) error
	// Blocked and Muted list the accounts that id blocks or mutes,
	// newest first.
	// Engagers returns up to limit accounts (not suspended) that liked
	// (or, with reposts, reposted) the tweet, newest first.
	Engagers(ctx context.Context, tweetID ID, reposts bool, limit int) ([]User, error)
	Blocked(ctx context.Context, id ID) ([]User, error)
	Muted(ctx context.Context, id ID) ([]User, error)
	// ProfileCounts counts an account's visible tweets, followers and
	// followed accounts.
	ProfileCounts(ctx context.Context, id ID) (ProfileCounts, error)

	// Like records a like; liking twice gives ErrConflict.
	Like(ctx context.Context, l Like) error
	// Unlike removes a like; ErrNotFound when there was none.
	Unlike(ctx context.Context, userID, tweetID ID) error
	// Repost records a repost; reposting twice gives ErrConflict.
	Repost(ctx context.Context, r Repost) error
	// Unrepost removes a repost; ErrNotFound when there was none.
	Unrepost(ctx context.Context, userID, tweetID ID) error
	// Engaged lists the accounts that liked or reposted a tweet (at most
	// limit), to tell them of an edit.
	Engaged(ctx context.Context, tweetID ID, limit int) ([]ID, error)
	// LikesBy and RepostsBy list what an account liked or reposted,
	// newest first, before a Like or Repost id (zero: the newest).
	LikesBy(ctx context.Context, userID, before ID, limit int) ([]Like, error)
	RepostsBy(ctx context.Context, userID, before ID, limit int) ([]Repost, error)

	// Thread returns a tweet as viewer sees it (counts, likes), with its
	// ancestors and its direct replies, each oldest first and at most
	// limit, without the tweets of suspended accounts. A limit of 0
	// reads the tweet alone.
	Thread(ctx context.Context, id, viewer ID, limit int) (Thread, error)
}

// NotificationStore keeps what accounts are told.
type NotificationStore interface {
	// AddNotification stores n; the same recipient, kind, actor and
	// tweet a second time changes nothing.
	AddNotification(ctx context.Context, n Notification) error
	// RemoveNotification takes back what an undone action told.
	RemoveNotification(ctx context.Context, userID ID, kind NotificationKind, actorID, tweetID ID) error
	// Notifications lists an account's notifications, newest first,
	// without those of suspended accounts.
	Notifications(ctx context.Context, userID, before ID, limit int) ([]Notification, error)
	// CountUnseenNotifications counts the account's unseen
	// notifications, up to UnseenCap.
	CountUnseenNotifications(ctx context.Context, userID ID) (int, error)
	// MarkNotificationsSeen marks the account's notifications up to id.
	MarkNotificationsSeen(ctx context.Context, userID, upTo ID) error
	// DismissNotification deletes one of the account's notifications;
	// ErrNotFound when it has none with that id.
	DismissNotification(ctx context.Context, userID, id ID) error
	// ClearNotifications deletes all of the account's notifications.
	ClearNotifications(ctx context.Context, userID ID) error
}

// BookmarkStore keeps bookmarks and reads an account's bookmarks and
// likes as lists of tweets.
type BookmarkStore interface {
	// Bookmark records a bookmark; bookmarking twice gives ErrConflict.
	Bookmark(ctx context.Context, b Bookmark) error
	// Unbookmark removes a bookmark; ErrNotFound when there was none.
	Unbookmark(ctx context.Context, userID, tweetID ID) error
	// BookmarksBy lists an account's bookmarks, newest first, before a
	// Bookmark id (zero: the newest).
	BookmarksBy(ctx context.Context, userID, before ID, limit int) ([]Bookmark, error)
	// Saved returns the tweets of a page of an account's bookmarks or
	// likes, newest first, as the account sees them, each with Item set
	// to the bookmark's or like's id. Tweets of suspended accounts, and
	// of accounts that block it or that it blocks, are left out.
	Saved(ctx context.Context, q SavedQuery) ([]Tweet, error)
}

// MarkerStore keeps where accounts stopped reading their timelines.
type MarkerStore interface {
	// Markers returns the account's markers, in no particular order.
	Markers(ctx context.Context, userID ID) ([]Marker, error)
	// SetMarker moves a marker (creating it at version 0) and returns it
	// as stored; its version grows by one each time its id changes.
	SetMarker(ctx context.Context, m Marker) (Marker, error)
}

// Store is everything the service keeps in its database.
type Store interface {
	UserStore
	ProfileStore
	TweetStore
	SearchStore
	SessionStore
	AdminStore
	SocialStore
	NotificationStore
	MediaStore
	OAuthStore
	IdempotencyStore
	BookmarkStore
	MarkerStore
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
	// List calls fn for every stored file, in no particular order, so
	// that garbage collection can find files no row refers to. Files
	// still being written are not listed. An error from fn stops the
	// walk and is returned.
	List(ctx context.Context, fn func(BlobInfo) error) error
}

// PartialSweeper is a BlobStore that a process killed in the middle of a
// Put can leave a partly written file in, under a name no key has (the
// media directory's temporary files): garbage collection deletes those.
type PartialSweeper interface {
	// DeletePartial deletes the partly written files last changed before
	// cutoff (with dryRun, only counts them) and returns how many and
	// their size.
	DeletePartial(ctx context.Context, cutoff time.Time, dryRun bool) (n int, size int64, err error)
}

// BlobInfo describes a stored file without opening it.
type BlobInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
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

// ImageUse says what an image is for, which decides its shape: an
// attachment keeps its proportions, an avatar is cut square, a header
// three times as wide as high.
type ImageUse int

const (
	UseAttachment ImageUse = iota
	UseAvatar
	UseHeader
)

// ProcessedImage is an upload as it will be stored: written anew by
// Encode, upright and without metadata, within the size its use allows.
type ProcessedImage struct {
	ImageInfo
	Encode func(io.Writer) error
	// Thumb is a smaller copy for timelines; nil when the image is small
	// enough to show as it is, or is an animation (which keeps moving).
	Thumb *Rendition
	// Blurhash encodes a blurred preview and, in its first characters,
	// the image's average colour: what a page shows while it loads.
	Blurhash string
}

// Rendition is another copy of an image, written by Encode.
type Rendition struct {
	ImageInfo
	Encode func(io.Writer) error
}

// ImageInspector decodes an upload to prove it is an image it accepts,
// and writes it anew without what it must not keep. A refusal is a
// *Error that says why.
type ImageInspector interface {
	// Precheck refuses, from the first bytes of a file, what Process
	// would refuse before decoding (not an image, too many pixels or
	// frames, too costly to decode), so that such an upload never waits
	// for a decoding slot. It passes what it cannot tell yet.
	Precheck(head []byte) error
	// Process decodes data and returns the image as it will be stored.
	// The encoders stream the files, so that they are never held in
	// memory whole.
	Process(data []byte, use ImageUse) (ProcessedImage, error)
}

// PasswordHasher hashes and checks passwords.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches the encoded hash.
	Verify(hash, password string) (bool, error)
}
