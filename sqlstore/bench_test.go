package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
)

// BenchmarkStore measures the hot queries on each database: a timeline
// page (newest, and deep with a cursor), a profile page, a search, and a
// post.
func BenchmarkStore(b *testing.B) {
	for _, be := range testapp.Backends() {
		s := be.Open(b)
		ctx := context.Background()
		ids := tweets.NewIDGenerator(nil)
		var users []tweets.User
		for i := 0; i < 20; i++ {
			u := tweets.User{ID: ids.New(), Username: fmt.Sprintf("user%d", i), PasswordHash: "x", CreatedAt: time.Now()}
			if err := s.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			users = append(users, u)
		}
		var mid tweets.ID
		const n = 5000
		for i := 0; i < n; i++ {
			t := tweets.Tweet{ID: ids.New(), AuthorID: users[i%len(users)].ID, Text: "benchmark tweet text", CreatedAt: time.Now()}
			if err := s.CreateTweet(ctx, t); err != nil {
				b.Fatal(err)
			}
			if i == n/2 {
				mid = t.ID
			}
		}
		// Statistics, as a database that has been running has them (and as
		// tweets seed leaves them): without, PostgreSQL plans every count
		// of a page as a scan.
		if _, err := s.DB.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		b.Run(be.Name+"/timeline", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Timeline(ctx, tweets.TimelineQuery{Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.Name+"/timeline-deep", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Timeline(ctx, tweets.TimelineQuery{Before: mid, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.Name+"/profile", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: users[3].ID, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// A search that matches nothing reads every tweet: the cost of
		// folding case row by row.
		b.Run(be.Name+"/search-miss", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Timeline(ctx, tweets.TimelineQuery{Search: "Écoles", Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(be.Name+"/post", func(b *testing.B) {
			for b.Loop() {
				t := tweets.Tweet{ID: ids.New(), AuthorID: users[0].ID, Text: "posted in a benchmark", CreatedAt: time.Now()}
				if err := s.CreateTweet(ctx, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
