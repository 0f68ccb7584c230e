// Package storetest is the conformance suite that every tweets.Store
// passes. The sqlite and postgres packages run it against their database,
// so both backends are held to the same specification.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// Opener returns a new, empty, migrated store for one test.
type Opener func(t *testing.T) *sqlstore.Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("Tweets", func(t *testing.T) { testTweets(t, open(t)) })
	t.Run("Timeline", func(t *testing.T) { testTimeline(t, open(t)) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open(t)) })
	t.Run("Moderation", func(t *testing.T) { testModeration(t, open(t)) })
	t.Run("ReportOnce", func(t *testing.T) { testReportOnce(t, open(t)) })
	t.Run("ReportOnceMigration", func(t *testing.T) { testReportOnceMigration(t, open(t)) })
	t.Run("MediaByKey", func(t *testing.T) { testMediaByKey(t, open(t)) })
	t.Run("ProfileImages", func(t *testing.T) { testProfileImages(t, open(t)) })
	t.Run("Trash", func(t *testing.T) { testTrash(t, open(t)) })
	t.Run("OAuth", func(t *testing.T) { testOAuth(t, open(t)) })
	t.Run("PendingMedia", func(t *testing.T) { testPendingMedia(t, open(t)) })
	t.Run("Migrations", func(t *testing.T) { testMigrations(t, open(t)) })
	t.Run("AtomicRollback", func(t *testing.T) { testAtomicRollback(t, open(t)) })
	t.Run("AtomicCommit", func(t *testing.T) { testAtomicCommit(t, open(t)) })
	t.Run("AtomicNested", func(t *testing.T) { testAtomicNested(t, open(t)) })
	t.Run("AtomicConcurrent", func(t *testing.T) { testAtomicConcurrent(t, open(t)) })
	t.Run("Text", func(t *testing.T) { testText(t, open) })
	t.Run("Follows", func(t *testing.T) { testFollows(t, open(t)) })
	t.Run("LikesAndReposts", func(t *testing.T) { testLikesAndReposts(t, open(t)) })
	t.Run("Bookmarks", func(t *testing.T) { testBookmarks(t, open(t)) })
	t.Run("FavouritesList", func(t *testing.T) { testFavouritesList(t, open(t)) })
	t.Run("Markers", func(t *testing.T) { testMarkers(t, open(t)) })
	t.Run("ExactCounts", func(t *testing.T) { testExactCounts(t, open(t)) })
	t.Run("HomeTimeline", func(t *testing.T) { testHomeTimeline(t, open(t)) })
	t.Run("HomeTimelineBoundedMerge", func(t *testing.T) { testHomeTimelineBoundedMerge(t, open(t)) })
	t.Run("Plans", func(t *testing.T) { testPlans(t, open(t)) })
	t.Run("CursorsAbove", func(t *testing.T) { testCursorsAbove(t, open(t)) })
	t.Run("HomeTimelineUnderPosting", func(t *testing.T) { testHomeTimelineUnderPosting(t, open(t)) })
	t.Run("Thread", func(t *testing.T) { testThread(t, open(t)) })
	t.Run("Notifications", func(t *testing.T) { testNotifications(t, open(t)) })
	t.Run("UnseenCap", func(t *testing.T) { testUnseenCap(t, open(t)) })
	t.Run("BlocksAndMutes", func(t *testing.T) { testBlocksAndMutes(t, open(t)) })
	t.Run("Edits", func(t *testing.T) { testEdits(t, open(t)) })
	t.Run("Quotes", func(t *testing.T) { testQuotes(t, open(t)) })
	t.Run("Profiles", func(t *testing.T) { testProfiles(t, open(t)) })
	t.Run("SessionsOfUser", func(t *testing.T) { testSessionsOfUser(t, open(t)) })
	t.Run("DeleteUser", func(t *testing.T) { testDeleteUser(t, open(t)) })
	t.Run("Reservations", func(t *testing.T) { testReservations(t, open(t)) })
	t.Run("Hashtags", func(t *testing.T) { testHashtags(t, open(t)) })
	t.Run("Mentions", func(t *testing.T) { testMentions(t, open(t)) })
	t.Run("SearchWords", func(t *testing.T) { testSearchWords(t, open(t)) })
	t.Run("FindUsers", func(t *testing.T) { testFindUsers(t, open(t)) })
	t.Run("BulkLoad", func(t *testing.T) { testBulkLoad(t, open(t)) })
}

var ids = tweets.NewIDGenerator(nil)

