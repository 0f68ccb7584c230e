package tweets

import (
	"context"
	"errors"
	"time"
)

// Follow is one account following another.
type Follow struct {
	ID         ID // time-ordered: pages the lists
	FollowerID ID
	FolloweeID ID
	CreatedAt  time.Time
}

// FollowQuery selects a page of an account's followers (Followers) or
// of the accounts it follows, newest follow first.
type FollowQuery struct {
	Account   ID
	Followers bool
	Before    ID // a Follow.ID; zero for the first page
	Limit     int
}

// FollowEntry is one account in a followers or following list.
type FollowEntry struct {
	FollowID ID
	User     User
}

// Relationship is how a viewer stands with another account.
type Relationship struct {
	Following  bool // the viewer follows the other
	FollowedBy bool // the other follows the viewer
	Blocking   bool // the viewer blocks the other
	BlockedBy  bool // the other blocks the viewer
	Muting     bool // the viewer mutes the other
}

// Blocked reports whether either blocks the other.
func (r Relationship) Blocked() bool { return r.Blocking || r.BlockedBy }

// ProfileCounts are the figures on a profile. They are counted, not
// kept, so they cannot drift from the rows they count.
type ProfileCounts struct {
	Tweets, Followers, Following int
}

// Like is one account liking a tweet.
type Like struct {
	ID        ID
	UserID    ID
	TweetID   ID
	CreatedAt time.Time
}

// Repost is one account sharing a tweet with its followers. Its ID is
// the place the tweet takes on their home timelines.
type Repost struct {
	ID        ID
	UserID    ID
	TweetID   ID
	CreatedAt time.Time
}

// ProfileView is an account as its profile page shows it to a viewer.
type ProfileView struct {
	User   User
	Counts ProfileCounts
	// Relationship to the viewer; zero when anonymous or the viewer's own.
	Relationship Relationship
	Own          bool // the viewer is this account
}

// Profile returns the account called username, its counts, and how the
// viewer (nil when anonymous) stands with it.
func (s *Service) Profile(ctx context.Context, viewer *User, username string) (ProfileView, error) {
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return ProfileView{}, err
	}
	p := ProfileView{User: u}
	if p.Counts, err = s.Store.ProfileCounts(ctx, u.ID); err != nil {
		return ProfileView{}, err
	}
	if viewer != nil {
		p.Own = viewer.ID == u.ID
		if !p.Own {
			if p.Relationship, err = s.Store.Relationship(ctx, viewer.ID, u.ID); err != nil {
				return ProfileView{}, err
			}
		}
	}
	return p, nil
}

// FollowPageSize is the number of accounts on a followers page.
const FollowPageSize = 40

// FollowList returns a page of the followers of the account called
// username (followers true) or of the accounts it follows.
func (s *Service) FollowList(ctx context.Context, username string, followers bool, before ID) (User, []FollowEntry, error) {
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return User{}, nil, err
	}
	es, err := s.Store.Follows(ctx, FollowQuery{Account: u.ID, Followers: followers, Before: before, Limit: FollowPageSize})
	return u, es, err
}

// Follow makes actor follow the account called username. Following
// twice is not an error.
func (s *Service) Follow(ctx context.Context, actor User, username string) (User, error) {
	target, err := s.socialTarget(ctx, actor, username)
	if err != nil {
		return User{}, err
	}
	if target.ID == actor.ID {
		return User{}, Errorf(CodeInvalid, "You cannot follow yourself.")
	}
	rel, err := s.Store.Relationship(ctx, actor.ID, target.ID)
	if err != nil {
		return User{}, err
	}
	if rel.Blocking {
		return User{}, Errorf(CodeForbidden, "You block @%s: unblock them first.", target.Username)
	}
	if rel.BlockedBy {
		return User{}, Errorf(CodeForbidden, "@%s has blocked you: you cannot follow them.", target.Username)
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Follow(ctx, Follow{ID: s.IDs.New(), FollowerID: actor.ID, FolloweeID: target.ID, CreatedAt: s.now()}); err != nil {
			return err
		}
		return s.notify(ctx, tx, target.ID, NotifyFollow, actor.ID, 0)
	})
	if errors.Is(err, ErrConflict) {
		return target, nil
	}
	if err != nil {
		return User{}, err
	}
	s.publish(ctx, Event{Kind: EventFollowed, Account: target.ID, Actor: actor.ID})
	return target, nil
}

