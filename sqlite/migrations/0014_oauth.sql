-- Clients of the API (Mastodon apps), their authorization codes and
-- access tokens. Secrets are stored as SHA-256 hashes.
CREATE TABLE oauth_apps (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    website       TEXT NOT NULL DEFAULT '',
    redirect_uris TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    client_id     TEXT NOT NULL UNIQUE,
    secret_hash   TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE oauth_codes (
    code_hash    TEXT PRIMARY KEY,
    app_id       INTEGER NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    challenge    TEXT NOT NULL DEFAULT '',
    expires_at   TIMESTAMP NOT NULL
);

CREATE TABLE oauth_tokens (
    token_hash TEXT PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    scopes     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX oauth_tokens_user_id ON oauth_tokens (user_id);
