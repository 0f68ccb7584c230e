-- One open report per user and tweet: reporting the same tweet again adds
-- nothing for the admins, and 60 copies of one complaint bury the others.
-- Once the report is resolved, the user may report the tweet again.
--
-- Duplicates already filed are closed first, keeping each user's oldest
-- open report on a tweet, or the index could not be built.
UPDATE reports
SET resolved_at = CURRENT_TIMESTAMP,
    resolution = 'Closed automatically: a duplicate of an earlier open report by the same user on this tweet.'
WHERE resolved_at IS NULL
  AND EXISTS (
    SELECT 1 FROM reports earlier
    WHERE earlier.tweet_id = reports.tweet_id
      AND earlier.reporter_id = reports.reporter_id
      AND earlier.resolved_at IS NULL
      AND earlier.id < reports.id
  );

-- A unique index rather than a check before inserting, so that two
-- requests at the same moment cannot both get in.
CREATE UNIQUE INDEX reports_one_open ON reports (tweet_id, reporter_id) WHERE resolved_at IS NULL;
