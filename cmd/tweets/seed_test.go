package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/seed"
)

// TestSeedOnBothDatabases: a seeded database reads back through the
// Service as if its rows had been posted: profile figures, like, repost
// and reply counts agree with the rows they count, hashtags and words
// are found, home timelines and notifications fill, and the accounts
// log in with the published password.
func TestSeedOnBothDatabases(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			vars := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
			if db == "postgres" {
				vars["DATABASE_URL"] = pgtest.URL(t)
			}
			code, out, errs := runCmd(t, vars, "", "seed", "--users", "200", "--tweets", "5000", "--seed", "7", "--end", "2026-11-01T12:00:00Z")
			if code != 0 {
				t.Fatalf("seed: exit %d\n%s%s", code, out, errs)
			}
			for _, want := range []string{"seeded " + db + ": 200 accounts", "5000 tweets", "password is " + seed.Password} {
				if !strings.Contains(out, want) {
					t.Errorf("summary lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(errs, "tweets: 100% 5000/5000") || !strings.Contains(errs, "rows/s") {
				t.Errorf("no progress with rates on stderr:\n%s", errs)
			}
			c, store := storeFor(t, vars)
			svc, err := newService(context.Background(), c, store)
			if err != nil {
				t.Fatal(err)
			}
			login := regexp.MustCompile(`log in as (\w+)`).FindStringSubmatch(out)
			if login == nil {
				t.Fatalf("no account named to log in as:\n%s", out)
			}
			checkSeeded(t, svc, login[1])
		})
	}
}

func checkSeeded(t *testing.T, svc *tweets.Service, username string) {
	ctx := context.Background()
	if _, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: username, Password: seed.Password, ClientIP: "127.0.0.1"}); err != nil {
		t.Errorf("log in as %s with %s: %v", username, seed.Password, err)
	}
	page, err := svc.Timeline(ctx, tweets.TimelineQuery{Limit: 100})
	if err != nil || len(page) != 100 {
		t.Fatalf("public timeline: %d tweets, %v", len(page), err)
	}
	authors := map[string]bool{}
	var tagged, replied, liked bool
	for _, tw := range page {
		authors[tw.Author] = true
		if tw.CreatedAt != tw.ID.Time() {
			t.Errorf("tweet %d: created %s, its id says %s", tw.ID, tw.CreatedAt, tw.ID.Time())
		}
		likers, err := svc.Engagers(ctx, nil, tw.ID, false, 80)
		if err != nil || tw.Likes <= 80 && len(likers) != tw.Likes {
			t.Errorf("tweet %d: %d likes, %d likers listed (%v)", tw.ID, tw.Likes, len(likers), err)
		}
		reposters, err := svc.Engagers(ctx, nil, tw.ID, true, 80)
		if err != nil || tw.Reposts <= 80 && len(reposters) != tw.Reposts {
			t.Errorf("tweet %d: %d reposts, %d reposters listed (%v)", tw.ID, tw.Reposts, len(reposters), err)
		}
		th, err := svc.Thread(ctx, nil, tw.ID)
		if err != nil || len(th.Replies) != tw.Replies {
			t.Errorf("tweet %d: %d replies, %d in its thread (%v)", tw.ID, tw.Replies, len(th.Replies), err)
		}
		liked = liked || tw.Likes > 0
		replied = replied || tw.ReplyTo != 0
		if tags := tweets.Hashtags(tw.Text); len(tags) > 0 && !tagged {
			tagged = true
			res, err := svc.Search(ctx, tweets.SearchQuery{Text: "#" + tags[0], Limit: 100})
			if err != nil || len(res.Tweets) == 0 {
				t.Errorf("search #%s: %d tweets, %v", tags[0], len(res.Tweets), err)
			}
			for _, r := range res.Tweets {
				if !strings.Contains(strings.Join(tweets.Hashtags(r.Text), " "), tags[0]) {
					t.Errorf("search #%s found %q", tags[0], r.Text)
				}
			}
			_, byTag, err := svc.HashtagTweets(ctx, nil, tags[0], 0)
			if err != nil || len(byTag) == 0 {
				t.Errorf("hashtag page %s: %d tweets, %v", tags[0], len(byTag), err)
			}
		}
	}
	if !tagged || !replied || !liked {
		t.Errorf("the newest 100 tweets have tags %v, replies %v, likes %v: want all", tagged, replied, liked)
	}
	res, err := svc.Search(ctx, tweets.SearchQuery{Text: "coffee"})
	if err != nil || len(res.Tweets) == 0 {
		t.Errorf("search for a word: %d tweets, %v", len(res.Tweets), err)
	}
	for name := range authors {
		p, err := svc.Profile(ctx, nil, name)
		if err != nil {
			t.Fatal(err)
		}
		if n := countPages(t, func(before tweets.ID) ([]tweets.ID, error) {
			_, es, err := svc.FollowList(ctx, name, true, before)
			return followIDs(es), err
		}); n != p.Counts.Followers {
			t.Errorf("@%s: %d followers counted, %d listed", name, p.Counts.Followers, n)
		}
		if n := countPages(t, func(before tweets.ID) ([]tweets.ID, error) {
			_, es, err := svc.FollowList(ctx, name, false, before)
			return followIDs(es), err
		}); n != p.Counts.Following {
			t.Errorf("@%s: follows %d counted, %d listed", name, p.Counts.Following, n)
		}
		if n := countPages(t, func(before tweets.ID) ([]tweets.ID, error) {
			ts, err := svc.Timeline(ctx, tweets.TimelineQuery{AuthorID: p.User.ID, Before: before, Limit: 100})
			ids := make([]tweets.ID, len(ts))
			for i, tw := range ts {
				ids[i] = tw.ID
			}
			return ids, err
		}); n != p.Counts.Tweets {
			t.Errorf("@%s: %d tweets counted, %d listed", name, p.Counts.Tweets, n)
		}
		if p.Counts.Following > 0 {
			home, err := svc.Timeline(ctx, tweets.TimelineQuery{Home: p.User.ID, Viewer: p.User.ID})
			if err != nil || len(home) == 0 {
				t.Errorf("@%s follows %d but the home timeline has %d tweets (%v)", name, p.Counts.Following, len(home), err)
			}
		}
		if p.Counts.Followers > 0 {
			ns, err := svc.NotificationList(ctx, p.User, 0, 50)
			if err != nil || len(ns) == 0 {
				t.Errorf("@%s has %d followers but no notifications (%v)", name, p.Counts.Followers, err)
			}
		}
	}
}

