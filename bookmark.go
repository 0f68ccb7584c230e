package tweets

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Bookmark is one account keeping a tweet to read later. Bookmarks are
// private: only their account lists them or sees that it made them.
type Bookmark struct {
	ID        ID // time-ordered: pages the list
	UserID    ID
	TweetID   ID
	CreatedAt time.Time
}

// SavedQuery selects a page of the tweets an account bookmarked or, with
// Likes, liked, by the bookmark's or the like's id.
type SavedQuery struct {
	UserID ID
	Likes  bool
	// Before and After bound the page (zero: no bound). The page is the
	// newest rows between them or, with Oldest, the oldest: the rows
	// just after After, which a client reads when it catches up.
	Before, After ID
	Oldest        bool
	Limit         int
}

// SavedPageSize bounds a page of bookmarks or favourites.
const SavedPageSize = 40

// Bookmark keeps a tweet on actor's bookmarks. Bookmarking twice is not
// an error.
func (s *Service) Bookmark(ctx context.Context, actor User, tweetID ID) error {
	t, err := s.visibleTweet(ctx, actor, tweetID)
	if err != nil {
		return err
	}
	err = s.Store.Bookmark(ctx, Bookmark{ID: s.IDs.New(), UserID: actor.ID, TweetID: t.ID, CreatedAt: s.now()})
	if err != nil && !errors.Is(err, ErrConflict) {
		return err
	}
	return nil
}

// Unbookmark takes a tweet off actor's bookmarks. A tweet not bookmarked
// is not an error.
func (s *Service) Unbookmark(ctx context.Context, actor User, tweetID ID) error {
	if actor.Suspended() {
		return errSuspended
	}
	if err := s.Store.Unbookmark(ctx, actor.ID, tweetID); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// Bookmarks returns a page of the tweets actor bookmarked, newest
// bookmark first, each with Item set to its bookmark's id (the cursor).
func (s *Service) Bookmarks(ctx context.Context, actor User, q SavedQuery) ([]Tweet, error) {
	return s.saved(ctx, actor, q, false)
}

// Favourites returns a page of the tweets actor liked, newest like
// first, each with Item set to its like's id (the cursor).
func (s *Service) Favourites(ctx context.Context, actor User, q SavedQuery) ([]Tweet, error) {
	return s.saved(ctx, actor, q, true)
}

// saved reads one of actor's own lists: no one else's, whatever q says.
// Tweets of suspended accounts and of accounts that block actor or that
// actor blocks are left out, as everywhere else.
func (s *Service) saved(ctx context.Context, actor User, q SavedQuery, likes bool) ([]Tweet, error) {
	if actor.Suspended() {
		return nil, errSuspended
	}
	q.UserID, q.Likes = actor.ID, likes
	if q.Limit <= 0 || q.Limit > SavedPageSize {
		q.Limit = SavedPageSize
	}
	return s.Store.Saved(ctx, q)
}

// Marker is where an account stopped reading one of its timelines, so
// that its other clients can resume there.
type Marker struct {
	UserID     ID
	Timeline   string // MarkHome or MarkNotifications
	LastReadID ID
	// Version counts the times the marker moved.
	Version   int
	UpdatedAt time.Time
}

// The timelines that have markers.
const (
	MarkHome          = "home"
	MarkNotifications = "notifications"
)

// Markers returns actor's markers of the named timelines that are set;
// unknown timelines are ignored.
func (s *Service) Markers(ctx context.Context, actor User, timelines []string) ([]Marker, error) {
	all, err := s.Store.Markers(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	var out []Marker
	for _, m := range all {
		if slices.Contains(timelines, m.Timeline) {
			out = append(out, m)
		}
	}
	return out, nil
}

// SetMarkers moves actor's markers to the ids given by timeline, in one
// transaction, and returns them as they now are; unknown timelines are
// ignored. The notifications marker also marks the notifications up to
// it as seen, so that the pages count the same unread ones.
func (s *Service) SetMarkers(ctx context.Context, actor User, lastRead map[string]ID) ([]Marker, error) {
	if actor.Suspended() {
		return nil, errSuspended
	}
	var out []Marker
	err := s.Store.Atomic(ctx, func(tx Store) error {
		out = out[:0]
		for _, timeline := range []string{MarkHome, MarkNotifications} {
			id, ok := lastRead[timeline]
			if !ok {
				continue
			}
			m, err := tx.SetMarker(ctx, Marker{UserID: actor.ID, Timeline: timeline, LastReadID: id, UpdatedAt: s.now()})
			if err != nil {
				return err
			}
			out = append(out, m)
			if timeline == MarkNotifications {
				if err := tx.MarkNotificationsSeen(ctx, actor.ID, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}
