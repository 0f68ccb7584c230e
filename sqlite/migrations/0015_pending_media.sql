-- Images uploaded through the API before the status that carries them
-- (POST /api/v2/media, then POST /api/v1/statuses with media_ids).
-- Posting moves a row into tweet_media; rows never attached expire.
CREATE TABLE pending_media (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    storage_key        TEXT NOT NULL UNIQUE,
    content_type       TEXT NOT NULL,
    width              INTEGER NOT NULL,
    height             INTEGER NOT NULL,
    size               INTEGER NOT NULL,
    alt                TEXT NOT NULL DEFAULT '',
    thumb_key          TEXT UNIQUE,
    thumb_content_type TEXT NOT NULL DEFAULT '',
    thumb_width        INTEGER NOT NULL DEFAULT 0,
    thumb_height       INTEGER NOT NULL DEFAULT 0,
    blurhash           TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX pending_media_created_at ON pending_media (created_at);
