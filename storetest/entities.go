package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// post stores a tweet by u and returns it.
func post(t *testing.T, s tweets.Store, u tweets.User, text string) tweets.Tweet {
	t.Helper()
	tw := tweets.Tweet{ID: ids.New(), AuthorID: u.ID, Text: text, CreatedAt: at}
	if err := s.CreateTweet(context.Background(), tw); err != nil {
		t.Fatalf("CreateTweet(%q): %v", text, err)
	}
	return tw
}

// found returns the names of the tweets a search finds, newest first.
func found(t *testing.T, s tweets.Store, q tweets.TweetSearch, names map[tweets.ID]string) []string {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	ts, err := s.FindTweets(context.Background(), q)
	if err != nil {
		t.Fatalf("FindTweets(%+v): %v", q, err)
	}
	var got []string
	for _, tw := range ts {
		got = append(got, names[tw.ID])
		if tw.Author == "" {
			t.Errorf("FindTweets(%+v): tweet %d has no author name", q, tw.ID)
		}
	}
	return got
}

// walk pages through a search, three tweets a page, and returns the
// names of all it finds, newest first.
func walk(t *testing.T, s tweets.Store, q tweets.TweetSearch, names map[tweets.ID]string) []string {
	t.Helper()
	var all []string
	q.Limit = 3
	for range 5 {
		ts, err := s.FindTweets(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, tw := range ts {
			all = append(all, names[tw.ID])
		}
		if len(ts) < q.Limit {
			break
		}
		q.Before = ts[len(ts)-1].ID
	}
	return all
}

// postPages posts seven tweets with text, numbered in it, every third
// by other, and returns their ids, oldest first.
func postPages(t *testing.T, s tweets.Store, u, other tweets.User, text string, names map[tweets.ID]string) []tweets.ID {
	t.Helper()
	var posted []tweets.ID
	for i := range 7 {
		author := u
		if i%3 == 0 {
			author = other
		}
		tw := post(t, s, author, fmt.Sprintf(text, i))
		names[tw.ID] = fmt.Sprint(i)
		posted = append(posted, tw.ID)
	}
	return posted
}

// rowsOf counts the rows of a table that belong to a tweet.
func rowsOf(t *testing.T, s *sqlstore.Store, table string, id tweets.ID) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE tweet_id = %d", table, id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testHashtags: a tweet's hashtags are stored folded, so that any case,
// composed or not, finds them alike on every database; the tag's tweets
// come newest first, page by page, without those of suspended authors.
func testHashtags(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	names := map[tweets.ID]string{}
	for _, tc := range []struct{ name, text string }{
		{"cafe", "un #café, s'il vous plaît"},
		{"CAFE", "#CAFÉ!"},
		{"decomposed", "#Cafe\u0301 et #cafe"},
		{"japan", "#日本 と #日本語"},
		{"omega", "#Ωmega"},
		{"ohm", "#\u2126MEGA"}, // the ohm sign: NFC makes it Ω
		{"sigma", "#ΣΟΦΟΣ"},
		{"final", "#σοφος"},
		{"strasse", "#Straße"},
		{"STRASSE", "#STRASSE"},
		{"url", "https://example.com/#café and C#café"},
		{"digits", "#2026 is not a tag, #2026年 is"},
	} {
		names[post(t, s, alice, tc.text).ID] = tc.name
	}
	for _, tc := range []struct {
		tag  string
		want []string
	}{
		{"café", []string{"decomposed", "CAFE", "cafe"}},
		{"cafe", []string{"decomposed"}},
		{"日本", []string{"japan"}},
		{"日本語", []string{"japan"}},
		{"ωmega", []string{"ohm", "omega"}},
		{"σοφοσ", []string{"final", "sigma"}},
		{"strasse", []string{"STRASSE", "strasse"}},
		{"2026年", []string{"digits"}},
		{"2026", nil},
		{"example", nil},
	} {
		if got := found(t, s, tweets.TweetSearch{Tag: tc.tag}, names); !slices.Equal(got, tc.want) {
			t.Errorf("tag %q found %q, want %q", tc.tag, got, tc.want)
		}
		if tc.tag != tweets.FoldHashtag(tc.tag) {
			t.Errorf("%q is not folded: the test looks up stored tags", tc.tag)
		}
	}

	// Paging: each tweet once, newest first; a suspended author's are
	// left out until the suspension is lifted.
	posted := postPages(t, s, alice, bob, "page %d #Paging", names)
	paging := tweets.TweetSearch{Tag: "paging"}
	if got, want := walk(t, s, paging, names), []string{"6", "5", "4", "3", "2", "1", "0"}; !slices.Equal(got, want) {
		t.Errorf("paging through a tag: %q, want %q", got, want)
	}
	if err := s.SetSuspended(ctx, bob.ID, at); err != nil {
		t.Fatal(err)
	}
	if got, want := walk(t, s, paging, names), []string{"5", "4", "2", "1"}; !slices.Equal(got, want) {
		t.Errorf("with bob suspended: %q, want %q", got, want)
	}

	// A deleted tweet leaves no tag behind.
	if err := s.DeleteTweet(ctx, posted[6]); err != nil {
		t.Fatal(err)
	}
	if n := rowsOf(t, s, "tweet_tags", posted[6]); n != 0 {
		t.Errorf("a deleted tweet left %d tags", n)
	}
}

// testMentions: mentions of accounts that exist are stored, whatever
// the case they are written in; others, and look-alikes in e-mail
// addresses and links, are not. A refused tweet stores none.
func testMentions(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "Bob_2")
	names := map[tweets.ID]string{}
	for _, tc := range []struct {
		name string
		text string
		by   tweets.User
	}{
		{"both", "@alice et @BOB_2 🙂", alice},
		{"twice", "@bob_2 @Bob_2 @bob_2", alice},
		{"unknown", "@nobody @ghost_99", bob},
		{"lookalikes", "alice@bob_2.example https://example.com/@alice @alice@elsewhere.example", bob},
		{"self", "moi, @alice", alice},
	} {
		names[post(t, s, tc.by, tc.text).ID] = tc.name
	}
	if got, want := found(t, s, tweets.TweetSearch{Mention: alice.ID}, names), []string{"self", "both"}; !slices.Equal(got, want) {
		t.Errorf("tweets mentioning alice: %q, want %q", got, want)
	}
	if got, want := found(t, s, tweets.TweetSearch{Mention: bob.ID}, names), []string{"twice", "both"}; !slices.Equal(got, want) {
		t.Errorf("tweets mentioning Bob_2: %q, want %q", got, want)
	}
	for id, name := range names {
		want := map[string]int{"both": 2, "twice": 1, "self": 1}[name]
		if n := rowsOf(t, s, "tweet_mentions", id); n != want {
			t.Errorf("tweet %q has %d mentions stored, want %d", name, n, want)
		}
	}

	// A tweet refused for its id stores no tag or mention: they are
	// written in the tweet's transaction.
	first := post(t, s, alice, "#first @alice")
	clash := tweets.Tweet{ID: first.ID, AuthorID: bob.ID, Text: "#second @Bob_2", CreatedAt: at}
	if err := s.CreateTweet(ctx, clash); !errors.Is(err, tweets.ErrConflict) {
		t.Fatalf("CreateTweet with a used id: %v", err)
	}
	if got := found(t, s, tweets.TweetSearch{Tag: "second"}, names); len(got) != 0 {
		t.Errorf("the refused tweet's tag was stored")
	}
	if got := found(t, s, tweets.TweetSearch{Tag: "first", Mention: alice.ID}, names); len(got) != 1 {
		t.Errorf("tag and mention together found %d tweets, want 1", len(got))
	}
	if err := s.DeleteTweet(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if n := rowsOf(t, s, "tweet_mentions", first.ID); n != 0 {
		t.Errorf("a deleted tweet left %d mentions", n)
	}
}
