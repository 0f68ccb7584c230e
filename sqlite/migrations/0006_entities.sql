-- The hashtags of each tweet, folded (tweets.FoldHashtag), and its
-- mentions of accounts that existed when it was posted. The second
-- index of each serves "tweets with tag X" and "tweets mentioning
-- account U", newest first.
CREATE TABLE tweet_tags (
    tweet_id INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (tweet_id, tag)
);
CREATE INDEX tweet_tags_tag ON tweet_tags (tag, tweet_id DESC);

CREATE TABLE tweet_mentions (
    tweet_id INTEGER NOT NULL REFERENCES tweets (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (tweet_id, user_id)
);
CREATE INDEX tweet_mentions_user ON tweet_mentions (user_id, tweet_id DESC);

-- Full-text index of tweets' text, by tweet id. It keeps no copy of the
-- text (content=''), only the words that search_words, a function the
-- server registers, makes of it: lower-cased, split at everything that
-- is not a letter, mark or digit. remove_diacritics 0 keeps accents, as
-- PostgreSQL's index does; marks count as word characters so that
-- scripts written with them (हिन्दी) stay whole.
CREATE VIRTUAL TABLE tweets_search USING fts5 (
    words,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);

-- Triggers keep the index in step with tweets, whoever writes them:
-- posting, deleting, and a restore, which inserts rows and wipes them.
CREATE TRIGGER tweets_search_insert AFTER INSERT ON tweets BEGIN
    INSERT INTO tweets_search (rowid, words) VALUES (new.id, search_words(new.text));
END;
CREATE TRIGGER tweets_search_delete AFTER DELETE ON tweets BEGIN
    DELETE FROM tweets_search WHERE rowid = old.id;
END;
CREATE TRIGGER tweets_search_update AFTER UPDATE OF id, text ON tweets BEGIN
    DELETE FROM tweets_search WHERE rowid = old.id;
    INSERT INTO tweets_search (rowid, words) VALUES (new.id, search_words(new.text));
END;

INSERT INTO tweets_search (rowid, words) SELECT id, search_words(text) FROM tweets;
