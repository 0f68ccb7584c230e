package tweets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Admin actions. Each checks that the actor is an admin and writes an
// audit entry in the transaction of the action, so that every moderation
// decision can be traced: an action whose entry cannot be written is not
// taken.

func requireAdmin(actor User) error {
	if !actor.IsAdmin || actor.Suspended() {
		return Errorf(CodeForbidden, "Only admins may do this.")
	}
	return nil
}

func (s *Service) audit(ctx context.Context, tx Store, actor User, action, target, detail string) error {
	return tx.AddAuditEntry(ctx, AuditEntry{
		ID: s.IDs.New(), ActorID: actor.ID, Action: action, Target: target, Detail: detail, CreatedAt: s.now(),
	})
}

// AdminStats returns the dashboard figures for the last days.
func (s *Service) AdminStats(ctx context.Context, actor User, days int) (st Stats, err error) {
	if err := requireAdmin(actor); err != nil {
		return st, err
	}
	if st.Users, err = s.Store.CountUsers(ctx); err != nil {
		return st, err
	}
	if st.Tweets, err = s.Store.CountTweets(ctx); err != nil {
		return st, err
	}
	if st.OpenReports, err = s.Store.CountOpenReports(ctx); err != nil {
		return st, err
	}
	since := s.now().Truncate(24*time.Hour).AddDate(0, 0, -(days - 1))
	if st.SignupsPerDay, err = s.dailyCounts(ctx, "users", since, days); err != nil {
		return st, err
	}
	st.TweetsPerDay, err = s.dailyCounts(ctx, "tweets", since, days)
	return st, err
}

// dailyCounts fills in the days with nothing, so charts have no gaps.
func (s *Service) dailyCounts(ctx context.Context, what string, since time.Time, days int) ([]DayCount, error) {
	got, err := s.Store.DailyCounts(ctx, what, since)
	if err != nil {
		return nil, err
	}
	byDay := map[time.Time]int{}
	for _, d := range got {
		byDay[d.Day] = d.Count
	}
	out := make([]DayCount, days)
	for i := range out {
		day := since.AddDate(0, 0, i)
		out[i] = DayCount{Day: day, Count: byDay[day]}
	}
	return out, nil
}

// AdminUsers lists accounts, suspended ones included.
func (s *Service) AdminUsers(ctx context.Context, actor User, q UserQuery) ([]User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := CheckText("q", q.Search); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = AdminPageSize
	}
	return s.Store.ListUsers(ctx, q)
}

// AdminTweets lists tweets, those of suspended accounts included.
func (s *Service) AdminTweets(ctx context.Context, actor User, q TimelineQuery) ([]Tweet, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := CheckText("q", q.Search); err != nil {
		return nil, err
	}
	q.IncludeSuspended = true
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = AdminPageSize
	}
	return s.Store.Timeline(ctx, q)
}

// AdminDeleteTweet deletes anyone's tweet.
func (s *Service) AdminDeleteTweet(ctx context.Context, actor User, id ID) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	var t Tweet
	err := s.Store.Atomic(ctx, func(tx Store) (err error) {
		if t, err = tx.TweetByID(ctx, id); err != nil {
			return err
		}
		if err := tx.DeleteTweet(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "tweet.delete", "tweet "+id.String()+" by @"+t.Author, Excerpt(t.Text, 80))
	})
	if err != nil {
		return err
	}
	s.tweetRemoved(ctx, t)
	return nil
}

// SetSuspended suspends an account (logging it out everywhere) or lifts
// the suspension.
func (s *Service) SetSuspended(ctx context.Context, actor User, id ID, suspend bool) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if id == actor.ID {
		return Errorf(CodeInvalid, "You cannot suspend your own account.")
	}
	at, action := time.Time{}, "user.unsuspend"
	if suspend {
		at, action = s.now(), "user.suspend"
	}
	err := s.Store.Atomic(ctx, func(tx Store) error {
		u, err := tx.UserByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetSuspended(ctx, id, at); err != nil {
			return err
		}
		if suspend {
			if err := tx.DeleteUserSessions(ctx, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, action, "@"+u.Username, "")
	})
	if err != nil {
		return err
	}
	kind := EventUserUnsuspended
	if suspend {
		kind = EventUserSuspended
	}
	s.publish(ctx, Event{Kind: kind, Account: id})
	return nil
}

// Report reasons offered to users.
var ReportReasons = []string{"Spam", "Harassment or abuse", "Illegal content", "Other"}

