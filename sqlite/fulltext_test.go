package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/sqlstore"
)

// indexed counts the full-text index's rows for a tweet.
func indexed(t *testing.T, s *sqlstore.Store, id tweets.ID) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow("SELECT COUNT(*) FROM tweets_search WHERE rowid = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSearchIndexFollowsTweets: the triggers index a tweet as it is
// stored and drop it with the tweet, and the migration that makes the
// index fills it with the tweets already there.
func TestSearchIndexFollowsTweets(t *testing.T) {
	ctx := context.Background()
	s := testapp.ByName("sqlite").Open(t)
	ids := tweets.NewIDGenerator(nil)
	now := time.Now()
	alice := tweets.User{ID: ids.New(), Username: "alice", PasswordHash: "x", CreatedAt: now}
	if err := s.CreateUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "Déjà vu", CreatedAt: now}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	if n := indexed(t, s, tw.ID); n != 1 {
		t.Fatalf("a new tweet has %d rows in the index, want 1", n)
	}
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if n := indexed(t, s, tw.ID); n != 0 {
		t.Errorf("a deleted tweet left %d rows in the index", n)
	}

	// Back to before the migration, with a tweet stored then.
	for _, stmt := range []string{
		"DROP TRIGGER tweets_search_insert", "DROP TRIGGER tweets_search_delete", "DROP TRIGGER tweets_search_update",
		"DROP TABLE tweets_search", "DROP TABLE tweet_tags", "DROP TABLE tweet_mentions",
		"DELETE FROM schema_migrations WHERE name = '0006_entities'",
		"INSERT INTO tweets (id, author_id, text, created_at) VALUES (1, " + alice.ID.String() + ", 'Écrit AVANT', '2026-01-01 00:00:00')",
	} {
		if _, err := s.DB.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := s.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ts, err := s.FindTweets(ctx, tweets.TweetSearch{Words: "écrit avant", Limit: 10})
	if err != nil || len(ts) != 1 || ts[0].ID != 1 {
		t.Errorf("after the migration a search for a tweet from before it found %v, %v", ts, err)
	}
}
