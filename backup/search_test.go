package backup_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/sqlstore"
)

// TestSearchAfterRestore: a restored database finds tweets by words,
// hashtag and mention, on each database and from one to the other,
// although no full-text index is in the archive; and a restore that
// replaces data leaves nothing of the old tweets in the index.
func TestSearchAfterRestore(t *testing.T) {
	bs := testapp.Backends()
	for _, pair := range [][2]testapp.Backend{{bs[0], bs[0]}, {bs[1], bs[1]}, {bs[0], bs[1]}, {bs[1], bs[0]}} {
		t.Run(pair[0].Name+"_to_"+pair[1].Name, func(t *testing.T) {
			ctx := context.Background()
			src := seed(t, pair[0].Open(t))
			archive, _ := write(t, src, nil)

			dst := pair[1].Open(t)
			old := testapp.Service(t, dst, nil)
			u, err := old.CreateAccount(ctx, "someone", "password-someone")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := old.PostTweet(ctx, u, "ancien message #ancien", nil); err != nil {
				t.Fatal(err)
			}
			if err := restore(archive, dst, newDisk(t), backup.RestoreOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			bob, err := dst.UserByUsername(ctx, "bob_2")
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				q    tweets.TweetSearch
				want string
			}{
				{tweets.TweetSearch{Words: "WORLD"}, "héllo"},
				{tweets.TweetSearch{Words: "héllo line"}, "héllo"},
				{tweets.TweetSearch{Words: "🐦"}, "héllo"},
				{tweets.TweetSearch{Tag: "café"}, "plain text"},
				{tweets.TweetSearch{Mention: bob.ID}, "plain text"},
				{tweets.TweetSearch{Words: "ancien"}, ""},
				{tweets.TweetSearch{Tag: "ancien"}, ""},
			} {
				checkFound(t, dst, tc.q, tc.want)
			}
		})
	}
}

// checkFound fails unless the search finds one tweet that starts with
// want, or none when want is empty.
func checkFound(t *testing.T, s *sqlstore.Store, q tweets.TweetSearch, want string) {
	t.Helper()
	q.Limit = 10
	ts, err := s.FindTweets(context.Background(), q)
	if err != nil {
		t.Fatalf("FindTweets(%+v): %v", q, err)
	}
	switch {
	case want == "" && len(ts) != 0:
		t.Errorf("FindTweets(%+v) found %q, want nothing", q, ts[0].Text)
	case want != "" && (len(ts) != 1 || !strings.HasPrefix(ts[0].Text, want)):
		t.Errorf("FindTweets(%+v) found %d tweets %v, want one starting %q", q, len(ts), ts, want)
	}
}
