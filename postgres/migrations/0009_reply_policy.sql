-- Who may reply to a tweet: everyone, the accounts its author follows,
-- or the accounts it mentions.
ALTER TABLE tweets ADD COLUMN reply_policy TEXT NOT NULL DEFAULT 'everyone';