// at is a fixed moment with sub-second precision, to check that times
// round-trip without loss beyond a microsecond.
var at = time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)

func mustUser(t *testing.T, s tweets.Store, name string) tweets.User {
	t.Helper()
	u := tweets.User{ID: ids.New(), Username: name, PasswordHash: "hash-" + name, CreatedAt: at}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

func testUsers(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "Alice")

	got, err := s.UserByUsername(ctx, "aLiCe")
	if err != nil {
		t.Fatalf("UserByUsername ignoring case: %v", err)
	}
	if got != alice {
		t.Errorf("UserByUsername = %+v, want %+v", got, alice)
	}
	if got, err := s.UserByID(ctx, alice.ID); err != nil || got != alice {
		t.Errorf("UserByID = %+v, %v; want %+v", got, err, alice)
	}

	dup := tweets.User{ID: ids.New(), Username: "ALICE", PasswordHash: "x", CreatedAt: at}
	if err := s.CreateUser(ctx, dup); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("CreateUser with a username differing only in case: err = %v, want ErrConflict", err)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("after the refused duplicate CountUsers = %d, %v; want 1", n, err)
	}

	if _, err := s.UserByUsername(ctx, "nobody"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("UserByUsername(missing): err = %v, want ErrNotFound", err)
	}
	if _, err := s.UserByID(ctx, 12345); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("UserByID(missing): err = %v, want ErrNotFound", err)
	}

	if err := s.SetPasswordHash(ctx, alice.ID, "new-hash"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAdmin(ctx, alice.ID, true); err != nil {
		t.Fatal(err)
	}
	got, _ = s.UserByID(ctx, alice.ID)
	if got.PasswordHash != "new-hash" || !got.IsAdmin {
		t.Errorf("after SetPasswordHash and SetAdmin: %+v", got)
	}
	if err := s.SetAdmin(ctx, 999, true); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("SetAdmin(missing): err = %v, want ErrNotFound", err)
	}
	if err := s.SetPasswordHash(ctx, 999, "x"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("SetPasswordHash(missing): err = %v, want ErrNotFound", err)
	}
}

func testTweets(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	tw := tweets.Tweet{
		ID: ids.New(), AuthorID: alice.ID, Text: "héllo 🌍 <b>", CreatedAt: at,
		Media: []tweets.Media{{Key: "abc.png", ContentType: "image/png", Width: 3, Height: 2, Size: 99, Alt: "un chat « gris » 🐈 dans la neige"}},
	}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	got, err := s.TweetByID(ctx, tw.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := tw
	want.Author, want.Item, want.ReplyPolicy = "alice", tw.ID, tweets.ReplyEveryone
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("TweetByID =\n %+v\nwant\n %+v", got, want)
	}

	// A duplicate id is refused and leaves the first tweet intact.
	clash := tweets.Tweet{ID: tw.ID, AuthorID: alice.ID, Text: "other", CreatedAt: at}
	if err := s.CreateTweet(ctx, clash); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("CreateTweet with a used id: err = %v, want ErrConflict", err)
	}
	// A media key used twice is refused as a whole: no half-stored tweet.
	reuse := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "reuse", CreatedAt: at, Media: tw.Media}
	if err := s.CreateTweet(ctx, reuse); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("CreateTweet reusing a media key: err = %v, want ErrConflict", err)
	}
	if _, err := s.TweetByID(ctx, reuse.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("the refused tweet was stored anyway: err = %v", err)
	}
	if got, _ := s.TweetByID(ctx, tw.ID); got.Text != tw.Text || len(got.Media) != 1 {
		t.Errorf("the first tweet changed: %+v", got)
	}

	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TweetByID(ctx, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("TweetByID after delete: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteTweet(ctx, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("DeleteTweet twice: err = %v, want ErrNotFound", err)
	}
	// The media key is free again once its tweet is gone.
	again := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "again", CreatedAt: at, Media: tw.Media}
	if err := s.CreateTweet(ctx, again); err != nil {
		t.Errorf("media rows outlived their tweet: %v", err)
	}
}