// Unfollow makes actor stop following the account called username. Not
// following it is not an error.
func (s *Service) Unfollow(ctx context.Context, actor User, username string) (User, error) {
	target, err := s.socialTarget(ctx, actor, username)
	if err != nil {
		return User{}, err
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Unfollow(ctx, actor.ID, target.ID); err != nil {
			return err
		}
		return tx.RemoveNotification(ctx, target.ID, NotifyFollow, actor.ID, 0)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	if err == nil {
		s.publish(ctx, Event{Kind: EventUnfollowed, Account: target.ID, Actor: actor.ID})
	}
	return target, nil
}

// socialTarget checks that actor may act and finds the account.
func (s *Service) socialTarget(ctx context.Context, actor User, username string) (User, error) {
	if actor.Suspended() {
		return User{}, errSuspended
	}
	return s.UserByUsername(ctx, username)
}

// Like makes actor like a tweet. Liking twice is not an error.
func (s *Service) Like(ctx context.Context, actor User, tweetID ID) error {
	t, err := s.visibleTweet(ctx, actor, tweetID)
	if err != nil {
		return err
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Like(ctx, Like{ID: s.IDs.New(), UserID: actor.ID, TweetID: t.ID, CreatedAt: s.now()}); err != nil {
			return err
		}
		return s.notify(ctx, tx, t.AuthorID, NotifyLike, actor.ID, t.ID)
	})
	if errors.Is(err, ErrConflict) {
		return nil
	}
	if err != nil {
		return err
	}
	s.publish(ctx, Event{Kind: EventLiked, Tweet: t, Actor: actor.ID})
	return nil
}

// Unlike removes actor's like. Not having liked is not an error.
func (s *Service) Unlike(ctx context.Context, actor User, tweetID ID) error {
	if actor.Suspended() {
		return errSuspended
	}
	err := s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Unlike(ctx, actor.ID, tweetID); err != nil {
			return err
		}
		return s.untell(ctx, tx, NotifyLike, actor.ID, tweetID)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// Repost shares a tweet with actor's followers. Reposting twice is not
// an error; one's own tweets may be reposted, as on the large services.
func (s *Service) Repost(ctx context.Context, actor User, tweetID ID) error {
	t, err := s.visibleTweet(ctx, actor, tweetID)
	if err != nil {
		return err
	}
	r := Repost{ID: s.IDs.New(), UserID: actor.ID, TweetID: t.ID, CreatedAt: s.now()}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Repost(ctx, r); err != nil {
			return err
		}
		return s.notify(ctx, tx, t.AuthorID, NotifyRepost, actor.ID, t.ID)
	})
	if errors.Is(err, ErrConflict) {
		return nil
	}
	if err != nil {
		return err
	}
	s.publish(ctx, Event{Kind: EventReposted, Tweet: t, Actor: actor.ID, Repost: r.ID})
	return nil
}

// Unrepost takes actor's repost back. Not having reposted is not an
// error.
func (s *Service) Unrepost(ctx context.Context, actor User, tweetID ID) error {
	if actor.Suspended() {
		return errSuspended
	}
	err := s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Unrepost(ctx, actor.ID, tweetID); err != nil {
			return err
		}
		return s.untell(ctx, tx, NotifyRepost, actor.ID, tweetID)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err == nil {
		s.publish(ctx, Event{Kind: EventUnreposted, Tweet: Tweet{ID: tweetID}, Actor: actor.ID})
	}
	return nil
}

// visibleTweet returns a tweet that actor may act on: not one of an
// account that blocks actor or that actor blocks.
func (s *Service) visibleTweet(ctx context.Context, actor User, id ID) (Tweet, error) {
	if actor.Suspended() {
		return Tweet{}, errSuspended
	}
	t, err := s.Tweet(ctx, id)
	if err != nil {
		return Tweet{}, err
	}
	if t.AuthorID != actor.ID {
		rel, err := s.Store.Relationship(ctx, actor.ID, t.AuthorID)
		if err != nil {
			return Tweet{}, err
		}
		if rel.Blocked() {
			return Tweet{}, errNoTweet
		}
	}
	return t, nil
}

// Thread is a tweet with the conversation around it.
type Thread struct {
	Tweet     Tweet
	Ancestors []Tweet // oldest first
	Replies   []Tweet // oldest first
	// CanReply says whether the viewer may answer the tweet.
	CanReply bool
}

// ThreadDepth bounds the ancestors and the replies a permalink shows.
const ThreadDepth = 50

// Thread returns a tweet with its ancestors and replies, as viewer (nil
// when anonymous) sees them.
func (s *Service) Thread(ctx context.Context, viewer *User, id ID) (Thread, error) {
	th, err := s.visibleThread(ctx, viewer, id, ThreadDepth)
	if err != nil {
		return Thread{}, err
	}
	if viewer != nil && !viewer.Suspended() {
		th.CanReply = s.mayReply(ctx, *viewer, th.Tweet) == nil
	}
	return th, nil
}

// VisibleTweet returns one tweet as viewer (nil when anonymous) sees it,
// with its counts and what the viewer did to it, or not found when it is
// hidden from them: what Thread checks, without reading the thread.
func (s *Service) VisibleTweet(ctx context.Context, viewer *User, id ID) (Tweet, error) {
	th, err := s.visibleThread(ctx, viewer, id, 0)
	return th.Tweet, err
}

// visibleThread reads a tweet and depth of its thread, hiding the tweet
// of a suspended author or of one who blocks the viewer.
func (s *Service) visibleThread(ctx context.Context, viewer *User, id ID, depth int) (Thread, error) {
	var v ID
	if viewer != nil {
		v = viewer.ID
	}
	th, err := s.Store.Thread(ctx, id, v, depth)
	if err != nil {
		return Thread{}, err
	}
	if th.Tweet.AuthorSuspended {
		return Thread{}, errNoTweet
	}
	if v != 0 && v != th.Tweet.AuthorID {
		rel, err := s.Store.Relationship(ctx, v, th.Tweet.AuthorID)
		if err != nil {
			return Thread{}, err
		}
		if rel.BlockedBy {
			return Thread{}, errNoTweet
		}
	}
	return th, nil
}

