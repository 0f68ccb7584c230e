-- Replies: the tweet answered, with no foreign key, so that deleting a
-- tweet leaves its replies ("in reply to a deleted tweet").
ALTER TABLE tweets ADD COLUMN reply_to_id INTEGER;
CREATE INDEX tweets_reply_to_id ON tweets (reply_to_id, id);

-- Who follows whom. id is time-ordered, for paging the lists.
CREATE TABLE follows (
    id          INTEGER NOT NULL UNIQUE,
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee_id ON follows (followee_id, id DESC);
CREATE INDEX follows_follower_id ON follows (follower_id, id DESC);

-- Likes: one per user and tweet.
CREATE TABLE likes (
    id         INTEGER NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id   INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, tweet_id)
);
CREATE INDEX likes_tweet_id ON likes (tweet_id);

-- Reposts: one per user and tweet. The id places the repost on its
-- followers' home timelines, among tweets (ids share one clock).
CREATE TABLE reposts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id   INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, tweet_id)
);
CREATE INDEX reposts_user_id_id ON reposts (user_id, id DESC);
CREATE INDEX reposts_tweet_id_id ON reposts (tweet_id, id);
