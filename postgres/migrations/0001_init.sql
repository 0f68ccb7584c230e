-- Accounts. username_key is the lower-cased username: uniqueness and
-- look-ups ignore case while the display keeps what the user typed.
CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Tweets; ids are time-ordered, so ORDER BY id is newest-first order.
CREATE TABLE tweets (
    id         BIGINT PRIMARY KEY,
    author_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tweets_author_id_id ON tweets (author_id, id DESC);

-- Files attached to tweets, in display order.
CREATE TABLE tweet_media (
    tweet_id     BIGINT NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         BIGINT NOT NULL,
    PRIMARY KEY (tweet_id, position)
);

-- Server-side sessions, by the SHA-256 of the cookie's token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
