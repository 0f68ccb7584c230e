package tweets_test

import (
	"context"
	"testing"

	"github.com/tweetsdev/tweets"
)

// TestReportsOnlyWhatTheReporterSees: a tweet hidden from an account (its
// author blocks it) cannot be reported by it, as it cannot be read by
// it; the one who blocks may still report the tweets of the blocked.
func TestReportsOnlyWhatTheReporterSees(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, bob := mustAccount(t, svc, "alice"), mustAccount(t, svc, "bob")
		alices, err := svc.PostTweet(ctx, alice, "alice's", nil)
		if err != nil {
			t.Fatal(err)
		}
		bobs, err := svc.PostTweet(ctx, bob, "bob's", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Block(ctx, alice, "bob"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReportTweet(ctx, bob, alices.ID, "Spam", ""); tweets.ErrorCode(err) != tweets.CodeNotFound {
			t.Errorf("bob reported the tweet of alice, who blocks him: err = %v", err)
		}
		if _, err := svc.ReportTweet(ctx, alice, bobs.ID, "Harassment or abuse", ""); err != nil {
			t.Errorf("alice could not report the tweet of bob, whom she blocks: %v", err)
		}
	})
}