func testTimeline(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	var all []tweets.ID // oldest first
	for i := 0; i < 45; i++ {
		author := alice
		if i%3 == 0 {
			author = bob
		}
		tw := tweets.Tweet{ID: ids.New(), AuthorID: author.ID, Text: fmt.Sprintf("tweet %d", i), CreatedAt: at.Add(time.Duration(i) * time.Second)}
		if i%5 == 0 {
			tw.Media = []tweets.Media{{Key: fmt.Sprintf("k%d.png", i), ContentType: "image/png", Width: 1, Height: 1, Size: 1}}
		}
		if err := s.CreateTweet(ctx, tw); err != nil {
			t.Fatal(err)
		}
		all = append(all, tw.ID)
	}

	// Walk every page with the cursor and get each tweet once, newest first.
	var seen []tweets.ID
	posted, once := map[tweets.ID]bool{}, map[tweets.ID]bool{}
	for _, id := range all {
		posted[id] = true
	}
	before := tweets.ID(0)
	for page := 0; page < 10; page++ {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Before: before, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		for _, tw := range ts {
			seen = append(seen, tw.ID)
			if tw.Author == "" {
				t.Errorf("tweet %d has no author name", tw.ID)
			}
			if !posted[tw.ID] || once[tw.ID] {
				t.Errorf("tweet %d: not one of those posted, or seen twice", tw.ID)
			}
			once[tw.ID] = true
		}
		before = ts[len(ts)-1].ID
	}
	if len(seen) != len(all) {
		t.Fatalf("paging saw %d tweets, want %d", len(seen), len(all))
	}
	for i, id := range seen {
		if id != all[len(all)-1-i] {
			t.Fatalf("position %d: id %d, want %d (newest first)", i, id, all[len(all)-1-i])
		}
	}

	ts, err := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: bob.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 15 {
		t.Errorf("bob's timeline has %d tweets, want 15", len(ts))
	}
	withMedia := 0
	for _, tw := range ts {
		if tw.AuthorID != bob.ID || tw.Author != "bob" {
			t.Errorf("bob's timeline holds %+v", tw)
		}
		withMedia += len(tw.Media)
	}
	if withMedia != 3 { // i = 0, 15, 30
		t.Errorf("bob's timeline has %d media, want 3", withMedia)
	}
}

func testSessions(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	live := tweets.Session{TokenHash: "live", UserID: alice.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	old := tweets.Session{TokenHash: "old", UserID: alice.ID, CreatedAt: at, ExpiresAt: at.Add(-time.Minute)}
	for _, sess := range []tweets.Session{live, old} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	// liveAt reports whether the session finds its user at now.
	liveAt := func(tokenHash string, now time.Time) bool {
		t.Helper()
		_, err := s.SessionUser(ctx, tokenHash, now)
		if errors.Is(err, tweets.ErrNotFound) {
			return false
		}
		if err != nil {
			t.Fatalf("SessionUser(%s): %v", tokenHash, err)
		}
		return true
	}
	if u, err := s.SessionUser(ctx, "live", at); err != nil || u != alice {
		t.Errorf("SessionUser(live) = %+v, %v; want %+v", u, err, alice)
	}
	// The expiry keeps its sub-second part: the session ends exactly then.
	if !liveAt("live", live.ExpiresAt.Add(-time.Microsecond)) {
		t.Error("a session was refused a microsecond before its expiry")
	}
	if liveAt("live", live.ExpiresAt) || liveAt("live", at.Add(2*time.Hour)) {
		t.Error("a session was accepted at or past its expiry")
	}
	if liveAt("old", at) {
		t.Error("an expired session was accepted")
	}
	if liveAt("nope", at) {
		t.Error("a token with no session was accepted")
	}
	if n, err := s.DeleteExpiredSessions(ctx, at); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if !liveAt("live", at) {
		t.Error("DeleteExpiredSessions deleted a live session")
	}
	if err := s.DeleteSession(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if liveAt("live", at) {
		t.Error("a deleted session was accepted")
	}
	for _, sess := range []tweets.Session{
		{TokenHash: "a", UserID: alice.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)},
		{TokenHash: "b", UserID: alice.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)},
		{TokenHash: "bob's", UserID: bob.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)},
	} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteUserSessions(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	if liveAt("a", at) || liveAt("b", at) {
		t.Error("DeleteUserSessions left a session")
	}
	if !liveAt("bob's", at) {
		t.Error("DeleteUserSessions deleted another user's session")
	}
}

func testMigrations(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	// The opener migrated once; replicas starting together migrate again
	// concurrently, and nothing is applied twice or fails.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Migrate(ctx, nil)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate: %v", err)
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != s.LatestVersion() || v < 1 {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, s.LatestVersion())
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping on a migrated store: %v", err)
	}
}