// untell takes back the notification an undone like or repost sent to
// the tweet's author.
func (s *Service) untell(ctx context.Context, tx Store, kind NotificationKind, actor, tweetID ID) error {
	t, err := tx.TweetByID(ctx, tweetID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.RemoveNotification(ctx, t.AuthorID, kind, actor, tweetID)
}

// Block makes actor block the account called username: the follows
// between them end, in the same transaction, and neither sees the
// other's tweets. Blocking twice is not an error.
func (s *Service) Block(ctx context.Context, actor User, username string) (User, error) {
	target, err := s.socialTarget(ctx, actor, username)
	if err != nil {
		return User{}, err
	}
	if target.ID == actor.ID {
		return User{}, Errorf(CodeInvalid, "You cannot block yourself.")
	}
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.Block(ctx, s.IDs.New(), actor.ID, target.ID, s.now()); err != nil {
			return err
		}
		for _, f := range [][2]ID{{actor.ID, target.ID}, {target.ID, actor.ID}} {
			if err := tx.Unfollow(ctx, f[0], f[1]); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			if err := tx.RemoveNotification(ctx, f[1], NotifyFollow, f[0], 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrConflict) {
		return User{}, err
	}
	if err == nil {
		s.publish(ctx, Event{Kind: EventRelationship, Account: target.ID, Actor: actor.ID})
	}
	return target, nil
}

// Unblock lifts actor's block. Not blocking is not an error.
func (s *Service) Unblock(ctx context.Context, actor User, username string) (User, error) {
	return s.undo(ctx, actor, username, s.Store.Unblock)
}

// Mute hides the account called username from actor's timelines, search
// and notifications. Muting twice is not an error.
func (s *Service) Mute(ctx context.Context, actor User, username string) (User, error) {
	target, err := s.socialTarget(ctx, actor, username)
	if err != nil {
		return User{}, err
	}
	if target.ID == actor.ID {
		return User{}, Errorf(CodeInvalid, "You cannot mute yourself.")
	}
	err = s.Store.Mute(ctx, s.IDs.New(), actor.ID, target.ID, s.now())
	if err != nil && !errors.Is(err, ErrConflict) {
		return User{}, err
	}
	if err == nil {
		s.publish(ctx, Event{Kind: EventRelationship, Account: target.ID, Actor: actor.ID})
	}
	return target, nil
}

// Unmute lifts actor's mute. Not muting is not an error.
func (s *Service) Unmute(ctx context.Context, actor User, username string) (User, error) {
	return s.undo(ctx, actor, username, s.Store.Unmute)
}

func (s *Service) undo(ctx context.Context, actor User, username string, remove func(ctx context.Context, by, other ID) error) (User, error) {
	target, err := s.socialTarget(ctx, actor, username)
	if err != nil {
		return User{}, err
	}
	err = remove(ctx, actor.ID, target.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	if err == nil {
		s.publish(ctx, Event{Kind: EventRelationship, Account: target.ID, Actor: actor.ID})
	}
	return target, nil
}

// ProfileByID is Profile for an account named by its id, as the API
// names accounts.
func (s *Service) ProfileByID(ctx context.Context, viewer *User, id ID) (ProfileView, error) {
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		if ErrorCode(err) == CodeNotFound {
			return ProfileView{}, Errorf(CodeNotFound, "Record not found.")
		}
		return ProfileView{}, err
	}
	return s.Profile(ctx, viewer, u.Username)
}

// SiteStats counts what the instance documents show.
type SiteStats struct{ Users, Tweets int }

// Stats counts the accounts and tweets.
func (s *Service) Stats(ctx context.Context) (SiteStats, error) {
	users, err := s.Store.CountUsers(ctx)
	if err != nil {
		return SiteStats{}, err
	}
	n, err := s.Store.CountTweets(ctx)
	return SiteStats{Users: users, Tweets: n}, err
}

// Engagers lists up to limit accounts that liked (or, with reposts,
// reposted) a tweet the viewer may see, newest first.
func (s *Service) Engagers(ctx context.Context, viewer *User, id ID, reposts bool, limit int) ([]User, error) {
	var err error
	if viewer == nil {
		_, err = s.Tweet(ctx, id)
	} else {
		_, err = s.visibleTweet(ctx, *viewer, id)
	}
	if err != nil {
		return nil, err
	}
	return s.Store.Engagers(ctx, id, reposts, min(max(limit, 1), 80))
}

// Blocks and Mutes list the accounts the actor blocks or mutes.
func (s *Service) Blocks(ctx context.Context, actor User) ([]User, error) {
	return s.Store.Blocked(ctx, actor.ID)
}

func (s *Service) Mutes(ctx context.Context, actor User) ([]User, error) {
	return s.Store.Muted(ctx, actor.ID)
}
