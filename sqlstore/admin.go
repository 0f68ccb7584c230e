package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// SetSuspended implements tweets.AdminStore.
func (s *Store) SetSuspended(ctx context.Context, id tweets.ID, at time.Time) (err error) {
	defer tweets.Wrap(&err, "suspend user %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE users SET suspended_at = ? WHERE id = ?", nullTime(at), id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// ListUsers implements tweets.AdminStore.
func (s *Store) ListUsers(ctx context.Context, q tweets.UserQuery) (us []tweets.User, err error) {
	defer tweets.Wrap(&err, "list users")
	var where []string
	var args []any
	if q.Search != "" {
		byName, nameArgs := s.dialect.ContainsFold("username", q.Search)
		byDisplay, displayArgs := s.dialect.ContainsFold("display_name", q.Search)
		where = append(where, "("+byName+" OR "+byDisplay+")")
		args = append(append(args, nameArgs...), displayArgs...)
	}
	if q.Before != 0 {
		where, args = append(where, "id < ?"), append(args, q.Before)
	}
	query := "SELECT " + userColumns + " FROM users"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.query(ctx, s.q, query+" ORDER BY id DESC LIMIT ?", append(args, q.Limit)...)
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

// CountTweets implements tweets.AdminStore.
func (s *Store) CountTweets(ctx context.Context) (n int, err error) {
	defer tweets.Wrap(&err, "count tweets")
	err = s.queryRow(ctx, s.q, "SELECT COUNT(*) FROM tweets").Scan(&n)
	return n, s.mapError(err)
}

const msPerDay = 24 * 60 * 60 * 1000

// DailyCounts implements tweets.AdminStore. Ids carry their creation
// time in milliseconds above bit 16, so the day is integer arithmetic on
// the id: the same SQL on both databases, served by the primary key.
func (s *Store) DailyCounts(ctx context.Context, what string, since time.Time) (ds []tweets.DayCount, err error) {
	defer tweets.Wrap(&err, "daily counts of %s", what)
	if what != "users" && what != "tweets" {
		return nil, tweets.Errorf(tweets.CodeInvalid, "cannot count %q per day", what)
	}
	rows, err := s.query(ctx, s.q,
		"SELECT (id >> 16) / "+strconv.Itoa(msPerDay)+" AS day, COUNT(*) FROM "+what+" WHERE id >= ? GROUP BY 1 ORDER BY 1",
		tweets.MinIDAt(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var d tweets.DayCount
		if err := rows.Scan(&day, &d.Count); err != nil {
			return nil, err
		}
		d.Day = time.UnixMilli(day * msPerDay).UTC()
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// CreateReport implements tweets.AdminStore.
func (s *Store) CreateReport(ctx context.Context, r tweets.Report) (err error) {
	defer tweets.Wrap(&err, "create report")
	_, err = s.exec(ctx, s.q, `INSERT INTO reports (id, tweet_id, tweet_author_id, tweet_text, reporter_id, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.TweetID, r.TweetAuthorID, r.TweetText, r.ReporterID, r.Reason, r.CreatedAt.UTC())
	return err
}

const reportSelect = `SELECT r.id, r.tweet_id, r.tweet_author_id, COALESCE(a.username, ''), r.tweet_text, r.reporter_id,
	COALESCE(p.username, ''), r.reason, r.created_at, r.resolved_at, COALESCE(r.resolved_by, 0), r.resolution
	FROM reports r LEFT JOIN users a ON a.id = r.tweet_author_id LEFT JOIN users p ON p.id = r.reporter_id`

func (s *Store) reports(ctx context.Context, query string, args ...any) ([]tweets.Report, error) {
	rows, err := s.query(ctx, s.q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []tweets.Report
	for rows.Next() {
		var r tweets.Report
		var resolved sql.NullTime
		if err := rows.Scan(&r.ID, &r.TweetID, &r.TweetAuthorID, &r.TweetAuthor, &r.TweetText, &r.ReporterID,
			&r.Reporter, &r.Reason, &r.CreatedAt, &resolved, &r.ResolvedBy, &r.Resolution); err != nil {
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		if resolved.Valid {
			r.ResolvedAt = resolved.Time.UTC()
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

// ReportByID implements tweets.AdminStore.
func (s *Store) ReportByID(ctx context.Context, id tweets.ID) (r tweets.Report, err error) {
	defer tweets.Wrap(&err, "report %d", id)
	rs, err := s.reports(ctx, reportSelect+" WHERE r.id = ?", id)
	if err != nil {
		return r, err
	}
	if len(rs) == 0 {
		return r, tweets.Errorf(tweets.CodeNotFound, "There is no such report.")
	}
	return rs[0], nil
}

// Reports implements tweets.AdminStore.
func (s *Store) Reports(ctx context.Context, q tweets.ReportQuery) (rs []tweets.Report, err error) {
	defer tweets.Wrap(&err, "list reports")
	where := "r.resolved_at IS NULL"
	if q.Resolved {
		where = "r.resolved_at IS NOT NULL"
	}
	args := []any{}
	if q.Before != 0 {
		where += " AND r.id < ?"
		args = append(args, q.Before)
	}
	return s.reports(ctx, reportSelect+" WHERE "+where+" ORDER BY r.id DESC LIMIT ?", append(args, q.Limit)...)
}

// CountOpenReports implements tweets.AdminStore.
func (s *Store) CountOpenReports(ctx context.Context) (n int, err error) {
	defer tweets.Wrap(&err, "count open reports")
	err = s.queryRow(ctx, s.q, "SELECT COUNT(*) FROM reports WHERE resolved_at IS NULL").Scan(&n)
	return n, s.mapError(err)
}

// ResolveReport implements tweets.AdminStore. Resolving twice is refused.
func (s *Store) ResolveReport(ctx context.Context, id, by tweets.ID, resolution string, at time.Time) (err error) {
	defer tweets.Wrap(&err, "resolve report %d", id)
	res, err := s.exec(ctx, s.q, "UPDATE reports SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL",
		at.UTC(), by, resolution, id)
	if err != nil {
		return err
	}
	return affectedOne(res)
}

// AddAuditEntry implements tweets.AdminStore.
func (s *Store) AddAuditEntry(ctx context.Context, e tweets.AuditEntry) (err error) {
	defer tweets.Wrap(&err, "write audit log")
	_, err = s.exec(ctx, s.q, "INSERT INTO audit_log (id, actor_id, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		e.ID, e.ActorID, e.Action, e.Target, e.Detail, e.CreatedAt.UTC())
	return err
}

// AuditLog implements tweets.AdminStore.
func (s *Store) AuditLog(ctx context.Context, before tweets.ID, limit int) (es []tweets.AuditEntry, err error) {
	defer tweets.Wrap(&err, "read audit log")
	query := "SELECT l.id, l.actor_id, COALESCE(u.username, ''), l.action, l.target, l.detail, l.created_at FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id"
	args := []any{}
	if before != 0 {
		query += " WHERE l.id < ?"
		args = append(args, before)
	}
	rows, err := s.query(ctx, s.q, query+" ORDER BY l.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e tweets.AuditEntry
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		es = append(es, e)
	}
	return es, rows.Err()
}
