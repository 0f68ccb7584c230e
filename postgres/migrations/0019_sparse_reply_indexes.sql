-- Replies and quotes are a minority of tweets: their indexes keep only
-- the tweets that answer or quote one (as on SQLite, where a mostly NULL
-- index made the planner read the whole table to count replies).
DROP INDEX tweets_reply_to_id;
CREATE INDEX tweets_reply_to_id ON tweets (reply_to_id, id) WHERE reply_to_id IS NOT NULL;
DROP INDEX tweets_quote_id;
CREATE INDEX tweets_quote_id ON tweets (quote_id, id) WHERE quote_id IS NOT NULL;
