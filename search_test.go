package tweets_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// TestSearch: what a query means (#tag, @name, words), and the queries
// refused before any is run.
func TestSearch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, _ := svc.CreateAccount(ctx, "alice", "password1")
		alina, _ := svc.CreateAccount(ctx, "Alina", "password1")
		for _, text := range []string{"#Café à l'école @alina", "un café", "@nobody #autre"} {
			if _, err := svc.PostTweet(ctx, alice, text, nil); err != nil {
				t.Fatal(err)
			}
		}
		search := func(q tweets.SearchQuery) tweets.SearchResults {
			t.Helper()
			res, err := svc.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			return res
		}
		texts := func(ts []tweets.Tweet) string {
			var out []string
			for _, tw := range ts {
				out = append(out, tw.Text)
			}
			return strings.Join(out, " | ")
		}

		res := search(tweets.SearchQuery{Text: " #CAFÉ "})
		if res.Tag != "café" || texts(res.Tweets) != "#Café à l'école @alina" {
			t.Errorf("#CAFÉ: tag %q, tweets %q", res.Tag, texts(res.Tweets))
		}
		if res := search(tweets.SearchQuery{Text: "#café", Accounts: true}); len(res.Accounts) != 0 {
			t.Errorf("a hashtag found accounts: %v", res.Accounts)
		}
		// The query is NFC-normalized: e + combining accent is é.
		if res := search(tweets.SearchQuery{Text: "e\u0301cole"}); res.Query != "école" || texts(res.Tweets) != "#Café à l'école @alina" {
			t.Errorf("decomposed école: query %q, tweets %q", res.Query, texts(res.Tweets))
		}
		if res := search(tweets.SearchQuery{Text: "café"}); texts(res.Tweets) != "un café | #Café à l'école @alina" {
			t.Errorf("café: %q", texts(res.Tweets))
		}
		res = search(tweets.SearchQuery{Text: "@ALINA"})
		if res.Mentioned == nil || res.Mentioned.ID != alina.ID || texts(res.Tweets) != "#Café à l'école @alina" {
			t.Errorf("@ALINA: mentioned %v, tweets %q", res.Mentioned, texts(res.Tweets))
		}
		if res := search(tweets.SearchQuery{Text: "@ali", Accounts: true}); len(res.Accounts) != 2 || res.Accounts[0].ID != alina.ID {
			t.Errorf("accounts for @ali: %v", res.Accounts)
		}
		if res := search(tweets.SearchQuery{Text: "@nobody"}); res.Mentioned != nil || len(res.Tweets) != 0 {
			t.Errorf("@nobody, an account that does not exist: %+v", res)
		}
		if err := svc.SetSuspended(ctx, adminOf(t, svc), alina.ID, true); err != nil {
			t.Fatal(err)
		}
		if res := search(tweets.SearchQuery{Text: "@alina"}); res.Mentioned != nil || len(res.Tweets) != 0 {
			t.Errorf("@alina, suspended: %+v", res)
		}
		if res := search(tweets.SearchQuery{Text: "ALI", Accounts: true}); len(res.Accounts) != 1 || res.Accounts[0].ID != alice.ID {
			t.Errorf("accounts for ALI with alina suspended: %v", res.Accounts)
		}

		for _, tc := range []struct{ q, msg string }{
			{"", "Type something to search for"},
			{" \u200b ", "Type something to search for"},
			{strings.Repeat("é", 201), "at most 200 characters; this one has 201"},
			{"a\x00b", "cannot be stored"},
		} {
			_, err := svc.Search(ctx, tweets.SearchQuery{Text: tc.q})
			if tweets.ErrorCode(err) != tweets.CodeInvalid || !strings.Contains(tweets.ErrorMessage(err), tc.msg) {
				t.Errorf("Search(%q): %v; want %q", tc.q, err, tc.msg)
			}
		}
		if _, err := svc.Search(ctx, tweets.SearchQuery{Text: strings.Repeat("é", 200)}); err != nil {
			t.Errorf("a search of 200 characters: %v", err)
		}

		if tag, ts, err := svc.HashtagTweets(ctx, nil, "AUTRE", 0); err != nil || tag != "autre" || len(ts) != 1 {
			t.Errorf("HashtagTweets(AUTRE) = %q, %d tweets, %v", tag, len(ts), err)
		}
		if _, _, err := svc.HashtagTweets(ctx, nil, "123", 0); tweets.ErrorCode(err) != tweets.CodeNotFound {
			t.Errorf("HashtagTweets(123): %v, want not found", err)
		}
	})
}

// adminOf returns a new admin account.
func adminOf(t *testing.T, svc *tweets.Service) tweets.User {
	t.Helper()
	u, err := svc.OperatorCreateUser(context.Background(), "root_admin", "password1", true)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
