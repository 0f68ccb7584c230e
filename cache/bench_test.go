package cache_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/redis"
)

// BenchmarkHomeTimeline reads the first page of a home timeline of a
// reader following 150 accounts (6,000 tweets, 600 reposts) from the
// database's query, and from feeds in memory and in Redis, warm.
func BenchmarkHomeTimeline(b *testing.B) {
	srv := redistest.Start(b)
	for _, be := range testapp.Backends() {
		s := be.Open(b)
		ctx := context.Background()
		ids := tweets.NewIDGenerator(nil)
		var users []tweets.User
		for i := range 200 {
			u := tweets.User{ID: ids.New(), Username: fmt.Sprintf("user%d", i), PasswordHash: "x", CreatedAt: time.Now()}
			if err := s.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			users = append(users, u)
		}
		reader := users[0]
		for _, u := range users[1:151] {
			if err := s.Follow(ctx, tweets.Follow{ID: ids.New(), FollowerID: reader.ID, FolloweeID: u.ID, CreatedAt: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
		var last tweets.ID
		for i := range 6000 {
			t := tweets.Tweet{ID: ids.New(), AuthorID: users[1+i%199].ID, Text: "benchmark tweet text", CreatedAt: time.Now()}
			if err := s.CreateTweet(ctx, t); err != nil {
				b.Fatal(err)
			}
			if i%10 == 0 && last != 0 {
				r := tweets.Repost{ID: ids.New(), UserID: users[1+(i/10)%199].ID, TweetID: last, CreatedAt: time.Now()}
				if err := s.Repost(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			last = t.ID
		}
		if _, err := s.DB.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		rc, err := redis.Open(ctx, srv.URL(), slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		q := tweets.TimelineQuery{Home: reader.ID, Viewer: reader.ID, HideMuted: true, Limit: 20}
		for _, src := range []struct {
			name  string
			store tweets.Store
		}{
			{"database", s},
			{"memory", cache.NewHome(s, s, cache.NewMemoryFeeds(100, cache.DefaultFeedLength, time.Hour), nil)},
			{"redis", cache.NewHome(s, s, rc.Feeds(cache.DefaultFeedLength, time.Hour), nil)},
		} {
			b.Run(be.Name+"/"+src.name, func(b *testing.B) {
				for b.Loop() {
					ts, err := src.store.Timeline(ctx, q)
					if err != nil || len(ts) != 20 {
						b.Fatal(len(ts), err)
					}
				}
			})
		}
		rc.Close()
	}
}
