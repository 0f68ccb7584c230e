package postgres

// homeItems is the home timeline's items query on PostgreSQL (see
// sqlstore's portable one for what a page holds). Each account followed
// gives at most a page of items, read by a LATERAL join as one index
// range (tweets by author and id, reposts by user and id), so a page
// costs (accounts followed × page size) index entries however long their
// history; the portable query's per-account threshold is evaluated by
// PostgreSQL once per row rather than once per account. Its parameters:
// $1 the reader, $2 and $3 the cursors (items below $2 and above $3),
// $4 the page's size; oldest asks for the page just above $3.
func homeItems(oldest bool) string {
	order := "DESC"
	if oldest {
		order = "ASC"
	}
	hidden := func(col string) string {
		return `NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ` + col + ` AND b.blocked_id = $1) OR (b.blocker_id = $1 AND b.blocked_id = ` + col + `))
      AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = $1 AND m.muted_id = ` + col + `)`
	}
	return `SELECT item_id, tweet_id, reposter, reposter_id FROM (
  SELECT x.id AS item_id, x.id AS tweet_id, '' AS reposter, CAST(0 AS BIGINT) AS reposter_id
  FROM (SELECT CAST($1 AS BIGINT) AS author_id UNION SELECT followee_id FROM follows WHERE follower_id = $1) f
  JOIN users a ON a.id = f.author_id
  CROSS JOIN LATERAL (SELECT t.id FROM tweets t WHERE t.author_id = f.author_id AND t.id < $2 AND t.id > $3
    ORDER BY t.id ` + order + ` LIMIT $4) x
  WHERE a.suspended_at IS NULL AND ` + hidden("f.author_id") + `
  UNION ALL
  SELECT x.id, x.tweet_id, ru.username, ru.id
  FROM follows f JOIN users ru ON ru.id = f.followee_id
  CROSS JOIN LATERAL (SELECT r.id, r.tweet_id FROM reposts r JOIN tweets t ON t.id = r.tweet_id JOIN users a ON a.id = t.author_id
    WHERE r.user_id = f.followee_id AND r.id < $2 AND r.id > $3 AND a.suspended_at IS NULL
      AND t.author_id <> $1 AND NOT EXISTS (SELECT 1 FROM follows fa WHERE fa.follower_id = $1 AND fa.followee_id = t.author_id)
      AND NOT EXISTS (SELECT 1 FROM reposts r2 JOIN users u2 ON u2.id = r2.user_id
        WHERE r2.tweet_id = r.tweet_id AND r2.id < r.id AND u2.suspended_at IS NULL
        AND EXISTS (SELECT 1 FROM follows fr WHERE fr.follower_id = $1 AND fr.followee_id = r2.user_id))
      AND ` + hidden("t.author_id") + `
    ORDER BY r.id ` + order + ` LIMIT $4) x
  WHERE f.follower_id = $1 AND ru.suspended_at IS NULL AND ` + hidden("f.followee_id") + `
) items ORDER BY item_id ` + order + ` LIMIT $4`
}
