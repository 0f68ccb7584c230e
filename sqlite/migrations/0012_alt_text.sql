-- Alt text: a description of each image for those who cannot see it.
ALTER TABLE tweet_media ADD COLUMN alt TEXT NOT NULL DEFAULT '';
