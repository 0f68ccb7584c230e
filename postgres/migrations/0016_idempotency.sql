-- Idempotency-Key of POST /api/v1/statuses: a client that retries a post
-- (its connection dropped before the answer) gets the status the first
-- attempt made, not a second one. Keys are kept for a day.
CREATE TABLE idempotency_keys (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_hash   TEXT NOT NULL,
    tweet_id   BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key_hash)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
