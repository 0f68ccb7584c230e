-- Each attachment may have a smaller copy for timelines, and a BlurHash
-- that pages and clients draw while the image loads.
ALTER TABLE tweet_media ADD COLUMN thumb_key TEXT;
ALTER TABLE tweet_media ADD COLUMN thumb_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE tweet_media ADD COLUMN thumb_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tweet_media ADD COLUMN thumb_height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tweet_media ADD COLUMN blurhash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX tweet_media_thumb_key ON tweet_media (thumb_key);

-- Profile pictures: a square avatar and a wide header, both optional.
ALTER TABLE users ADD COLUMN avatar_key TEXT;
ALTER TABLE users ADD COLUMN avatar_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN header_key TEXT;
ALTER TABLE users ADD COLUMN header_content_type TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_avatar_key ON users (avatar_key);
CREATE UNIQUE INDEX users_header_key ON users (header_key);

-- Stored files whose rows are gone, to delete from the blob store. The
-- row goes in with the deletion that orphans the file, so a crash
-- between the two loses nothing; a background sweep deletes the files
-- and retries failures later.
CREATE TABLE media_trash (
    storage_key TEXT PRIMARY KEY,
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  TIMESTAMP NOT NULL,
    last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX media_trash_not_before ON media_trash (not_before);
