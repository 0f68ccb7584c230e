package tweets

import (
	"context"
	"errors"
	"time"
)

// NotificationKind says what happened.
type NotificationKind string

// Notification kinds.
const (
	NotifyLike    NotificationKind = "like"
	NotifyRepost  NotificationKind = "repost"
	NotifyReply   NotificationKind = "reply"
	NotifyFollow  NotificationKind = "follow"
	NotifyMention NotificationKind = "mention"
	NotifyEdit    NotificationKind = "edit" // a tweet one liked or reposted changed
	NotifyQuote   NotificationKind = "quote"
)

// Notification tells an account that another did something that
// concerns it.
type Notification struct {
	ID        ID
	UserID    ID // who is told
	Kind      NotificationKind
	ActorID   ID
	Actor     string // filled by reads
	TweetID   ID     // the tweet liked, reposted or the reply; zero for a follow
	TweetText string // filled by reads
	CreatedAt time.Time
	Seen      bool
}

// NotificationGroup is what the notifications page shows as one line:
// likes and reposts of one tweet come together, as the large services
// show them; everything else is one notification.
type NotificationGroup struct {
	Kind      NotificationKind
	Actors    []string // newest first
	TweetID   ID
	TweetText string
	Latest    time.Time
	Unseen    bool
}

// NotificationPageSize is how many notifications a page reads.
const NotificationPageSize = 50

// Notifications returns the account's newest notifications, grouped, and
// marks them seen; before pages further down (a Notification id).
func (s *Service) Notifications(ctx context.Context, u User, before ID) (groups []NotificationGroup, next ID, err error) {
	ns, err := s.Store.Notifications(ctx, u.ID, before, NotificationPageSize)
	if err != nil {
		return nil, 0, err
	}
	if len(ns) == NotificationPageSize {
		next = ns[len(ns)-1].ID
	}
	if len(ns) > 0 && before == 0 {
		if err := s.Store.MarkNotificationsSeen(ctx, u.ID, ns[0].ID); err != nil {
			return nil, 0, err
		}
	}
	return GroupNotifications(ns), next, nil
}

// GroupNotifications folds the likes and the reposts of each tweet into
// one group, placed where the newest of them was.
func GroupNotifications(ns []Notification) []NotificationGroup {
	type key struct {
		kind  NotificationKind
		tweet ID
	}
	var groups []NotificationGroup
	at := map[key]int{}
	for _, n := range ns {
		key := key{n.Kind, n.TweetID}
		if i, ok := at[key]; ok && (n.Kind == NotifyLike || n.Kind == NotifyRepost) {
			groups[i].Actors = append(groups[i].Actors, n.Actor)
			groups[i].Unseen = groups[i].Unseen || !n.Seen
			continue
		}
		at[key] = len(groups)
		groups = append(groups, NotificationGroup{Kind: n.Kind, Actors: []string{n.Actor}, TweetID: n.TweetID,
			TweetText: n.TweetText, Latest: n.CreatedAt, Unseen: !n.Seen})
	}
	return groups
}

// UnseenCap is as far as unseen notifications are counted: past it, the
// navigation says "99+".
const UnseenCap = 100

// UnseenNotifications counts what the account has not seen yet, for the
// navigation, up to UnseenCap.
func (s *Service) UnseenNotifications(ctx context.Context, u User) (int, error) {
	return s.Store.CountUnseenNotifications(ctx, u.ID)
}

// notify tells to that actor did something, inside the transaction tx
// that does it. Nobody is told of their own actions.
func (s *Service) notify(ctx context.Context, tx Store, to ID, kind NotificationKind, actor, tweet ID) error {
	if to == actor {
		return nil
	}
	return tx.AddNotification(ctx, Notification{ID: s.IDs.New(), UserID: to, Kind: kind, ActorID: actor, TweetID: tweet, CreatedAt: s.now()})
}

// NotificationList returns a page of the account's notifications one by
// one, newest first, without marking them seen: what an API client
// reads (it keeps its own read marker).
func (s *Service) NotificationList(ctx context.Context, u User, before ID, limit int) ([]Notification, error) {
	if limit <= 0 || limit > NotificationPageSize {
		limit = NotificationPageSize
	}
	return s.Store.Notifications(ctx, u.ID, before, limit)
}

// errNoNotification answers for an id the account has no notification
// under.
var errNoNotification = Errorf(CodeNotFound, "There is no such notification: it may have been dismissed.")

// Notification returns one of the account's notifications.
func (s *Service) Notification(ctx context.Context, u User, id ID) (Notification, error) {
	if id <= 0 {
		return Notification{}, errNoNotification
	}
	// The newest at or below id is that one, if the account has it.
	ns, err := s.Store.Notifications(ctx, u.ID, id+1, 1)
	if err != nil {
		return Notification{}, err
	}
	if len(ns) == 0 || ns[0].ID != id {
		return Notification{}, errNoNotification
	}
	return ns[0], nil
}

// DismissNotification deletes one of the account's notifications.
func (s *Service) DismissNotification(ctx context.Context, u User, id ID) error {
	err := s.Store.DismissNotification(ctx, u.ID, id)
	if errors.Is(err, ErrNotFound) {
		return errNoNotification
	}
	return err
}

// ClearNotifications deletes all of the account's notifications.
func (s *Service) ClearNotifications(ctx context.Context, u User) error {
	return s.Store.ClearNotifications(ctx, u.ID)
}
