package web

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// TestTweetWriterIsTheTemplate renders every variant of a tweet with the
// Go writer and with the template it replaced (testdata/tweet_partial.html,
// executed by html/template with the pages' functions), and wants the
// same bytes: the same markup, and the same escaping of hostile text.
func TestTweetWriterIsTheTemplate(t *testing.T) {
	for _, base := range []string{"/media", "https://media.example.com/bucket"} {
		funcs := templateFuncs(nil, base)
		ref, err := template.New("ref").Funcs(funcs).ParseFS(templateFS, "templates/_avatar.html")
		if err == nil {
			ref, err = ref.ParseFiles("testdata/tweet_partial.html")
		}
		if err != nil {
			t.Fatal(err)
		}
		w := tweetWriter{mediaBase: base}
		for name, it := range tweetVariants() {
			var want strings.Builder
			if err := ref.ExecuteTemplate(&want, "tweet", it); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := string(w.html(it)); got != want.String() {
				t.Errorf("%s with media at %s:\n got: %s\nwant: %s", name, base, got, want.String())
			}
		}
	}
}

// tweetVariants are tweets of every shape the partial draws, for every
// kind of reader.
func tweetVariants() map[string]tweetItem {
	now := time.Now()
	hostile := `<script>alert("x")</script> & 'quotes' + more`
	base := tweets.Tweet{ID: 117715109361052862, Item: 117715109361052862, AuthorID: 7, Author: "ann_1", Text: "hello #world @bob https://example.com/a?b=c&d=e",
		CreatedAt: now.Add(-3 * time.Hour), Likes: 1, Reposts: 2, Replies: 0}
	photo := tweets.Media{Key: "abc123.jpg", ContentType: "image/jpeg", Width: 2048, Height: 1536, Alt: hostile,
		Thumb: tweets.Thumb{Key: "abc123-thumb.jpg", ContentType: "image/jpeg", Width: 640, Height: 480}, Blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj"}
	gif := tweets.Media{Key: "def.gif", ContentType: "image/gif", Width: 100, Height: 80}
	owner := &tweets.User{ID: 7, Username: "ann_1"}
	other := &tweets.User{ID: 8, Username: "bob"}
	vary := func(f func(t *tweets.Tweet)) tweets.Tweet {
		t := base
		f(&t)
		return t
	}
	shapes := map[string]tweets.Tweet{
		"plain": base,
		"reposted": vary(func(t *tweets.Tweet) {
			t.RepostedBy, t.Item, t.Liked, t.Reposted, t.Likes, t.Reposts, t.Replies = "carl", 117715109361052999, true, true, 0, 1, 1
		}),
		"edited reply": vary(func(t *tweets.Tweet) {
			t.EditedAt, t.ReplyTo, t.ReplyToAuthor, t.Replies = now, 117715109361050000, "dora", 12
		}),
		"reply to a deleted tweet": vary(func(t *tweets.Tweet) { t.ReplyTo = 117715109361050000 }),
		"hostile text":             vary(func(t *tweets.Tweet) { t.Text = hostile }),
		"images only": vary(func(t *tweets.Tweet) {
			t.Text, t.Media, t.AuthorAvatar = "", []tweets.Media{photo, gif, {Key: "x.png", ContentType: "image/png", Width: 10, Height: 10}}, "avatar-1.jpg"
		}),
		"following only": vary(func(t *tweets.Tweet) { t.ReplyPolicy = tweets.ReplyFollowing }),
		"mentioned only": vary(func(t *tweets.Tweet) { t.ReplyPolicy = tweets.ReplyMentioned }),
		"quote": vary(func(t *tweets.Tweet) {
			t.Quote, t.Quotes = 5, 3
			t.Quoted = &tweets.QuotedTweet{ID: 5, Author: "eve", Text: hostile + " #tag", CreatedAt: now.Add(-400 * 24 * time.Hour)}
		}),
		"unavailable quote": vary(func(t *tweets.Tweet) { t.Quote, t.Quotes = 5, 1 }),
		"old":               vary(func(t *tweets.Tweet) { t.CreatedAt = now.Add(-30 * time.Second) }),
		"non-ASCII author":  vary(func(t *tweets.Tweet) { t.Author = "élodie" }),
	}
	out := map[string]tweetItem{}
	for name, tw := range shapes {
		out[name+", anonymous"] = tweetItem{Tweet: tw}
		out[name+", the author"] = tweetItem{User: owner, CSRF: "tok+en/x=", Tweet: tw, Back: `/?before=1&x="y"`}
		out[name+", another"] = tweetItem{User: other, CSRF: "tok+en/x=", Tweet: tw, Back: "/@ann_1"}
	}
	return out
}
