package sqlstore

import (
	"context"
	"math"

	"github.com/tweetsdev/tweets"
)

// silenced leaves out notifications from accounts the recipient blocks
// or mutes.
const silenced = `NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = n.user_id AND b.blocked_id = n.actor_id)
	AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = n.user_id AND m.muted_id = n.actor_id)`

// AddNotification implements tweets.NotificationStore. ON CONFLICT DO
// NOTHING reads the same on SQLite and PostgreSQL, and keeps an enclosing
// transaction usable where a unique violation would abort it.
func (s *Store) AddNotification(ctx context.Context, n tweets.Notification) (err error) {
	defer tweets.Wrap(&err, "add notification")
	_, err = s.exec(ctx, s.q, `INSERT INTO notifications (id, user_id, kind, actor_id, tweet_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		n.ID, n.UserID, string(n.Kind), n.ActorID, n.TweetID, n.CreatedAt.UTC())
	return err
}

// RemoveNotification implements tweets.NotificationStore.
func (s *Store) RemoveNotification(ctx context.Context, userID tweets.ID, kind tweets.NotificationKind, actorID, tweetID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "remove notification")
	_, err = s.exec(ctx, s.q, "DELETE FROM notifications WHERE user_id = ? AND kind = ? AND actor_id = ? AND tweet_id = ?",
		userID, string(kind), actorID, tweetID)
	return err
}

// Notifications implements tweets.NotificationStore.
func (s *Store) Notifications(ctx context.Context, userID, before tweets.ID, limit int) (ns []tweets.Notification, err error) {
	defer tweets.Wrap(&err, "notifications of %d", userID)
	if before == 0 {
		before = math.MaxInt64
	}
	rows, err := s.query(ctx, s.q, `SELECT n.id, n.kind, n.actor_id, a.username, n.tweet_id, COALESCE(t.text, ''), n.created_at, n.seen
		FROM notifications n JOIN users a ON a.id = n.actor_id LEFT JOIN tweets t ON t.id = n.tweet_id
		WHERE n.user_id = ? AND n.id < ? AND a.suspended_at IS NULL AND `+silenced+` ORDER BY n.id DESC LIMIT ?`, userID, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		n := tweets.Notification{UserID: userID}
		var kind string
		if err := rows.Scan(&n.ID, &kind, &n.ActorID, &n.Actor, &n.TweetID, &n.TweetText, &n.CreatedAt, &n.Seen); err != nil {
			return nil, err
		}
		n.Kind, n.CreatedAt = tweets.NotificationKind(kind), n.CreatedAt.UTC()
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

// CountUnseenNotifications implements tweets.NotificationStore.
func (s *Store) CountUnseenNotifications(ctx context.Context, userID tweets.ID) (n int, err error) {
	defer tweets.Wrap(&err, "unseen notifications of %d", userID)
	// Counted up to the cap: an account with thousands unseen would
	// otherwise count them all on every page it loads.
	err = s.queryRow(ctx, s.q, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications n JOIN users a ON a.id = n.actor_id
		WHERE n.user_id = ? AND NOT n.seen AND a.suspended_at IS NULL AND `+silenced+` LIMIT ?) capped`, userID, tweets.UnseenCap).Scan(&n)
	return n, s.mapError(err)
}

// MarkNotificationsSeen implements tweets.NotificationStore.
func (s *Store) MarkNotificationsSeen(ctx context.Context, userID, upTo tweets.ID) (err error) {
	defer tweets.Wrap(&err, "mark notifications of %d", userID)
	_, err = s.exec(ctx, s.q, "UPDATE notifications SET seen = TRUE WHERE user_id = ? AND id <= ? AND NOT seen", userID, upTo)
	return err
}

// DismissNotification implements tweets.NotificationStore.
func (s *Store) DismissNotification(ctx context.Context, userID, id tweets.ID) (err error) {
	defer tweets.Wrap(&err, "dismiss notification %d", id)
	res, err := s.exec(ctx, s.q, "DELETE FROM notifications WHERE user_id = ? AND id = ?", userID, id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// ClearNotifications implements tweets.NotificationStore.
func (s *Store) ClearNotifications(ctx context.Context, userID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "clear notifications of %d", userID)
	_, err = s.exec(ctx, s.q, "DELETE FROM notifications WHERE user_id = ?", userID)
	return err
}
