-- Quotes: the tweet a tweet quotes, with no foreign key, so that a
-- deleted quoted tweet leaves a placeholder in the quotes.
ALTER TABLE tweets ADD COLUMN quote_id INTEGER;
CREATE INDEX tweets_quote_id ON tweets (quote_id, id);