// ReportTweet files a report about a tweet the reporter may see (not
// one of an account that blocks them). A user has at most one open
// report on a tweet (the store enforces it, so that simultaneous requests
// cannot add copies), and none on their own tweets.
func (s *Service) ReportTweet(ctx context.Context, reporter User, tweetID ID, reason, note string) (Report, error) {
	if reporter.Suspended() {
		return Report{}, errSuspended
	}
	if wait, ok := take(ctx, s.Limits.Report, reporter.ID.String()); !ok {
		return Report{}, tooMany(wait, "You have sent many reports in a short time. Try again in %s.", roundUp(wait))
	}
	if err := CheckText("note", note); err != nil {
		return Report{}, err
	}
	t, err := s.VisibleTweet(ctx, &reporter, tweetID)
	if err != nil {
		return Report{}, err
	}
	if t.AuthorID == reporter.ID {
		return Report{}, Errorf(CodeForbidden, "You cannot report your own tweet. If you no longer want it, delete it.")
	}
	valid := false
	for _, r := range ReportReasons {
		valid = valid || r == reason
	}
	if !valid {
		return Report{}, Invalid("reason", "Choose a reason for the report.")
	}
	note = strings.TrimSpace(note)
	if n := len([]rune(note)); n > 1000 {
		return Report{}, Invalid("note", "The note has %d characters; the limit is 1000.", n)
	}
	if note != "" {
		reason += ": " + note
	}
	r := Report{TweetID: t.ID, TweetAuthorID: t.AuthorID, TweetAuthor: t.Author, TweetText: t.Text,
		ReporterID: reporter.ID, Reporter: reporter.Username, Reason: reason, CreatedAt: s.now()}
	// A conflict is an open report by this user, or (rarely) an id that
	// another replica made in the same millisecond: a second conflict
	// with a new id is the open report.
	for attempt := 0; attempt < 2; attempt++ {
		r.ID = s.IDs.New()
		if err = s.Store.CreateReport(ctx, r); !errors.Is(err, ErrConflict) {
			break
		}
	}
	if errors.Is(err, ErrConflict) {
		return Report{}, Errorf(CodeConflict, "You have already reported this tweet; an admin will look at it.")
	}
	if err != nil {
		return Report{}, err
	}
	return r, nil
}

// Reports lists open or resolved reports.
func (s *Service) Reports(ctx context.Context, actor User, q ReportQuery) ([]Report, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = AdminPageSize
	}
	return s.Store.Reports(ctx, q)
}

// ResolveReport closes a report with a note of what was done.
func (s *Service) ResolveReport(ctx context.Context, actor User, id ID, resolution string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if err := CheckText("resolution", resolution); err != nil {
		return err
	}
	resolution = strings.TrimSpace(resolution)
	if resolution == "" {
		return Invalid("resolution", "Say how the report was resolved.")
	}
	if n := len([]rune(resolution)); n > 500 {
		return Invalid("resolution", "The resolution has %d characters; the limit is 500.", n)
	}
	// Read in the transaction too, so that of two admins resolving the
	// report at once, the second is told that the first did.
	return s.Store.Atomic(ctx, func(tx Store) error {
		r, err := tx.ReportByID(ctx, id)
		if err != nil {
			return err
		}
		if !r.Open() {
			return Errorf(CodeConflict, "This report was already resolved.")
		}
		if err := tx.ResolveReport(ctx, id, actor.ID, resolution, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "report.resolve", fmt.Sprintf("report %s on tweet %s", id, r.TweetID), resolution)
	})
}

// AuditLog lists admin actions, newest first.
func (s *Service) AuditLog(ctx context.Context, actor User, before ID) ([]AuditEntry, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return s.Store.AuditLog(ctx, before, AdminPageSize)
}

// Excerpt is text on one line, cut to n characters (with an ellipsis).
func Excerpt(s string, n int) string {
	return truncate(strings.Join(strings.Fields(s), " "), n)
}

// AdminClearProfile empties an account's display name and bio (an
// offensive profile), and records it in the audit log with what they
// said.
func (s *Service) AdminClearProfile(ctx context.Context, actor User, id ID) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return s.Store.Atomic(ctx, func(tx Store) error {
		u, err := tx.UserByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetProfile(ctx, id, Profile{}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.profile.clear", "@"+u.Username, Excerpt(u.DisplayName+" · "+u.Bio, 200))
	})
}
