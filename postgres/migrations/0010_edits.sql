-- Edits: a tweet's earlier texts, oldest first, each with when it was
-- written; tweets.edited_at says when the current one was.
ALTER TABLE tweets ADD COLUMN edited_at TIMESTAMPTZ;
CREATE TABLE tweet_versions (
    tweet_id   BIGINT NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    written_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tweet_id, version)
);
