package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/tweetsdev/tweets"
)

// testSearchWords: a search finds tweets through each database's full-
// text index with the same answers: whole words, in any case, in every
// script, accents kept; a word with an apostrophe or hyphen as a
// phrase; several words all required, in any order; emoji, symbols and
// scripts written without spaces anywhere in the text. No character of
// a search is query syntax. Newest first, page by page, without
// suspended authors or deleted tweets.
func testSearchWords(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	names := map[tweets.ID]string{}
	for _, tc := range []struct{ name, text string }{
		{"welcome", "Bienvenue à l'École"},
		{"closed", "ÉCOLE FERMÉE"},
		{"plain", "une ecole sans accent"},
		{"russian", "ПРИВЕТ, мир"},
		{"greek", "ΑΒΓ και ΣΟΦΊΑ"},
		{"smile", "bonjour🙂 tout le monde"},
		{"upside", "🙃 à l'envers"},
		{"japanese", "日本語のテキストです"},
		{"tokyo", "東京タワー、2026年"},
		{"hindi", "हिन्दी भाषा"},
		{"arabic", "مرحبا بالعالم ١٢٣"},
		{"syntax", `Rock AND roll, "quoted" NEAR(x y) col:umn *star -minus ^caret`},
		{"date", "Le 14 juillet 2026."},
		{"hyphen", "la mi-carême"},
		{"tag", "#Café noir"},
		{"rare", "𠜎 est rare"},
	} {
		names[post(t, s, alice, tc.text).ID] = tc.name
	}
	for _, tc := range []struct {
		query string
		want  []string // sorted
	}{
		{"école", []string{"closed", "welcome"}},
		{"ÉCOLE", []string{"closed", "welcome"}},
		{"ecole", []string{"plain"}},
		{"écol", nil},
		{"l'école", []string{"welcome"}},
		{"fermée école", []string{"closed"}},
		{"école fermée bienvenue", nil},
		{"привет", []string{"russian"}},
		{"МИР", []string{"russian"}},
		{"σοφία", []string{"greek"}},
		{"ΣΟΦΊΑ", []string{"greek"}},
		{"bonjour", []string{"smile"}},
		{"🙂", []string{"smile"}},
		{"bonjour🙂", []string{"smile"}},
		{"🙃 envers", []string{"upside"}},
		{"日本語", []string{"japanese"}},
		{"テキスト", []string{"japanese"}},
		{"東京", []string{"tokyo"}},
		{"𠜎", []string{"rare"}},
		{"हिन्दी", []string{"hindi"}},
		{"भाषा", []string{"hindi"}},
		{"بالعالم", []string{"arabic"}},
		{"١٢٣", []string{"arabic"}},
		{"2026", []string{"date"}},
		{"14 JUILLET", []string{"date"}},
		{"mi-carême", []string{"hyphen"}},
		{"carême", []string{"hyphen"}},
		{"café", []string{"tag"}},
		{"AND", []string{"syntax"}},
		{"or", nil},
		{`"quoted"`, []string{"syntax"}},
		{`"`, []string{"syntax"}},
		{`"rock`, []string{"syntax"}},
		{"NEAR(x", []string{"syntax"}},
		{"col:umn", []string{"syntax"}},
		{"*star -minus ^caret", []string{"syntax"}},
		{"*", []string{"syntax"}},
		{"rock OR nowhere", nil},
		{"nowhere", nil},
	} {
		got := found(t, s, tweets.TweetSearch{Words: tc.query}, names)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q found %q, want %q", tc.query, got, tc.want)
		}
	}

	// Paging, suspension and deletion.
	posted := postPages(t, s, alice, bob, "pagination numéro %d", names)
	paging := tweets.TweetSearch{Words: "Numéro"}
	if got, want := walk(t, s, paging, names), []string{"6", "5", "4", "3", "2", "1", "0"}; !slices.Equal(got, want) {
		t.Errorf("paging through a search: %q, want %q", got, want)
	}
	if err := s.SetSuspended(ctx, bob.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTweet(ctx, posted[5]); err != nil {
		t.Fatal(err)
	}
	if got, want := walk(t, s, paging, names), []string{"4", "2", "1"}; !slices.Equal(got, want) {
		t.Errorf("with bob suspended and tweet 5 deleted: %q, want %q", got, want)
	}
}

// testFindUsers: an account search finds usernames holding the text,
// ignoring case, newest first, page by page, without suspended
// accounts; wildcards are taken literally.
func testFindUsers(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	var made []tweets.User
	for _, name := range []string{"ann", "Joanna", "anna_b", "bob", "ANNE", "hannah", "x_anx"} {
		made = append(made, mustUser(t, s, name))
	}
	find := func(q tweets.UserSearch) []string {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 50
		}
		us, err := s.FindUsers(ctx, q)
		if err != nil {
			t.Fatalf("FindUsers(%+v): %v", q, err)
		}
		var got []string
		for _, u := range us {
			got = append(got, u.Username)
		}
		return got
	}
	if got, want := find(tweets.UserSearch{Text: "AnN"}), []string{"hannah", "ANNE", "anna_b", "Joanna", "ann"}; !slices.Equal(got, want) {
		t.Errorf("accounts holding AnN: %q, want %q", got, want)
	}
	if got, want := find(tweets.UserSearch{Text: "ann", Limit: 2, Before: made[5].ID}), []string{"ANNE", "anna_b"}; !slices.Equal(got, want) {
		t.Errorf("the page before hannah: %q, want %q", got, want)
	}
	for q, want := range map[string][]string{"_": {"x_anx", "anna_b"}, "%": nil, "a_b": {"anna_b"}, "é": nil, "🙂": nil} {
		if got := find(tweets.UserSearch{Text: q}); !slices.Equal(got, want) {
			t.Errorf("accounts holding %q: %q, want %q", q, got, want)
		}
	}
	if err := s.SetSuspended(ctx, made[5].ID, at); err != nil {
		t.Fatal(err)
	}
	if got, want := find(tweets.UserSearch{Text: "ann"}), []string{"ANNE", "anna_b", "Joanna", "ann"}; !slices.Equal(got, want) {
		t.Errorf("with hannah suspended: %q, want %q", got, want)
	}
}
