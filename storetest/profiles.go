package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// profileTexts are display names and bios in several scripts: accents,
// emoji sequences, right-to-left text with direction marks, characters
// of four UTF-8 bytes, a line break.
var profileTexts = []tweets.Profile{
	{DisplayName: "Zoë Ångström-Łukasiewicz", Bio: "Café crème ☕\nsecond line"},
	{DisplayName: "👩‍👩‍👧‍👦 family 👍🏽", Bio: "🇫🇷 drapeau, keycap 1️⃣"},
	{DisplayName: "مرحبا \u200fשָׁלוֹם\u200e", Bio: "עברית وعربي mixed"},
	{DisplayName: "𝕳𝖊𝖑𝖑𝖔 𠜎", Bio: strings.Repeat("𠜎", tweets.MaxBioLength)},
}

// testProfiles: a profile comes back byte for byte from every read of
// the account, and an admin's user search finds display names, ignoring
// case in every script.
func testProfiles(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	fresh := mustUser(t, s, "fresh")
	if got, _ := s.UserByID(ctx, fresh.ID); got.DisplayName != "" || got.Bio != "" {
		t.Errorf("a new account has the profile %q / %q; want it empty", got.DisplayName, got.Bio)
	}
	for i, p := range profileTexts {
		u := mustUser(t, s, fmt.Sprintf("user%d", i))
		if err := s.SetProfile(ctx, u.ID, p); err != nil {
			t.Fatalf("SetProfile(%q): %v", p.DisplayName, err)
		}
		sess := tweets.Session{TokenHash: fmt.Sprintf("token%d", i), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		reads := map[string]func() (tweets.User, error){
			"UserByID":       func() (tweets.User, error) { return s.UserByID(ctx, u.ID) },
			"UserByUsername": func() (tweets.User, error) { return s.UserByUsername(ctx, u.Username) },
			"SessionUser":    func() (tweets.User, error) { return s.SessionUser(ctx, sess.TokenHash, at) },
			"ListUsers": func() (tweets.User, error) {
				us, err := s.ListUsers(ctx, tweets.UserQuery{Search: u.Username, Limit: 10})
				if err != nil || len(us) != 1 {
					return tweets.User{}, fmt.Errorf("%d users, %v", len(us), err)
				}
				return us[0], nil
			},
		}
		for name, read := range reads {
			got, err := read()
			if err != nil || got.DisplayName != p.DisplayName || got.Bio != p.Bio {
				t.Errorf("%s after SetProfile: %q / %q, %v; want %q / %q", name, got.DisplayName, got.Bio, err, p.DisplayName, p.Bio)
			}
		}
	}
	if err := s.SetProfile(ctx, 999, tweets.Profile{DisplayName: "x"}); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("SetProfile(missing): err = %v, want ErrNotFound", err)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"ÅNGSTRÖM", []string{"user0"}},
		{"zoë", []string{"user0"}},
		{"zoe", nil},
		{"👍🏽", []string{"user1"}},
		{"שָׁלוֹם", []string{"user2"}},
		{"𝖊𝖑", []string{"user3"}},
		{"USER", []string{"user0", "user1", "user2", "user3"}}, // usernames still match
		{"fresh", []string{"fresh"}},
		{"%", nil},
	} {
		checkUserSearch(t, s, tc.query, tc.want)
	}
}

