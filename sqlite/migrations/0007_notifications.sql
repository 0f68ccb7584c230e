-- Notifications: something an account did that concerns another (a
-- like, a repost, a reply, a follow). tweet_id is 0 for a follow; one
-- row per recipient, kind, actor and tweet, so doing it twice notifies
-- once. A deleted tweet's notifications go with it (sqlstore deletes
-- them in the same transaction).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    seen       BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (user_id, kind, actor_id, tweet_id)
);
CREATE INDEX notifications_user_id_id ON notifications (user_id, id DESC);
CREATE INDEX notifications_unseen ON notifications (user_id, seen);
CREATE INDEX notifications_tweet_id ON notifications (tweet_id);
