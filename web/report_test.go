package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/tweetsdev/tweets"
)

// TestReportOncePerTweet: sending the report form again and again files
// one report; once an admin resolves it, the user may report again; no
// one may report their own tweet.
func TestReportOncePerTweet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		// Duplicates, not the rate of reports (TestLimitsUnderParallelRequests).
		s.svc.Limits.Report = nil
		bob := s.browser()
		bob.SignUp("bob", "password1")
		bob.PostTweet("buy cheap watches", "", nil)
		ts, err := s.svc.Timeline(ctx, tweets.TimelineQuery{})
		if err != nil || len(ts) != 1 {
			t.Fatalf("timeline: %v %v", ts, err)
		}
		reportPath := "/tweets/" + ts[0].ID.String() + "/report"
		// A new form each time: Post fills in the browser's CSRF token.
		form := func() url.Values { return url.Values{"reason": {"Spam"}, "note": {"again and again"}} }
		openReports := func() []tweets.Report {
			t.Helper()
			rs, err := s.svc.Store.Reports(ctx, tweets.ReportQuery{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return rs
		}

		carol := s.browser()
		carol.SignUp("carol", "password1")
		carol.Get(reportPath)
		expect(t, carol.Post(reportPath, form()), 303)
		for i := 1; i < 60; i++ {
			r := carol.Post(reportPath, form())
			if r.StatusCode != 409 {
				t.Fatalf("report %d of the same tweet: status %d, want 409", i+1, r.StatusCode)
			}
			if i == 1 {
				expect(t, r, 409, "You have already reported this tweet; an admin will look at it.")
			}
		}
		if rs := openReports(); len(rs) != 1 || rs[0].Reporter != "carol" {
			t.Fatalf("after 60 identical reports: %d open reports, want 1: %+v", len(rs), rs)
		}

		// No reporting one's own tweet.
		bob.Get(reportPath)
		expect(t, bob.Post(reportPath, form()), 403, "You cannot report your own tweet.")
		if rs := openReports(); len(rs) != 1 {
			t.Errorf("bob reported his own tweet: %+v", rs)
		}

		// Resolved: carol may report it again.
		root, err := s.svc.CreateAccount(ctx, "root", "password1")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.svc.Store.SetAdmin(ctx, root.ID, true); err != nil {
			t.Fatal(err)
		}
		root.IsAdmin = true
		if err := s.svc.ResolveReport(ctx, root, openReports()[0].ID, "warned bob"); err != nil {
			t.Fatal(err)
		}
		expect(t, carol.Post(reportPath, form()), 303)
		expect(t, carol.Post(reportPath, form()), 409, "already reported")
		if rs := openReports(); len(rs) != 1 {
			t.Errorf("after the report was resolved and filed again: %d open reports, want 1", len(rs))
		}
	})
}
