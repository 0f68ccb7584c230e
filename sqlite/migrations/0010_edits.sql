-- Edits: a tweet's earlier texts, oldest first, each with when it was
-- written; tweets.edited_at says when the current one was.
ALTER TABLE tweets ADD COLUMN edited_at TIMESTAMP;
CREATE TABLE tweet_versions (
    tweet_id   INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    written_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tweet_id, version)
);