func followIDs(es []tweets.FollowEntry) []tweets.ID {
	ids := make([]tweets.ID, len(es))
	for i, e := range es {
		ids[i] = e.FollowID
	}
	return ids
}

// countPages counts the items of a list read page by page, each page
// starting below the last id of the one before.
func countPages(t *testing.T, page func(before tweets.ID) ([]tweets.ID, error)) int {
	t.Helper()
	n := 0
	var before tweets.ID
	for {
		ids, err := page(before)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			return n
		}
		n += len(ids)
		before = ids[len(ids)-1]
	}
}

// TestSeedRefusesRealAccounts: an account that seed did not make stops
// it unless --force, and survives a forced seed and a second one, which
// replaces the first seed's accounts.
func TestSeedRefusesRealAccounts(t *testing.T) {
	vars := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
	migrateFor(t, vars)
	if code, _, errs := runCmd(t, vars, "password-1\n", "user", "create", "--username", "alice", "--password-stdin"); code != 0 {
		t.Fatalf("user create: %q", errs)
	}
	args := []string{"seed", "--users", "30", "--tweets", "300"}
	code, _, errs := runCmd(t, vars, "", args...)
	if code != 1 || !strings.Contains(errs, "1 account that seed did not make") || !strings.Contains(errs, "--force") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("seed next to a real account: exit %d, %q", code, errs)
	}
	force := append(args, "--force")
	if code, out, errs := runCmd(t, vars, "", force...); code != 0 || !strings.Contains(out, "30 accounts") {
		t.Fatalf("seed --force: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCmd(t, vars, "", force...)
	if code != 0 || !strings.Contains(out, "removed 30 accounts of an earlier seed") {
		t.Fatalf("seed --force again: exit %d\n%s%s", code, out, errs)
	}
	c, store := storeFor(t, vars)
	svc, err := newService(context.Background(), c, store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UserByUsername(context.Background(), "alice"); err != nil {
		t.Errorf("alice after two forced seeds: %v", err)
	}
	stats, err := svc.Stats(context.Background())
	if err != nil || stats.Users != 31 {
		t.Errorf("accounts after two forced seeds: %+v, %v; want 31", stats, err)
	}
}

// TestSeedFlags: flags out of bounds are one-line usage errors.
func TestSeedFlags(t *testing.T) {
	vars := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--users", "0"}, "--users 0 is out of range"},
		{[]string{"--tweets", "-5"}, "--tweets -5 is out of range"},
		{[]string{"--users", "10", "--follows", "10"}, "--follows 10 is out of range: give 0 to 9"},
		{[]string{"--replies", "0.6", "--quotes", "0.4"}, "add up to more than 0.9"},
		{[]string{"--likes", "NaN"}, "--likes NaN is out of range"},
		{[]string{"--end", "yesterday"}, "--end"},
		{[]string{"--users", "many"}, "invalid value"},
	} {
		code, _, errs := runCmd(t, vars, "", append([]string{"seed"}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("seed %v: exit %d, %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
