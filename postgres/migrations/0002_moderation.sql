-- Suspension: a suspended account cannot log in or post, and its tweets
-- are hidden from everyone but admins.
ALTER TABLE users ADD COLUMN suspended_at TIMESTAMPTZ;

-- Reports of tweets by users, resolved by admins. The tweet's text and
-- author are copied so that a report still makes sense once the tweet is
-- deleted.
CREATE TABLE reports (
    id              BIGINT PRIMARY KEY,
    tweet_id        BIGINT NOT NULL,
    tweet_author_id BIGINT NOT NULL,
    tweet_text      TEXT NOT NULL,
    reporter_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    resolved_by     BIGINT,
    resolution      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_open ON reports (resolved_at, id DESC);

-- Every admin action, newest last.
CREATE TABLE audit_log (
    id         BIGINT PRIMARY KEY,
    actor_id   BIGINT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