func testModeration(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob_100%")
	post := func(u tweets.User, text string) tweets.Tweet {
		tw := tweets.Tweet{ID: ids.New(), AuthorID: u.ID, Text: text, CreatedAt: at}
		if err := s.CreateTweet(ctx, tw); err != nil {
			t.Fatal(err)
		}
		return tw
	}
	post(alice, "Hello World")
	post(alice, "100% sure")
	spam := post(bob, "cheap WATCHES")

	// Search ignores case and takes LIKE wildcards literally.
	for q, want := range map[string]int{"world": 1, "WATCH": 1, "%": 1, "_": 0, "e": 3} {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Search: q, Limit: 10})
		if err != nil || len(ts) != want {
			t.Errorf("search %q: %d tweets, %v; want %d", q, len(ts), err, want)
		}
	}
	us, err := s.ListUsers(ctx, tweets.UserQuery{Search: "_100%", Limit: 10})
	if err != nil || len(us) != 1 || us[0].ID != bob.ID {
		t.Errorf("user search with wildcards: %+v, %v", us, err)
	}

	// A suspended author's tweets leave public lists, not admin ones.
	if err := s.SetSuspended(ctx, bob.ID, at); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByID(ctx, bob.ID); !u.Suspended() || !u.SuspendedAt.Equal(at) {
		t.Errorf("suspended user reads back as %+v", u)
	}
	if ts, _ := s.Timeline(ctx, tweets.TimelineQuery{Limit: 10}); len(ts) != 2 {
		t.Errorf("public timeline with bob suspended: %d tweets, want 2", len(ts))
	}
	ts, _ := s.Timeline(ctx, tweets.TimelineQuery{Limit: 10, IncludeSuspended: true})
	if len(ts) != 3 || !ts[0].AuthorSuspended {
		t.Errorf("admin timeline: %d tweets, first %+v", len(ts), ts[0])
	}
	if tw, _ := s.TweetByID(ctx, spam.ID); !tw.AuthorSuspended {
		t.Error("TweetByID does not say the author is suspended")
	}
	s.SetSuspended(ctx, bob.ID, time.Time{})
	if u, _ := s.UserByID(ctx, bob.ID); u.Suspended() {
		t.Error("unsuspend did not clear the suspension")
	}

	if n, err := s.CountTweets(ctx); err != nil || n != 3 {
		t.Errorf("CountTweets = %d, %v", n, err)
	}
	days, err := s.DailyCounts(ctx, "tweets", time.Now().Add(-48*time.Hour))
	total := 0
	for _, d := range days {
		total += d.Count
		if d.Day.Hour() != 0 || d.Day.Location() != time.UTC {
			t.Errorf("day %v is not a UTC midnight", d.Day)
		}
	}
	if err != nil || total != 3 {
		t.Errorf("DailyCounts: %+v, %v; want 3 in all", days, err)
	}

	// Reports: open, then resolved once.
	r := tweets.Report{ID: ids.New(), TweetID: spam.ID, TweetAuthorID: bob.ID, TweetText: spam.Text, ReporterID: alice.ID, Reason: "Spam", CreatedAt: at}
	if err := s.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	open, _ := s.Reports(ctx, tweets.ReportQuery{Limit: 10})
	if len(open) != 1 || open[0].Reporter != "alice" || open[0].TweetAuthor != "bob_100%" || !open[0].Open() {
		t.Errorf("open reports: %+v", open)
	}
	if n, _ := s.CountOpenReports(ctx); n != 1 {
		t.Errorf("CountOpenReports = %d", n)
	}
	if err := s.ResolveReport(ctx, r.ID, alice.ID, "deleted", at); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveReport(ctx, r.ID, alice.ID, "again", at); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("resolving twice: %v", err)
	}
	done, _ := s.Reports(ctx, tweets.ReportQuery{Resolved: true, Limit: 10})
	if len(done) != 1 || done[0].Resolution != "deleted" || done[0].ResolvedBy != alice.ID || done[0].Open() {
		t.Errorf("resolved reports: %+v", done)
	}

	// The audit log lists newest first with the actor's name.
	for _, action := range []string{"first", "second"} {
		if err := s.AddAuditEntry(ctx, tweets.AuditEntry{ID: ids.New(), ActorID: alice.ID, Action: action, Target: "x", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.AuditLog(ctx, 0, 10)
	if err != nil || len(log) != 2 || log[0].Action != "second" || log[0].Actor != "alice" {
		t.Errorf("audit log: %+v, %v", log, err)
	}
}