// testSessionsOfUser: a user's live sessions are listed newest first
// with the browser's name, others' and expired ones are not; one can be
// read by its hash; and all but one can be ended.
func testSessionsOfUser(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	sessions := []tweets.Session{
		{TokenHash: "a-old", UserID: alice.ID, CreatedAt: at.Add(-2 * time.Hour), ExpiresAt: at.Add(-time.Minute), UserAgent: "expired"},
		{TokenHash: "a-1", UserID: alice.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour), UserAgent: "Mozilla/5.0 (X11; Linux) Firefox/140.0"},
		{TokenHash: "a-2", UserID: alice.ID, CreatedAt: at.Add(time.Minute), ExpiresAt: at.Add(2 * time.Hour), UserAgent: "Navigateur «spécial» 🦊 مرحبا"},
		{TokenHash: "a-3", UserID: alice.ID, CreatedAt: at.Add(2 * time.Minute), ExpiresAt: at.Add(3 * time.Hour)},
		{TokenHash: "b-1", UserID: bob.ID, CreatedAt: at.Add(3 * time.Minute), ExpiresAt: at.Add(time.Hour), UserAgent: "bob's"},
	}
	for _, sess := range sessions {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	hashes := func(ss []tweets.Session) []string {
		var hs []string
		for _, sess := range ss {
			hs = append(hs, sess.TokenHash)
		}
		return hs
	}
	got, err := s.SessionsOfUser(ctx, alice.ID, at, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a-3", "a-2", "a-1"}; !slices.Equal(hashes(got), want) {
		t.Fatalf("SessionsOfUser = %q, want %q (live ones, newest first)", hashes(got), want)
	}
	if fmt.Sprint(got[1]) != fmt.Sprint(sessions[2]) {
		t.Errorf("a listed session reads back as %+v, want %+v", got[1], sessions[2])
	}
	if got, _ := s.SessionsOfUser(ctx, alice.ID, at, 2); !slices.Equal(hashes(got), []string{"a-3", "a-2"}) {
		t.Errorf("SessionsOfUser with limit 2 = %q", hashes(got))
	}
	// A session leaves the list exactly when it expires.
	if got, _ := s.SessionsOfUser(ctx, alice.ID, at.Add(time.Hour-time.Microsecond), 10); !slices.Contains(hashes(got), "a-1") {
		t.Error("a session was left out a microsecond before its expiry")
	}
	if got, _ := s.SessionsOfUser(ctx, alice.ID, at.Add(time.Hour), 10); slices.Contains(hashes(got), "a-1") {
		t.Error("a session was listed at its expiry")
	}

	if sess, err := s.SessionByHash(ctx, "a-old"); err != nil || fmt.Sprint(sess) != fmt.Sprint(sessions[0]) {
		t.Errorf("SessionByHash(expired) = %+v, %v; want %+v", sess, err, sessions[0])
	}
	if _, err := s.SessionByHash(ctx, "nope"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("SessionByHash(missing): err = %v, want ErrNotFound", err)
	}

	if err := s.DeleteOtherSessions(ctx, alice.ID, "a-2"); err != nil {
		t.Fatal(err)
	}
	for hash, live := range map[string]bool{"a-old": false, "a-1": false, "a-2": true, "a-3": false, "b-1": true} {
		_, err := s.SessionByHash(ctx, hash)
		if live && err != nil {
			t.Errorf("DeleteOtherSessions ended %s: %v", hash, err)
		}
		if !live && !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("DeleteOtherSessions left %s: err = %v", hash, err)
		}
	}
}

