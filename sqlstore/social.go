package sqlstore

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// Follow implements tweets.SocialStore.
func (s *Store) Follow(ctx context.Context, f tweets.Follow) (err error) {
	defer tweets.Wrap(&err, "follow")
	_, err = s.exec(ctx, s.q, "INSERT INTO follows (id, follower_id, followee_id, created_at) VALUES (?, ?, ?, ?)",
		f.ID, f.FollowerID, f.FolloweeID, f.CreatedAt.UTC())
	return err
}

// Unfollow implements tweets.SocialStore.
func (s *Store) Unfollow(ctx context.Context, followerID, followeeID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unfollow")
	res, err := s.exec(ctx, s.q, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", followerID, followeeID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// prefixed qualifies every column of a list with a table alias.
func prefixed(alias, columns string) string {
	cs := strings.Split(columns, ", ")
	for i, c := range cs {
		cs[i] = alias + "." + c
	}
	return strings.Join(cs, ", ")
}

// Follows implements tweets.SocialStore. Suspended accounts are left out.
func (s *Store) Follows(ctx context.Context, q tweets.FollowQuery) (es []tweets.FollowEntry, err error) {
	defer tweets.Wrap(&err, "follows of %d", q.Account)
	// Followers: the rows that point at the account, listing who follows.
	listed, account := "followee_id", "follower_id"
	if q.Followers {
		listed, account = "follower_id", "followee_id"
	}
	before := q.Before
	if before == 0 {
		before = math.MaxInt64
	}
	rows, err := s.query(ctx, s.q, "SELECT f.id, "+prefixed("u", userColumns)+" FROM follows f JOIN users u ON u.id = f."+listed+
		" WHERE f."+account+" = ? AND f.id < ? AND u.suspended_at IS NULL ORDER BY f.id DESC LIMIT ?", q.Account, before, q.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e tweets.FollowEntry
		var row rowScanner
		row.dest = []any{&e.FollowID}
		if e.User, err = scanUser(row.with(rows)); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// rowScanner lets scanUser read a row that has more columns before the
// user's: it scans dest first.
type rowScanner struct {
	dest []any
	rows interface{ Scan(...any) error }
}

func (r rowScanner) with(rows interface{ Scan(...any) error }) rowScanner {
	r.rows = rows
	return r
}

func (r rowScanner) Scan(dest ...any) error { return r.rows.Scan(append(r.dest, dest...)...) }

// Relationship implements tweets.SocialStore.
func (s *Store) Relationship(ctx context.Context, viewer, other tweets.ID) (r tweets.Relationship, err error) {
	defer tweets.Wrap(&err, "relationship")
	err = s.queryRow(ctx, s.q, `SELECT
		EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?),
		EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?),
		EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?),
		EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?),
		EXISTS (SELECT 1 FROM mutes WHERE muter_id = ? AND muted_id = ?)`,
		viewer, other, other, viewer, viewer, other, other, viewer, viewer, other).
		Scan(&r.Following, &r.FollowedBy, &r.Blocking, &r.BlockedBy, &r.Muting)
	return r, s.mapError(err)
}

// ProfileCounts implements tweets.SocialStore.
func (s *Store) ProfileCounts(ctx context.Context, id tweets.ID) (c tweets.ProfileCounts, err error) {
	defer tweets.Wrap(&err, "profile counts of %d", id)
	err = s.queryRow(ctx, s.q, `SELECT
		(SELECT COUNT(*) FROM tweets WHERE author_id = ?),
		(SELECT COUNT(*) FROM follows f JOIN users x ON x.id = f.follower_id WHERE f.followee_id = ? AND x.suspended_at IS NULL),
		(SELECT COUNT(*) FROM follows f JOIN users x ON x.id = f.followee_id WHERE f.follower_id = ? AND x.suspended_at IS NULL)`,
		id, id, id).Scan(&c.Tweets, &c.Followers, &c.Following)
	return c, s.mapError(err)
}

// Like implements tweets.SocialStore.
func (s *Store) Like(ctx context.Context, l tweets.Like) (err error) {
	defer tweets.Wrap(&err, "like")
	return s.addAction(ctx, "likes", l.ID, l.UserID, l.TweetID, l.CreatedAt)
}

// Unlike implements tweets.SocialStore.
func (s *Store) Unlike(ctx context.Context, userID, tweetID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unlike")
	return s.removeAction(ctx, "likes", userID, tweetID)
}

// Repost implements tweets.SocialStore.
func (s *Store) Repost(ctx context.Context, r tweets.Repost) (err error) {
	defer tweets.Wrap(&err, "repost")
	return s.addAction(ctx, "reposts", r.ID, r.UserID, r.TweetID, r.CreatedAt)
}

// Unrepost implements tweets.SocialStore.
func (s *Store) Unrepost(ctx context.Context, userID, tweetID tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unrepost")
	return s.removeAction(ctx, "reposts", userID, tweetID)
}

// addAction inserts a row of likes, reposts or bookmarks, which share
// their columns; a second one of the user and tweet gives ErrConflict.
func (s *Store) addAction(ctx context.Context, table string, id, userID, tweetID tweets.ID, at time.Time) error {
	_, err := s.exec(ctx, s.q, "INSERT INTO "+table+" (id, user_id, tweet_id, created_at) VALUES (?, ?, ?, ?)", id, userID, tweetID, at.UTC())
	return err
}

// removeAction deletes the user's row of likes, reposts or bookmarks
// for the tweet; ErrNotFound when there was none.
func (s *Store) removeAction(ctx context.Context, table string, userID, tweetID tweets.ID) error {
	res, err := s.exec(ctx, s.q, "DELETE FROM "+table+" WHERE user_id = ? AND tweet_id = ?", userID, tweetID)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// homeItemsQuery selects a page of a home timeline as (item, tweet,
// reposter) rows: the reader's own tweets and those of the accounts they
// follow, and the reposts those accounts made. A repost is left out when
// the tweet is on the timeline already (its author is the reader or
// someone they follow) or an earlier repost by someone they follow put
// it there: so each tweet shows once, and a new repost never moves an
// old one, which keeps pages from skipping or repeating. Accounts that
// block the reader, that the reader blocks or mutes, are left out as
// authors and as reposters; so are suspended ones.
//
// The cost of a page must not grow with the accounts' history: a page
// can hold no more than limit items of any one account, so each account
// contributes only the items at or after its limit-th newest one past
// the cursor (its threshold, found by one index range of limit entries),
// and the merge sorts at most (accounts followed × limit) rows, however
// many tweets they wrote before. For tweets the threshold needs no
// filter (every rule hides an author whole); for reposts it counts only
// the reposts that the page would show, so none is skipped. order is
// DESC for the newest page below the cursor, ASC for the page just above
// it.
func homeItemsQuery(order string) string {
	author, _ := hidden("t.author_id", true)
	reposter, _ := hidden("r.user_id", true)
	author3, _ := hidden("t3.author_id", true)
	// bound keeps col within the page's cursors and at or past the
	// threshold that sub finds: one range of the index, which the
	// database starts at the threshold. Its placeholders: the cursor on
	// the far side, then sub's, then the near cursor (past it by one),
	// for when the account has fewer items than a page.
	bound := func(col, sub string) string {
		if order == "ASC" {
			return col + " > ? AND " + col + " <= COALESCE((" + sub + "), ?)"
		}
		return col + " < ? AND " + col + " >= COALESCE((" + sub + "), ?)"
	}
	// shown is what makes a repost r (of tweet t, by ru, of a tweet by a)
	// one the page shows. Follows are probed one by one (EXISTS), not
	// listed (IN): a list would be built again for every row.
	shown := func(r, t, ru, a string) string {
		return ru + `.suspended_at IS NULL AND ` + a + `.suspended_at IS NULL
    AND ` + t + `.author_id <> ? AND NOT EXISTS (SELECT 1 FROM follows fa WHERE fa.follower_id = ? AND fa.followee_id = ` + t + `.author_id)
    AND NOT EXISTS (SELECT 1 FROM reposts r2 JOIN users u2 ON u2.id = r2.user_id
      WHERE r2.tweet_id = ` + r + `.tweet_id AND r2.id < ` + r + `.id AND u2.suspended_at IS NULL
      AND EXISTS (SELECT 1 FROM follows fr WHERE fr.follower_id = ? AND fr.followee_id = r2.user_id))`
	}
	return `SELECT item_id, tweet_id, reposter, reposter_id FROM (
  SELECT t.id AS item_id, t.id AS tweet_id, '' AS reposter, CAST(0 AS BIGINT) AS reposter_id
  FROM (SELECT CAST(? AS BIGINT) AS author_id UNION SELECT followee_id FROM follows WHERE follower_id = ?) f
  JOIN users a ON a.id = f.author_id
  JOIN tweets t ON t.author_id = f.author_id
  WHERE ` + bound("t.id", `SELECT t3.id FROM tweets t3 WHERE t3.author_id = f.author_id AND t3.id < ? AND t3.id > ?
      ORDER BY t3.id `+order+` LIMIT 1 OFFSET ?`) + `
    AND a.suspended_at IS NULL AND ` + author + `
  UNION ALL
  SELECT r.id, r.tweet_id, ru.username, ru.id
  FROM follows f JOIN users ru ON ru.id = f.followee_id
  JOIN reposts r ON r.user_id = f.followee_id JOIN tweets t ON t.id = r.tweet_id JOIN users a ON a.id = t.author_id
  WHERE f.follower_id = ? AND ` + bound("r.id", `SELECT r3.id FROM reposts r3 JOIN tweets t3 ON t3.id = r3.tweet_id JOIN users a3 ON a3.id = t3.author_id
      WHERE r3.user_id = f.followee_id AND r3.id < ? AND r3.id > ? AND `+shown("r3", "t3", "ru", "a3")+`
      AND `+author3+`
      ORDER BY r3.id `+order+` LIMIT 1 OFFSET ?`) + `
    AND ` + shown("r", "t", "ru", "a") + `
    AND ` + author + ` AND ` + reposter + `
) items ORDER BY item_id ` + order + ` LIMIT ?`
}

// homeNewest reads the newest page below a cursor; homeOldest the page
// just above one.
var homeNewest, homeOldest = homeItemsQuery("DESC"), homeItemsQuery("ASC")

// home reads a home timeline page in two queries (items, then the
// tweets with their figures) plus one for media.
// homeSQL is the query of a home timeline page's items, and its
// arguments.
func (s *Store) homeSQL(q tweets.TimelineQuery) (string, []any) {
	before := q.Before
	if before == 0 {
		before = math.MaxInt64
	}
	me := q.Home
	after, lim := q.After, q.Limit
	// Each account's items run from the far cursor to its threshold, or
	// to the near cursor when it has fewer than a page.
	far, near := before, after+1
	if q.Oldest {
		far, near = after, before-1
	}
	// The placeholders, in order. The tweets' part: the reader twice
	// (themselves and whom they follow), the bounds (the far cursor, the
	// threshold's cursors and offset, the near cursor), the author's
	// blocks and mutes. The reposts' part: the reader, the bounds (the
	// threshold checks what makes a repost shown and the author's blocks
	// and mutes), what makes a repost shown, the author's and the
	// reposter's blocks and mutes. Then the page's size.
	args := []any{me, me, far, before, after, lim - 1, near, me, me, me,
		me, far, before, after, me, me, me, me, me, me, lim - 1, near,
		me, me, me, me, me, me, me, me, me,
		lim}
	query := homeNewest
	if q.Oldest {
		query = homeOldest
	}
	if s.dialect.HomeItems != nil {
		query, args = s.dialect.HomeItems(q.Oldest), []any{me, before, after, lim}
	}
	return query, args
}

func (s *Store) home(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, error) {
	query, args := s.homeSQL(q)
	items, err := s.items(ctx, query, args...)
	if q.Oldest {
		slices.Reverse(items)
	}
	if err != nil {
		return nil, err
	}
	return s.itemTweets(ctx, q.Viewer, items)
}

// item is a tweet's place on a list: the id of the row that put it
// there (the tweet's own, a repost's, a bookmark's or a like's), which
// pages the list, and the reposter's username for a repost.
type item struct {
	id, tweet  tweets.ID
	reposter   string
	reposterID tweets.ID
}

// items runs a query of (item, tweet, reposter, reposter's id) rows.
func (s *Store) items(ctx context.Context, query string, args ...any) ([]item, error) {
	rows, err := s.query(ctx, s.q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.tweet, &it.reposter, &it.reposterID); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// itemTweets reads the tweets of items, as viewer sees them, in the
// items' order and with their places, in one query plus one for media.
func (s *Store) itemTweets(ctx context.Context, viewer tweets.ID, items []item) ([]tweets.Tweet, error) {
	ids := make([]tweets.ID, len(items))
	for i, it := range items {
		ids[i] = it.tweet
	}
	byID, err := s.tweetsByID(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	ts := make([]tweets.Tweet, 0, len(items))
	for _, it := range items {
		t, ok := byID[it.tweet]
		if !ok {
			continue // deleted between the two queries
		}
		t.Item, t.RepostedBy = it.id, it.reposter
		ts = append(ts, t)
	}
	return ts, nil
}

// tweetsByID reads the tweets with the ids, as viewer sees them.
func (s *Store) tweetsByID(ctx context.Context, viewer tweets.ID, ids []tweets.ID) (map[tweets.ID]tweets.Tweet, error) {
	out := map[tweets.ID]tweets.Tweet{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	ts, err := s.tweets(ctx, viewer, tweetSelect+" WHERE t.id IN ("+strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, nil
}

// ancestors walks up the reply chain from a tweet, nearest first.
const ancestors = `WITH RECURSIVE up (id, depth) AS (
  SELECT reply_to_id, 1 FROM tweets WHERE id = ? AND reply_to_id IS NOT NULL
  UNION ALL
  SELECT t.reply_to_id, up.depth + 1 FROM tweets t JOIN up ON t.id = up.id
  WHERE t.reply_to_id IS NOT NULL AND up.depth < ?
) SELECT id FROM up ORDER BY depth`

// Thread implements tweets.SocialStore.
func (s *Store) Thread(ctx context.Context, id, viewer tweets.ID, limit int) (th tweets.Thread, err error) {
	defer tweets.Wrap(&err, "thread of %d", id)
	self, err := s.tweetsByID(ctx, viewer, []tweets.ID{id})
	if err != nil {
		return th, err
	}
	t, ok := self[id]
	if !ok {
		return th, tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	th.Tweet = t
	if limit <= 0 {
		return th, nil
	}
	rows, err := s.query(ctx, s.q, ancestors, id, limit)
	if err != nil {
		return th, err
	}
	var up []tweets.ID
	for rows.Next() {
		var a tweets.ID
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return th, err
		}
		up = append(up, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return th, err
	}
	found, err := s.tweetsByID(ctx, viewer, up)
	if err != nil {
		return th, err
	}
	blocked, err := s.blockedAmong(ctx, viewer, found)
	if err != nil {
		return th, err
	}
	// Oldest first; the chain stops at a deleted tweet (its id is known,
	// its own parent is not), and hidden accounts' tweets are left out.
	for i := len(up) - 1; i >= 0; i-- {
		if a, ok := found[up[i]]; ok && !a.AuthorSuspended && !blocked[a.AuthorID] {
			th.Ancestors = append(th.Ancestors, a)
		}
	}
	cond, n := hidden("t.author_id", true)
	args := append([]any{id}, viewerArgs(viewer, n)...)
	th.Replies, err = s.tweets(ctx, viewer, tweetSelect+" WHERE t.reply_to_id = ? AND u.suspended_at IS NULL AND "+cond+" ORDER BY t.id LIMIT ?",
		append(args, limit)...)
	return th, err
}

// LikesBy implements tweets.SocialStore.
func (s *Store) LikesBy(ctx context.Context, userID, before tweets.ID, limit int) (ls []tweets.Like, err error) {
	defer tweets.Wrap(&err, "likes by %d", userID)
	err = s.actions(ctx, "likes", userID, before, limit, func(id, tweet tweets.ID, at time.Time) {
		ls = append(ls, tweets.Like{ID: id, UserID: userID, TweetID: tweet, CreatedAt: at})
	})
	return ls, err
}

// RepostsBy implements tweets.SocialStore.
func (s *Store) RepostsBy(ctx context.Context, userID, before tweets.ID, limit int) (rs []tweets.Repost, err error) {
	defer tweets.Wrap(&err, "reposts by %d", userID)
	err = s.actions(ctx, "reposts", userID, before, limit, func(id, tweet tweets.ID, at time.Time) {
		rs = append(rs, tweets.Repost{ID: id, UserID: userID, TweetID: tweet, CreatedAt: at})
	})
	return rs, err
}

// actions pages through one account's rows of likes, reposts or
// bookmarks, which share their columns.
func (s *Store) actions(ctx context.Context, table string, userID, before tweets.ID, limit int, add func(id, tweet tweets.ID, at time.Time)) error {
	if before == 0 {
		before = math.MaxInt64
	}
	rows, err := s.query(ctx, s.q, "SELECT id, tweet_id, created_at FROM "+table+" WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
		userID, before, limit)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, tweet tweets.ID
		var at time.Time
		if err := rows.Scan(&id, &tweet, &at); err != nil {
			return err
		}
		add(id, tweet, at.UTC())
	}
	return rows.Err()
}

// Block implements tweets.SocialStore.
func (s *Store) Block(ctx context.Context, id, blocker, blocked tweets.ID, at time.Time) (err error) {
	defer tweets.Wrap(&err, "block")
	_, err = s.exec(ctx, s.q, "INSERT INTO blocks (id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?)", id, blocker, blocked, at.UTC())
	return err
}

// Unblock implements tweets.SocialStore.
func (s *Store) Unblock(ctx context.Context, blocker, blocked tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unblock")
	res, err := s.exec(ctx, s.q, "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", blocker, blocked)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// Mute implements tweets.SocialStore.
func (s *Store) Mute(ctx context.Context, id, muter, muted tweets.ID, at time.Time) (err error) {
	defer tweets.Wrap(&err, "mute")
	_, err = s.exec(ctx, s.q, "INSERT INTO mutes (id, muter_id, muted_id, created_at) VALUES (?, ?, ?, ?)", id, muter, muted, at.UTC())
	return err
}

// Unmute implements tweets.SocialStore.
func (s *Store) Unmute(ctx context.Context, muter, muted tweets.ID) (err error) {
	defer tweets.Wrap(&err, "unmute")
	res, err := s.exec(ctx, s.q, "DELETE FROM mutes WHERE muter_id = ? AND muted_id = ?", muter, muted)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// hidden is the condition that leaves out the tweets of an account
// (column) that blocks the viewer or that the viewer blocks, and, with
// muted, those of an account the viewer mutes; its placeholders all take
// the viewer's id, as many as viewerArgs says.
func hidden(column string, muted bool) (cond string, viewerArgs int) {
	cond = "NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = " + column + " AND b.blocked_id = ?) OR (b.blocker_id = ? AND b.blocked_id = " + column + "))"
	if !muted {
		return cond, 2
	}
	return cond + " AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ? AND m.muted_id = " + column + ")", 3
}

// viewerArgs repeats the viewer's id for n placeholders.
func viewerArgs(viewer tweets.ID, n int) []any {
	args := make([]any, n)
	for i := range args {
		args[i] = viewer
	}
	return args
}

// blockedAmong says which authors of ts block the viewer or are blocked
// by them.
func (s *Store) blockedAmong(ctx context.Context, viewer tweets.ID, ts map[tweets.ID]tweets.Tweet) (map[tweets.ID]bool, error) {
	out := map[tweets.ID]bool{}
	if viewer == 0 || len(ts) == 0 {
		return out, nil
	}
	rows, err := s.query(ctx, s.q, "SELECT blocker_id, blocked_id FROM blocks WHERE blocker_id = ? OR blocked_id = ?", viewer, viewer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b tweets.ID
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[a], out[b] = true, true
	}
	delete(out, viewer)
	return out, rows.Err()
}

// Blocked implements tweets.SocialStore.
func (s *Store) Blocked(ctx context.Context, id tweets.ID) ([]tweets.User, error) {
	return s.listed(ctx, "SELECT "+prefixed("u", userColumns)+" FROM blocks x JOIN users u ON u.id = x.blocked_id WHERE x.blocker_id = ? ORDER BY x.id DESC", id)
}

// Muted implements tweets.SocialStore.
func (s *Store) Muted(ctx context.Context, id tweets.ID) ([]tweets.User, error) {
	return s.listed(ctx, "SELECT "+prefixed("u", userColumns)+" FROM mutes x JOIN users u ON u.id = x.muted_id WHERE x.muter_id = ? ORDER BY x.id DESC", id)
}

func (s *Store) listed(ctx context.Context, query string, id tweets.ID) (us []tweets.User, err error) {
	defer tweets.Wrap(&err, "accounts listed by %d", id)
	rows, err := s.query(ctx, s.q, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// Engagers implements tweets.SocialStore.
func (s *Store) Engagers(ctx context.Context, tweetID tweets.ID, reposts bool, limit int) ([]tweets.User, error) {
	table := "likes"
	if reposts {
		table = "reposts"
	}
	return s.listed(ctx, "SELECT "+prefixed("u", userColumns)+" FROM "+table+" x JOIN users u ON u.id = x.user_id"+
		" WHERE x.tweet_id = ? AND u.suspended_at IS NULL ORDER BY x.id DESC LIMIT "+strconv.Itoa(limit), tweetID)
}

// Engaged implements tweets.SocialStore.
func (s *Store) Engaged(ctx context.Context, tweetID tweets.ID, limit int) (ids []tweets.ID, err error) {
	defer tweets.Wrap(&err, "accounts engaged with %d", tweetID)
	rows, err := s.query(ctx, s.q, `SELECT user_id FROM likes WHERE tweet_id = ? UNION SELECT user_id FROM reposts WHERE tweet_id = ?
		UNION SELECT author_id FROM tweets WHERE quote_id = ? LIMIT ?`, tweetID, tweetID, tweetID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id tweets.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
