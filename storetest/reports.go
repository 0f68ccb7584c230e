package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// testReportOnce: a user has at most one open report on a tweet, however
// many requests race to file it, and may report again once it is
// resolved.
func testReportOnce(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	tw := tweets.Tweet{ID: ids.New(), AuthorID: bob.ID, Text: "cheap watches", CreatedAt: at}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	report := func(by tweets.User) tweets.Report {
		return tweets.Report{ID: ids.New(), TweetID: tw.ID, TweetAuthorID: bob.ID, TweetText: tw.Text,
			ReporterID: by.ID, Reason: "Spam", CreatedAt: at}
	}
	openReports := func() int {
		t.Helper()
		n, err := s.CountOpenReports(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Twenty requests at once: exactly one gets in, the others are told
	// it exists.
	const racers = 20
	errs := make(chan error, racers)
	var wg sync.WaitGroup
	for i := 0; i < racers; i++ {
		r := report(alice)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.CreateReport(ctx, r)
		}()
	}
	wg.Wait()
	close(errs)
	stored := 0
	for err := range errs {
		switch {
		case err == nil:
			stored++
		case !errors.Is(err, tweets.ErrConflict):
			t.Errorf("a racing duplicate report: err = %v, want ErrConflict", err)
		}
	}
	if stored != 1 || openReports() != 1 {
		t.Fatalf("%d concurrent identical reports: %d accepted, %d open; want 1 and 1", racers, stored, openReports())
	}

	// Another user's report on the same tweet is a report of its own.
	carol := mustUser(t, s, "carol")
	if err := s.CreateReport(ctx, report(carol)); err != nil {
		t.Errorf("a second user's report: %v", err)
	}

	// Once resolved, the same user may report the tweet again, and only
	// once again.
	open, err := s.Reports(ctx, tweets.ReportQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range open {
		if r.ReporterID == alice.ID {
			if err := s.ResolveReport(ctx, r.ID, carol.ID, "warned bob", at); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.CreateReport(ctx, report(alice)); err != nil {
		t.Errorf("reporting again after the report was resolved: %v", err)
	}
	if err := s.CreateReport(ctx, report(alice)); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("a duplicate of the new open report: err = %v, want ErrConflict", err)
	}
	if n := openReports(); n != 2 {
		t.Errorf("open reports = %d, want 2 (carol's and alice's second)", n)
	}
}

// testReportOnceMigration: databases that already hold duplicate open
// reports (filed before the rule existed) still migrate. The migration
// keeps each user's oldest open report on a tweet and closes the others,
// so the index can be built. The test takes the migration back out, files
// the duplicates, and applies it again.
func testReportOnceMigration(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	tw := tweets.Tweet{ID: ids.New(), AuthorID: bob.ID, Text: "cheap watches", CreatedAt: at}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, "DROP INDEX reports_one_open"); err != nil {
		t.Fatal(err)
	}
	res, err := s.DB.ExecContext(ctx, "DELETE FROM schema_migrations WHERE name = '0003_report_once'")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("the migration 0003_report_once is not recorded (%d rows)", n)
	}
	var filed []tweets.ID
	for i := 0; i < 3; i++ {
		r := tweets.Report{ID: ids.New(), TweetID: tw.ID, TweetAuthorID: bob.ID, TweetText: tw.Text,
			ReporterID: alice.ID, Reason: "Spam", CreatedAt: at}
		if err := s.CreateReport(ctx, r); err != nil {
			t.Fatalf("duplicate report %d before the migration: %v", i, err)
		}
		filed = append(filed, r.ID)
	}

	if err := s.Migrate(ctx, nil); err != nil {
		t.Fatalf("migrating a database with duplicate open reports: %v", err)
	}
	open, err := s.Reports(ctx, tweets.ReportQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].ID != filed[0] {
		t.Errorf("open reports after the migration: %+v; want only the oldest, %d", open, filed[0])
	}
	closed, err := s.Reports(ctx, tweets.ReportQuery{Resolved: true, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(closed) != 2 {
		t.Fatalf("resolved reports after the migration: %+v; want the 2 duplicates", closed)
	}
	for _, r := range closed {
		if r.ResolvedAt.IsZero() || r.Resolution == "" {
			t.Errorf("a duplicate closed without a time or a reason: %+v", r)
		}
	}
	// The index is back: the rule holds again.
	dup := tweets.Report{ID: ids.New(), TweetID: tw.ID, TweetAuthorID: bob.ID, TweetText: tw.Text,
		ReporterID: alice.ID, Reason: "Spam", CreatedAt: at}
	if err := s.CreateReport(ctx, dup); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("a duplicate after the migration: err = %v, want ErrConflict", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != s.LatestVersion() {
		t.Errorf("schema version %d after migrating again, want %d", v, s.LatestVersion())
	}
}