// testDeleteUser: deleting an account removes exactly its rows (its
// tweets, their media records, its sessions, the reports it filed) and
// keeps everyone else's, admins' audit entries included; it returns the
// storage keys of the deleted media.
func testDeleteUser(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetProfile(ctx, alice.ID, profileTexts[0]))
	must(s.SetProfile(ctx, bob.ID, profileTexts[2]))
	post := func(u tweets.User, text string, keys ...string) tweets.Tweet {
		t.Helper()
		tw := tweets.Tweet{ID: ids.New(), AuthorID: u.ID, Text: text, CreatedAt: at}
		for _, k := range keys {
			tw.Media = append(tw.Media, tweets.Media{Key: k, ContentType: "image/png", Width: 1, Height: 1, Size: 1})
		}
		must(s.CreateTweet(ctx, tw))
		return tw
	}
	a1 := post(alice, "héllo 🌍", "alice-1.png")
	post(alice, "two images", "alice-2.png", "alice-3.png")
	post(alice, "no image")
	b1 := post(bob, "שָׁלוֹם", "bob-1.png")
	for i, u := range []tweets.User{alice, alice, bob} {
		must(s.CreateSession(ctx, tweets.Session{TokenHash: fmt.Sprintf("s%d", i), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}))
	}
	// Alice reports bob's tweet, bob reports alice's.
	must(s.CreateReport(ctx, tweets.Report{ID: ids.New(), TweetID: b1.ID, TweetAuthorID: bob.ID, TweetText: b1.Text,
		ReporterID: alice.ID, Reason: "Spam", CreatedAt: at}))
	must(s.CreateReport(ctx, tweets.Report{ID: ids.New(), TweetID: a1.ID, TweetAuthorID: alice.ID, TweetText: a1.Text,
		ReporterID: bob.ID, Reason: "Other", CreatedAt: at}))
	must(s.AddAuditEntry(ctx, tweets.AuditEntry{ID: ids.New(), ActorID: alice.ID, Action: "user.suspend", Target: "@bob", CreatedAt: at}))
	must(s.ReserveUsername(ctx, "carol", at.Add(time.Hour)))

	before := dumpRows(t, s)
	// Alice's rows, by table: those that name her id in the column that
	// refers to users, and the media of her tweets.
	aliceID := int64(alice.ID)
	var aliceTweets []any
	for _, row := range before["tweets"] {
		if row[1] == aliceID {
			aliceTweets = append(aliceTweets, row[0])
		}
	}
	hers := map[string]func(row []any) bool{
		"users":       func(row []any) bool { return row[0] == aliceID },
		"tweets":      func(row []any) bool { return row[1] == aliceID },
		"tweet_media": func(row []any) bool { return slices.Contains(aliceTweets, row[0]) },
		"sessions":    func(row []any) bool { return row[1] == aliceID },
		"reports":     func(row []any) bool { return row[4] == aliceID },
	}

	keys, err := s.DeleteUser(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if want := []string{"alice-1.png", "alice-2.png", "alice-3.png"}; !slices.Equal(keys, want) {
		t.Errorf("DeleteUser returned the media keys %q, want %q", keys, want)
	}
	after := dumpRows(t, s)
	// Her files wait in the trash, queued with the deletion.
	var trashed []string
	for _, row := range after["media_trash"] {
		trashed = append(trashed, row[0].(string))
	}
	slices.Sort(trashed)
	if !slices.Equal(trashed, keys) {
		t.Errorf("media_trash holds %q, want her files %q", trashed, keys)
	}
	for _, tb := range sqlstore.Tables() {
		if tb.Name == "media_trash" {
			continue
		}
		var want []string
		removed := 0
		for _, row := range before[tb.Name] {
			if f := hers[tb.Name]; f != nil && f(row) {
				removed++
				continue
			}
			want = append(want, fmt.Sprint(row))
		}
		var got []string
		for _, row := range after[tb.Name] {
			got = append(got, fmt.Sprint(row))
		}
		if !slices.Equal(got, want) {
			t.Errorf("table %s after deleting alice:\n got %q\nwant %q", tb.Name, got, want)
		}
		if hers[tb.Name] != nil && removed == 0 {
			t.Errorf("the test gave alice no row in %s", tb.Name)
		}
	}
	if _, err := s.UserByID(ctx, alice.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("UserByID(deleted): err = %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteUser(ctx, alice.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("DeleteUser twice: err = %v, want ErrNotFound", err)
	}
	// Her name is free in the users table (the service reserves it).
	mustUser(t, s, "ALICE")
}

// dumpRows returns every row of every table, by table.
func dumpRows(t *testing.T, s *sqlstore.Store) map[string][][]any {
	t.Helper()
	rows := map[string][][]any{}
	if _, err := s.Dump(context.Background(), func(table string, row []any) error {
		rows[table] = append(rows[table], slices.Clone(row))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rows
}

// testReservations: a reservation holds a username, ignoring case, until
// its instant exactly, and reserving again replaces it.
func testReservations(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	until := at.Add(30 * 24 * time.Hour)
	if err := s.ReserveUsername(ctx, "Alice_1", until); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Alice_1", "alice_1", "ALICE_1"} {
		if got, err := s.UsernameReservedUntil(ctx, name, at); err != nil || !got.Equal(until) || got.Location() != time.UTC {
			t.Errorf("UsernameReservedUntil(%s) = %v, %v; want %v in UTC", name, got, err, until)
		}
	}
	if _, err := s.UsernameReservedUntil(ctx, "alice_1", until.Add(-time.Microsecond)); err != nil {
		t.Errorf("a reservation ended a microsecond early: %v", err)
	}
	if _, err := s.UsernameReservedUntil(ctx, "alice_1", until); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("a reservation outlived its end: err = %v, want ErrNotFound", err)
	}
	if _, err := s.UsernameReservedUntil(ctx, "bob", at); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("UsernameReservedUntil(never reserved): err = %v, want ErrNotFound", err)
	}
	later := until.Add(24 * time.Hour)
	if err := s.ReserveUsername(ctx, "ALICE_1", later); err != nil {
		t.Fatalf("reserving a name again: %v", err)
	}
	if got, err := s.UsernameReservedUntil(ctx, "alice_1", until); err != nil || !got.Equal(later) {
		t.Errorf("after reserving again: %v, %v; want %v", got, err, later)
	}
}
