-- Blocks: the blocked account cannot follow, reply to or see the
-- blocker's tweets while logged in; neither sees the other's tweets.
CREATE TABLE blocks (
    id         INTEGER NOT NULL UNIQUE,
    blocker_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked_id ON blocks (blocked_id, blocker_id);

-- Mutes: the muted account disappears from the muter's timelines,
-- search and notifications, and never knows.
CREATE TABLE mutes (
    id         INTEGER NOT NULL UNIQUE,
    muter_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    muted_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
);
