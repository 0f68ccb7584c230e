package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// CreateTweet implements tweets.TweetStore.
func (s *Store) CreateTweet(ctx context.Context, t tweets.Tweet) (err error) {
	defer tweets.Wrap(&err, "create tweet")
	return s.Transact(ctx, func(tx *sql.Tx) error {
		policy := t.ReplyPolicy
		if policy == "" {
			policy = tweets.ReplyEveryone
		}
		if _, err := s.exec(ctx, tx, "INSERT INTO tweets (id, author_id, text, created_at, reply_to_id, reply_policy, quote_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
			t.ID, t.AuthorID, t.Text, t.CreatedAt.UTC(), nullID(t.ReplyTo), string(policy), nullID(t.Quote)); err != nil {
			return err
		}
		for i, m := range t.Media {
			if _, err := s.exec(ctx, tx,
				`INSERT INTO tweet_media (tweet_id, position, storage_key, content_type, width, height, size, alt,
				thumb_key, thumb_content_type, thumb_width, thumb_height, blurhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				t.ID, i, m.Key, m.ContentType, m.Width, m.Height, m.Size, m.Alt,
				nullString(m.Thumb.Key), m.Thumb.ContentType, m.Thumb.Width, m.Thumb.Height, m.Blurhash); err != nil {
				return err
			}
		}
		return s.insertEntities(ctx, tx, t)
	})
}

// tweetSelect reads tweets with their author, the tweet they answer and
// every figure a page shows, in one query: counts (of accounts that are
// not suspended) and, for the viewer bound to its five placeholders,
// whether the quoted tweet is hidden from them and what they did (liked,
// reposted, bookmarked). Each figure is a lookup in an index.
const tweetSelect = `SELECT t.id, t.author_id, u.username, u.suspended_at IS NOT NULL, COALESCE(u.avatar_key, ''), t.text, t.created_at,
  COALESCE(t.reply_to_id, 0), COALESCE(pu.username, ''), COALESCE(p.author_id, 0), t.reply_policy, t.edited_at,
  COALESCE(t.quote_id, 0), COALESCE(q.id, 0), COALESCE(qu.username, ''), COALESCE(q.text, ''), q.created_at,
  qu.suspended_at IS NOT NULL OR EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = q.author_id AND b.blocked_id = ?) OR (b.blocker_id = ? AND b.blocked_id = q.author_id)),
  (SELECT COUNT(*) FROM tweets k JOIN users ku ON ku.id = k.author_id WHERE k.quote_id = t.id AND ku.suspended_at IS NULL),
  (SELECT COUNT(*) FROM likes l JOIN users lu ON lu.id = l.user_id WHERE l.tweet_id = t.id AND lu.suspended_at IS NULL),
  (SELECT COUNT(*) FROM reposts r JOIN users ru ON ru.id = r.user_id WHERE r.tweet_id = t.id AND ru.suspended_at IS NULL),
  (SELECT COUNT(*) FROM tweets c JOIN users cu ON cu.id = c.author_id WHERE c.reply_to_id = t.id AND cu.suspended_at IS NULL),
  EXISTS (SELECT 1 FROM likes l WHERE l.tweet_id = t.id AND l.user_id = ?),
  EXISTS (SELECT 1 FROM reposts r WHERE r.tweet_id = t.id AND r.user_id = ?),
  EXISTS (SELECT 1 FROM bookmarks bm WHERE bm.tweet_id = t.id AND bm.user_id = ?)
FROM tweets t JOIN users u ON u.id = t.author_id
LEFT JOIN tweets p ON p.id = t.reply_to_id LEFT JOIN users pu ON pu.id = p.author_id
LEFT JOIN tweets q ON q.id = t.quote_id LEFT JOIN users qu ON qu.id = q.author_id`

// TweetByID implements tweets.TweetStore.
func (s *Store) TweetByID(ctx context.Context, id tweets.ID) (t tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "tweet %d", id)
	ts, err := s.tweets(ctx, 0, tweetSelect+" WHERE t.id = ?", id)
	if err != nil {
		return tweets.Tweet{}, err
	}
	if len(ts) == 0 {
		return tweets.Tweet{}, tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	return ts[0], nil
}

// DeleteTweet implements tweets.TweetStore. Its files go to the trash
// with the rows, in one transaction.
func (s *Store) DeleteTweet(ctx context.Context, id tweets.ID) (err error) {
	defer tweets.Wrap(&err, "delete tweet %d", id)
	return s.Transact(ctx, func(tx *sql.Tx) error {
		keys, err := s.keys(ctx, tx, "SELECT storage_key, thumb_key FROM tweet_media WHERE tweet_id = ?", id)
		if err != nil {
			return err
		}
		if err := s.trash(ctx, tx, keys); err != nil {
			return err
		}
		// Explicit rather than relying on ON DELETE CASCADE, which
		// SQLite honours only with foreign_keys on.
		if _, err := s.exec(ctx, tx, "DELETE FROM tweet_media WHERE tweet_id = ?", id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, "DELETE FROM notifications WHERE tweet_id = ?", id); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM tweets WHERE id = ?", id)
		if err != nil {
			return err
		}
		return affectedOne(res)
	})
}

// Timeline implements tweets.TweetStore. Pages are cut by id, never by
// OFFSET, so a page costs the same however deep it is.
func (s *Store) Timeline(ctx context.Context, q tweets.TimelineQuery) (ts []tweets.Tweet, err error) {
	defer tweets.Wrap(&err, "timeline")
	if q.Home != 0 {
		return s.home(ctx, q)
	}
	query, args := s.timelineSQL(q)
	ts, err = s.tweets(ctx, q.Viewer, query, args...)
	if q.Oldest {
		slices.Reverse(ts)
	}
	return ts, err
}

// timelineSQL is the query of a timeline that is not a home timeline,
// and its arguments after the viewer's (see tweets).
func (s *Store) timelineSQL(q tweets.TimelineQuery) (string, []any) {
	var where []string
	var args []any
	if q.AuthorID != 0 {
		where, args = append(where, "t.author_id = ?"), append(args, q.AuthorID)
	}
	if q.Before != 0 {
		where, args = append(where, "t.id < ?"), append(args, q.Before)
	}
	if q.After != 0 {
		where, args = append(where, "t.id > ?"), append(args, q.After)
	}
	if !q.IncludeSuspended {
		where = append(where, "u.suspended_at IS NULL")
	}
	if q.Viewer != 0 {
		cond, n := hidden("t.author_id", q.HideMuted)
		where, args = append(where, cond), append(args, viewerArgs(q.Viewer, n)...)
	}
	if q.Search != "" {
		cond, condArgs := s.dialect.ContainsFold("t.text", q.Search)
		where, args = append(where, cond), append(args, condArgs...)
	}
	query := tweetSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	if q.Oldest {
		query += " ORDER BY t.id LIMIT ?"
	} else {
		query += " ORDER BY t.id DESC LIMIT ?"
	}
	return query, append(args, q.Limit)
}

// ExplainTimeline returns the database's plan of a timeline query, line
// by line, as the dialect's Explain gives it: for tests that check that
// the hot queries stay on indexes, whatever the tables' size.
func (s *Store) ExplainTimeline(ctx context.Context, q tweets.TimelineQuery) ([]string, error) {
	if s.dialect.Explain == nil {
		return nil, fmt.Errorf("the %s dialect cannot explain queries", s.dialect.Name)
	}
	var query string
	var args []any
	if q.Home != 0 {
		query, args = s.homeSQL(q)
	} else {
		query, args = s.timelineSQL(q)
		args = append(viewerArgs(q.Viewer, 5), args...)
	}
	return s.dialect.Explain(ctx, s.DB, s.rebind(query), args)
}

// Analyze updates the database's statistics, which its planner reads.
func (s *Store) Analyze(ctx context.Context) error {
	_, err := s.DB.ExecContext(ctx, "ANALYZE")
	return err
}

// tweets runs a tweetSelect query for viewer and attaches each tweet's
// media with one more query for the whole page.
func (s *Store) tweets(ctx context.Context, viewer tweets.ID, query string, args ...any) ([]tweets.Tweet, error) {
	rows, err := s.query(ctx, s.q, query, append(viewerArgs(viewer, 5), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []tweets.Tweet
	index := map[tweets.ID]int{}
	for rows.Next() {
		var t tweets.Tweet
		var edited, quotedAt sql.NullTime
		var quoted tweets.QuotedTweet
		var quoteHidden sql.NullBool
		if err := rows.Scan(&t.ID, &t.AuthorID, &t.Author, &t.AuthorSuspended, &t.AuthorAvatar, &t.Text, &t.CreatedAt,
			&t.ReplyTo, &t.ReplyToAuthor, &t.ReplyToAuthorID, &t.ReplyPolicy, &edited,
			&t.Quote, &quoted.ID, &quoted.Author, &quoted.Text, &quotedAt, &quoteHidden, &t.Quotes, &t.Likes, &t.Reposts, &t.Replies, &t.Liked, &t.Reposted, &t.Bookmarked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		if edited.Valid {
			t.EditedAt = edited.Time.UTC()
		}
		if quoted.ID != 0 && !quoteHidden.Bool {
			quoted.CreatedAt = quotedAt.Time.UTC()
			t.Quoted = &quoted
		}
		t.Item = t.ID
		index[t.ID] = len(ts)
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return ts, nil
	}
	return ts, s.attachMedia(ctx, ts, index)
}

// nullString stores an empty string as NULL, for unique columns that
// many rows leave empty.
func nullString(v string) sql.NullString { return sql.NullString{String: v, Valid: v != ""} }

// nullID stores a zero id as NULL.
func nullID(id tweets.ID) sql.NullInt64 { return sql.NullInt64{Int64: int64(id), Valid: id != 0} }

func (s *Store) attachMedia(ctx context.Context, ts []tweets.Tweet, index map[tweets.ID]int) error {
	marks := make([]string, len(ts))
	args := make([]any, len(ts))
	for i, t := range ts {
		marks[i], args[i] = "?", t.ID
	}
	rows, err := s.query(ctx, s.q,
		`SELECT tweet_id, storage_key, content_type, width, height, size, alt,
		COALESCE(thumb_key, ''), thumb_content_type, thumb_width, thumb_height, blurhash FROM tweet_media WHERE tweet_id IN (`+
			strings.Join(marks, ", ")+") ORDER BY tweet_id, position", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id tweets.ID
		var m tweets.Media
		if err := rows.Scan(&id, &m.Key, &m.ContentType, &m.Width, &m.Height, &m.Size, &m.Alt,
			&m.Thumb.Key, &m.Thumb.ContentType, &m.Thumb.Width, &m.Thumb.Height, &m.Blurhash); err != nil {
			return err
		}
		t := &ts[index[id]]
		t.Media = append(t.Media, m)
	}
	return rows.Err()
}

// EditTweet implements tweets.TweetStore. Tags and mentions follow the
// new text; the search index follows it through its triggers or its
// expression.
func (s *Store) EditTweet(ctx context.Context, id tweets.ID, text string, at time.Time) (err error) {
	defer tweets.Wrap(&err, "edit tweet %d", id)
	return s.Transact(ctx, func(tx *sql.Tx) error {
		var old tweets.Tweet
		var edited sql.NullTime
		if err := s.queryRow(ctx, tx, "SELECT author_id, text, created_at, edited_at FROM tweets WHERE id = ?", id).
			Scan(&old.AuthorID, &old.Text, &old.CreatedAt, &edited); err != nil {
			return s.mapError(err)
		}
		written := old.CreatedAt
		if edited.Valid {
			written = edited.Time
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO tweet_versions (tweet_id, version, text, written_at)
			SELECT ?, COUNT(*) + 1, ?, ? FROM tweet_versions WHERE tweet_id = ?`, id, old.Text, written.UTC(), id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, "UPDATE tweets SET text = ?, edited_at = ? WHERE id = ?", text, at.UTC(), id); err != nil {
			return err
		}
		for _, table := range []string{"tweet_tags", "tweet_mentions"} {
			if _, err := s.exec(ctx, tx, "DELETE FROM "+table+" WHERE tweet_id = ?", id); err != nil {
				return err
			}
		}
		return s.insertEntities(ctx, tx, tweets.Tweet{ID: id, AuthorID: old.AuthorID, Text: text})
	})
}

// Versions implements tweets.TweetStore.
func (s *Store) Versions(ctx context.Context, id tweets.ID) (vs []tweets.Version, err error) {
	defer tweets.Wrap(&err, "versions of %d", id)
	rows, err := s.query(ctx, s.q, "SELECT version, text, written_at FROM tweet_versions WHERE tweet_id = ? ORDER BY version", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v tweets.Version
		if err := rows.Scan(&v.Number, &v.Text, &v.WrittenAt); err != nil {
			return nil, err
		}
		v.WrittenAt = v.WrittenAt.UTC()
		vs = append(vs, v)
	}
	return vs, rows.Err()
}
