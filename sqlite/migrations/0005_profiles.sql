-- Profiles: a display name and a bio, empty until the user sets them
-- (pages then show @username).
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';

-- The browser that started a session, as it named itself (its
-- User-Agent, cut to 200 characters), so that a user can tell their
-- sessions apart in the settings.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- Usernames of deleted accounts, out of reach of new accounts until
-- reserved_until, so that nobody can take a name at once and pass for
-- its former owner. username_key is the lower-cased username, as in
-- users.
CREATE TABLE reserved_usernames (
    username_key   TEXT PRIMARY KEY,
    reserved_until TIMESTAMP NOT NULL
);
