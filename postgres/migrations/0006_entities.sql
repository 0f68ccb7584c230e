-- The hashtags of each tweet, folded (tweets.FoldHashtag), and its
-- mentions of accounts that existed when it was posted. The second
-- index of each serves "tweets with tag X" and "tweets mentioning
-- account U", newest first.
CREATE TABLE tweet_tags (
    tweet_id BIGINT NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (tweet_id, tag)
);
CREATE INDEX tweet_tags_tag ON tweet_tags (tag, tweet_id DESC);

CREATE TABLE tweet_mentions (
    tweet_id BIGINT NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (tweet_id, user_id)
);
CREATE INDEX tweet_mentions_user ON tweet_mentions (user_id, tweet_id DESC);

-- Full-text index of tweets' text. 'simple' lower-cases words and
-- neither stems them nor drops stop words, so every language is
-- searched alike; accents are kept. Queries must use this very
-- expression (postgres.matchWords) for the index to serve them. Words
-- split and fold by the database's LC_CTYPE: a UTF-8 locale (C.UTF-8,
-- en_US.utf8) knows every script; under C, only A to Z fold.
CREATE INDEX tweets_text_search ON tweets USING GIN (to_tsvector('simple', text));
