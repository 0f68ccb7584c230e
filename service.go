package tweets

import (
	"context"
	"time"
)

// Service performs the domain actions. Every transport (HTML pages, the
// JSON API, the command line) calls these methods, so validation and
// authorization happen in exactly one place.
type Service struct {
	Store     Store
	Blobs     BlobStore
	Images    ImageInspector
	Passwords PasswordHasher
	Limits    Limits
	Events    Publisher // may be nil
	// Live hands out live streams of the events (may be nil: no
	// streaming).
	Live Subscriber
	IDs  *IDGenerator
	Now  func() time.Time

	// Hashing bounds concurrent password hashes, and Decoding concurrent
	// uploads being read and decoded, so that a burst cannot exhaust
	// memory (an argon2id hash takes 19 MiB; docs/limits.md has the
	// bound for images).
	Hashing, Decoding *Gate

	// DeviceKey signs the device tokens that exempt a browser which has
	// logged in to an account before from that account's lock-out.
	DeviceKey []byte

	// MaxUploadBytes and SessionTTL come from configuration.
	MaxUploadBytes int64
	SessionTTL     time.Duration
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) publish(ctx context.Context, e Event) {
	if s.Events != nil {
		s.Events.Publish(ctx, e)
	}
}

// Timeline returns one page of tweets, newest first.
func (s *Service) Timeline(ctx context.Context, q TimelineQuery) ([]Tweet, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = TimelinePageSize
	}
	// Muted accounts leave every list but a profile the viewer opened.
	q.HideMuted = q.Viewer != 0 && q.AuthorID == 0
	return s.Store.Timeline(ctx, q)
}

// errNoTweet is the answer for a tweet that is gone or hidden alike.
var errNoTweet = Errorf(CodeNotFound, "This tweet does not exist, or was deleted.")

// Tweet returns one tweet; those of suspended accounts are hidden.
func (s *Service) Tweet(ctx context.Context, id ID) (Tweet, error) {
	t, err := s.Store.TweetByID(ctx, id)
	if err == nil && t.AuthorSuspended {
		return Tweet{}, errNoTweet
	}
	return t, err
}

// UserByUsername returns an account by its username, ignoring case.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, error) {
	if ValidateUsername(username) != nil {
		return User{}, Errorf(CodeNotFound, "There is no account called @%s.", truncate(username, 40))
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if (err != nil && ErrorCode(err) == CodeNotFound) || (err == nil && u.Suspended()) {
		return User{}, Errorf(CodeNotFound, "There is no account called @%s.", username)
	}
	return u, err
}
