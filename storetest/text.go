package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// testText: text outside ASCII is stored as sent and searched alike on
// every database.
func testText(t *testing.T, open Opener) {
	t.Run("TweetSearch", func(t *testing.T) { testTweetSearch(t, open(t)) })
	t.Run("UserSearch", func(t *testing.T) { testUserSearch(t, open(t)) })
	t.Run("RoundTrip", func(t *testing.T) { testTextRoundTrip(t, open(t)) })
}

// testTweetSearch: a search ignores case in every script, finds emoji and
// characters outside the Basic Multilingual Plane, keeps accents (é is
// not e), and takes LIKE's wildcards and escape character literally.
func testTweetSearch(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	texts := map[string]string{
		"welcome":  "Bienvenue à l'École",
		"closed":   "ÉCOLE FERMÉE",
		"plain":    "une ecole sans accent",
		"russian":  "ПРИВЕТ, мир",
		"greek":    "ΑΒΓ και ΣΟΦΊΑ",
		"smile":    "bonjour 🙂",
		"upside":   "🙃 à l'envers",
		"percent":  "100% sûr_e",
		"thousand": "1000 fois",
		"path":     `C:\Users\alice`,
		"rare":     "𠜎 est rare",
	}
	byID := map[tweets.ID]string{}
	for name, text := range texts {
		tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: text, CreatedAt: at}
		if err := s.CreateTweet(ctx, tw); err != nil {
			t.Fatal(err)
		}
		byID[tw.ID] = name
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"école", []string{"closed", "welcome"}},
		{"ÉCOLE", []string{"closed", "welcome"}},
		{"éCoLe", []string{"closed", "welcome"}},
		{"ecole", []string{"plain"}},
		{"fermée", []string{"closed"}},
		{"привет", []string{"russian"}},
		{"МИР", []string{"russian"}},
		{"αβγ", []string{"greek"}},
		{"σοφία", []string{"greek"}},
		{"ΣΟΦΊΑ", []string{"greek"}},
		{"🙂", []string{"smile"}},
		{"🙃", []string{"upside"}},
		{"à l'", []string{"upside", "welcome"}},
		{"𠜎", []string{"rare"}},
		{"%", []string{"percent"}},
		{"_", []string{"percent"}},
		{"0%", []string{"percent"}},
		{"r_e", []string{"percent"}},
		{"10_0", nil},
		{"1%0", nil},
		{`\`, []string{"path"}},
		{`\users\`, []string{"path"}},
		{`%\`, nil},
		{"nowhere", nil},
	} {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Search: tc.query, Limit: 50})
		if err != nil {
			t.Errorf("search %q: %v", tc.query, err)
			continue
		}
		var got []string
		for _, tw := range ts {
			got = append(got, byID[tw.ID])
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q found %q, want %q", tc.query, got, tc.want)
		}
	}
}

// testUserSearch: usernames are ASCII letters, digits and underscores
// (the service refuses others); the admin's search for a part of one
// ignores case, takes _ and % literally, and finds no one for text that
// no username can hold.
func testUserSearch(t *testing.T, s tweets.Store) {
	for _, name := range []string{"Zoe_K", "zoeK", "bob", "a_b", "axb"} {
		if err := tweets.ValidateUsername(name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustUser(t, s, name)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"zoe", []string{"Zoe_K", "zoeK"}},
		{"ZOE_", []string{"Zoe_K"}},
		{"_", []string{"Zoe_K", "a_b"}},
		{"a_b", []string{"a_b"}},
		{"B", []string{"a_b", "axb", "bob"}},
		{"%", nil},
		{"zoé", nil},
		{"🙂", nil},
	} {
		checkUserSearch(t, s, tc.query, tc.want)
	}
}

// checkUserSearch checks that an admin's user search for query finds
// the usernames want, in any order.
func checkUserSearch(t *testing.T, s tweets.Store, query string, want []string) {
	t.Helper()
	us, err := s.ListUsers(context.Background(), tweets.UserQuery{Search: query, Limit: 50})
	if err != nil {
		t.Errorf("user search %q: %v", query, err)
		return
	}
	var got []string
	for _, u := range us {
		got = append(got, u.Username)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("user search %q found %q, want %q", query, got, want)
	}
}

// testTextRoundTrip: text comes back byte for byte, whatever it holds:
// emoji sequences, combining characters (never normalized: é and e+◌́
// stay different), right-to-left scripts with direction marks,
// characters of four UTF-8 bytes, and invisible ones.
func testTextRoundTrip(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	texts := []string{
		"family 👩‍👩‍👧‍👦, thumbs 👍🏽, flag 🇫🇷, keycap 1️⃣",
		"composed \u00e9cole, decomposed e\u0301cole, stacked Z\u0324\u0354\u0367\u0311\u0313",
		"مرحبا بالعالم \u200fשָׁלוֹם עוֹלָם\u200e and back",
		"𝕳𝖊𝖑𝖑𝖔 𠜎𠜱 🀄 \U0010FFFD",
		"zero\u200bwidth \u2060joiner \ufeffmark\u00ad",
		strings.Repeat("𠜎", tweets.MaxTweetLength),
	}
	var posted []tweets.Tweet
	for _, text := range texts {
		tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: text, CreatedAt: at}
		if err := s.CreateTweet(ctx, tw); err != nil {
			t.Fatalf("CreateTweet(%q): %v", text, err)
		}
		posted = append(posted, tw)
	}
	for _, tw := range posted {
		got, err := s.TweetByID(ctx, tw.ID)
		if err != nil || got.Text != tw.Text {
			t.Errorf("TweetByID text = %q, %v; want %q", got.Text, err, tw.Text)
		}
	}
	ts, err := s.Timeline(ctx, tweets.TimelineQuery{Limit: 50})
	if err != nil || len(ts) != len(posted) {
		t.Fatalf("Timeline: %d tweets, %v; want %d", len(ts), err, len(posted))
	}
	for i, tw := range ts {
		if want := posted[len(posted)-1-i].Text; tw.Text != want {
			t.Errorf("Timeline text = %q, want %q", tw.Text, want)
		}
	}
	// A search matches code points as stored: the decomposed é is found
	// by its two code points, not by the composed one.
	for query, want := range map[string]int{"e\u0301cole": 1, "\u00e9cole": 1, "𠜎𠜱": 1, "שָׁלוֹם": 1, "👍🏽": 1} {
		if ts, err := s.Timeline(ctx, tweets.TimelineQuery{Search: query, Limit: 50}); err != nil || len(ts) != want {
			t.Errorf("search %q: %d tweets, %v; want %d", query, len(ts), err, want)
		}
	}

	// Reports keep a copy of the tweet, and the audit log free text.
	for i, tw := range posted {
		r := tweets.Report{ID: ids.New(), TweetID: tw.ID, TweetAuthorID: alice.ID, TweetText: tw.Text,
			ReporterID: alice.ID, Reason: texts[(i+1)%len(texts)], CreatedAt: at}
		if err := s.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.ReportByID(ctx, r.ID)
		if err != nil || got.TweetText != r.TweetText || got.Reason != r.Reason {
			t.Errorf("ReportByID = %q / %q, %v; want %q / %q", got.TweetText, got.Reason, err, r.TweetText, r.Reason)
		}
		e := tweets.AuditEntry{ID: ids.New(), ActorID: alice.ID, Action: "note", Target: fmt.Sprintf("tweet %d", tw.ID),
			Detail: tw.Text, CreatedAt: at}
		if err := s.AddAuditEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.AuditLog(ctx, 0, 50)
	if err != nil || len(log) != len(posted) {
		t.Fatalf("AuditLog: %d entries, %v; want %d", len(log), err, len(posted))
	}
	for i, e := range log {
		if want := posted[len(posted)-1-i].Text; e.Detail != want {
			t.Errorf("audit detail = %q, want %q", e.Detail, want)
		}
	}
}
