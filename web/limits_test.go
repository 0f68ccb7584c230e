package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/burst"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/webtest"
	"github.com/tweetsdev/tweets/redis"
)

// TestLimitsUnderParallelRequests sends 50 requests at once against each
// limit, on both databases, with in-process and with Redis counters: the
// limits hold exactly, where checking before recording let most through.
func TestLimitsUnderParallelRequests(t *testing.T) {
	for _, b := range testapp.Backends() {
		for _, counters := range []string{"in-process", "redis"} {
			t.Run(b.Name+"/"+counters, func(t *testing.T) {
				s := newSite(t, b)
				if counters == "redis" {
					rc, err := redis.Open(context.Background(), redistest.Start(t).URL(), slog.New(slog.NewTextHandler(io.Discard, nil)))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { rc.Close() })
					s.svc.Limits = tweets.NewLimits(nil, rc.Limiter)
				}
				testParallelLimits(t, s)
			})
		}
	}
}

func testParallelLimits(t *testing.T, s *site) {
	ctx := context.Background()
	const n = 50
	from := []string{"X-Forwarded-For", "198.51.100.20"}
	browsers := func(path string) []*webtest.Browser {
		bs := make([]*webtest.Browser, n)
		for i := range bs {
			bs[i] = s.browser()
			bs[i].Get(path)
		}
		return bs
	}
	users := func() int {
		c, err := s.svc.Store.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	// Sign-ups: 10 an hour per address.
	before := users()
	bs := browsers("/signup")
	created := burst.Count(n, func(i int) bool {
		r := bs[i].Post("/signup", url.Values{"username": {"racer" + strconv.Itoa(i)}, "password": {"password1"}}, from...)
		return r.StatusCode == 303
	})
	if got := users() - before; created != 10 || got != 10 {
		t.Errorf("50 parallel sign-ups from one address: %d answered 303, %d accounts created; want 10", created, got)
	}

	// Log-ins: 10 failures per account and address; every guess is
	// counted before its password is checked.
	if _, err := s.svc.CreateAccount(ctx, "target", "password1"); err != nil {
		t.Fatal(err)
	}
	bs = browsers("/login")
	checked := burst.Count(n, func(i int) bool {
		r := bs[i].Post("/login", url.Values{"username": {"target"}, "password": {"wrong-pass"}}, from...)
		return r.StatusCode == 401
	})
	if checked != 10 {
		t.Errorf("50 parallel wrong passwords: %d checked, want 10 (the rest 429)", checked)
	}

	// Posts: 30 a minute per account.
	poster, err := s.svc.CreateAccount(ctx, "poster", "password1")
	if err != nil {
		t.Fatal(err)
	}
	bs = make([]*webtest.Browser, n)
	for i := range bs {
		bs[i] = s.browser()
		bs[i].LogIn("poster", "password1")
	}
	posted := burst.Count(n, func(i int) bool {
		return bs[i].PostTweet("race "+strconv.Itoa(i), "", nil).StatusCode == 303
	})
	stored, err := s.svc.Timeline(ctx, tweets.TimelineQuery{AuthorID: poster.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if posted != 30 || len(stored) != 30 {
		t.Errorf("50 parallel posts: %d answered 303, %d stored; want 30", posted, len(stored))
	}

	// Reports: 20 an hour per account, on 50 different tweets.
	if _, err := s.svc.CreateAccount(ctx, "reporter", "password1"); err != nil {
		t.Fatal(err)
	}
	targets := make([]tweets.ID, n)
	for i := range targets {
		tw := tweets.Tweet{ID: s.svc.IDs.New(), AuthorID: poster.ID, Text: "reportable", CreatedAt: time.Now()}
		if err := s.svc.Store.CreateTweet(ctx, tw); err != nil {
			t.Fatal(err)
		}
		targets[i] = tw.ID
	}
	for i := range bs {
		bs[i] = s.browser()
		bs[i].LogIn("reporter", "password1")
	}
	reported := burst.Count(n, func(i int) bool {
		r := bs[i].Post("/tweets/"+targets[i].String()+"/report", url.Values{"reason": {"Spam"}})
		return r.StatusCode == 303
	})
	open, err := s.svc.Store.CountOpenReports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if reported != 20 || open != 20 {
		t.Errorf("50 parallel reports: %d answered 303, %d stored; want 20", reported, open)
	}
}
