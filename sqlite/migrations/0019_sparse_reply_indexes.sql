-- Replies and quotes are a minority of tweets: their indexes keep only
-- the tweets that answer or quote one. Besides being smaller, this keeps
-- SQLite's planner from reading the whole table to count a tweet's
-- replies once ANALYZE has seen that most tweets answer none (an index
-- that is mostly NULL looked useless to it).
DROP INDEX tweets_reply_to_id;
CREATE INDEX tweets_reply_to_id ON tweets (reply_to_id, id) WHERE reply_to_id IS NOT NULL;
DROP INDEX tweets_quote_id;
CREATE INDEX tweets_quote_id ON tweets (quote_id, id) WHERE quote_id IS NOT NULL;
