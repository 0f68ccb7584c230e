-- Bookmarks: tweets an account keeps to read later, seen by no one
-- else. The id is time-ordered and pages the list, newest bookmark
-- first, as the likes' id pages the favourites list.
CREATE TABLE bookmarks (
    id         BIGINT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id   BIGINT NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, tweet_id)
);
CREATE INDEX bookmarks_user_id_id ON bookmarks (user_id, id DESC);
CREATE INDEX bookmarks_tweet_id ON bookmarks (tweet_id);

-- The favourites list pages an account's likes by the like's id.
CREATE INDEX likes_user_id_id ON likes (user_id, id DESC);

-- Markers: where an account stopped reading a timeline (home,
-- notifications), so that its other clients resume there. version
-- counts the moves.
CREATE TABLE markers (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    timeline     TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, timeline)
);
