package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// tweetIDOf finds the permalink id of the tweet with text on a page.
func tweetIDOf(t *testing.T, page, text string) string {
	t.Helper()
	i := strings.Index(page, text)
	if i < 0 {
		t.Fatalf("no tweet %q on the page", text)
	}
	m := regexp.MustCompile(`class="when" href="/@\w+/(\d+)"`).FindAllStringSubmatch(page[:i], -1)
	if m == nil {
		t.Fatalf("no permalink before %q", text)
	}
	return m[len(m)-1][1]
}

// TestSocialFlow walks follow → home timeline → like → repost → reply
// through the real router on both databases.
func TestSocialFlow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		alice, bob, carol := s.browser(), s.browser(), s.browser()
		alice.SignUp("alice", "password1")
		bob.SignUp("bob", "password1")
		carol.SignUp("carol", "password1")
		bob.PostTweet("bob first words", "", nil)
		carol.PostTweet("carol thought", "", nil)

		// Before following: not on alice's home, but on /public.
		if strings.Contains(alice.Get("/").Body, "bob first words") {
			t.Error("an unfollowed account's tweet is on the home timeline")
		}
		expect(t, alice.Get("/public"), 200, "bob first words", "carol thought")
		expect(t, s.browser().Get("/"), 200, "bob first words") // anonymous: public

		// Follow bob from his profile.
		expect(t, alice.Get("/@bob"), 200, ">Follow<", "<strong>0</strong> followers")
		r := alice.Post("/users/bob/follow", url.Values{})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/@bob" {
			t.Fatalf("follow: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, alice.Get("/@bob"), 200, ">Unfollow<", "<strong>1</strong> follower<")
		expect(t, alice.Get("/@bob/followers"), 200, `href="/@alice"`)
		expect(t, alice.Get("/@alice/following"), 200, `href="/@bob"`)
		expect(t, bob.Get("/@alice"), 200, "Follows you")
		home := alice.Get("/")
		expect(t, home, 200, "bob first words")
		if strings.Contains(home.Body, "carol thought") {
			t.Error("carol's tweet is on alice's home before anyone reposts it")
		}

		// bob reposts carol: it reaches alice, credited to bob.
		id := tweetIDOf(t, bob.Get("/public").Body, "carol thought")
		expect(t, bob.Post("/tweets/"+id+"/repost", url.Values{"next": {"/public"}}), 303)
		expect(t, alice.Get("/"), 200, "carol thought", `Reposted by <a href="/@bob">@bob</a>`)

		// alice likes bob's tweet; the count and her state show.
		bid := tweetIDOf(t, alice.Get("/").Body, "bob first words")
		r = alice.Post("/tweets/"+bid+"/like", url.Values{"next": {"/"}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/" {
			t.Fatalf("like: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, alice.Get("/@bob/"+bid), 200, `aria-pressed="true">1<span class="visually-hidden"> like: unlike`)
		expect(t, alice.Post("/tweets/"+bid+"/like", url.Values{}), 303) // twice is fine
		expect(t, s.browser().Get("/@bob/"+bid), 200, `1<span class="visually-hidden"> like</span>`)

		// alice replies on the permalink.
		alice.Get("/@bob/" + bid)
		r = alice.Post("/tweets", url.Values{"text": {"nice words, bob"}, "reply_to": {bid}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/@bob/"+bid {
			t.Fatalf("reply: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		thread := alice.Get("/@bob/" + bid)
		expect(t, thread, 200, "nice words, bob", "Replies", `1<span class="visually-hidden"> reply</span>`)
		rid := tweetIDOf(t, thread.Body, "nice words, bob")
		expect(t, alice.Get("/@alice/"+rid), 200, `In reply to <a href="/@bob/`+bid+`">@bob</a>`, "bob first words")

		// A refused reply comes back on its thread with the text kept.
		expect(t, alice.Post("/tweets", url.Values{"text": {strings.Repeat("x", 281)}, "reply_to": {bid}}), 422, "Your reply", "too long")

		// bob deletes his tweet: alice's reply stays, answering a deleted one.
		bob.Get("/@bob/" + bid)
		expect(t, bob.Post("/tweets/"+bid+"/delete", url.Values{}), 303)
		expect(t, alice.Get("/@alice/"+rid), 200, "nice words, bob", "In reply to a deleted tweet")
		expect(t, alice.Post("/tweets", url.Values{"text": {"too late"}, "reply_to": {bid}}), 422, "was deleted")

		// Unfollow: bob's tweets leave alice's home.
		bob.PostTweet("after the unfollow", "", nil)
		expect(t, alice.Post("/users/bob/unfollow", url.Values{}), 303)
		if strings.Contains(alice.Get("/").Body, "after the unfollow") {
			t.Error("an unfollowed account's tweet is still on the home timeline")
		}
	})
}

// TestSocialActionsNeedAnAccount: anonymous visitors, suspended accounts
// and forged forms change nothing.
func TestSocialActionsNeedAnAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		bob := s.browser()
		bob.SignUp("bob", "password1")
		bob.PostTweet("target", "", nil)
		id := tweetIDOf(t, bob.Get("/").Body, "target")
		anon := s.browser()
		anon.Get("/")
		for _, path := range []string{"/tweets/" + id + "/like", "/tweets/" + id + "/repost", "/users/bob/follow"} {
			expect(t, anon.Post(path, url.Values{}), 401)
		}
		mallory := s.browser()
		mallory.SignUp("mallory", "password1")
		expect(t, mallory.Post("/tweets/"+id+"/like", url.Values{"csrf": {"forged"}}), 403)
		expect(t, mallory.Post("/users/mallory/follow", url.Values{}), 422, "cannot follow yourself")
		expect(t, mallory.Post("/tweets/123/like", url.Values{}), 404)
		expect(t, mallory.Post("/users/nobody/follow", url.Values{}), 404)

		// A suspended account can act no more.
		root, _ := s.svc.CreateAccount(ctx, "root", "password1")
		s.svc.Store.SetAdmin(ctx, root.ID, true)
		root.IsAdmin = true
		m, _ := s.svc.UserByUsername(ctx, "mallory")
		m.SuspendedAt = m.CreatedAt
		if err := s.svc.Like(ctx, m, mustID(t, id)); tweets.ErrorCode(err) != tweets.CodeForbidden {
			t.Errorf("a suspended account liked: %v", err)
		}
		ts, _ := s.svc.Timeline(ctx, tweets.TimelineQuery{Limit: 5})
		if len(ts) != 1 || ts[0].Likes != 0 || ts[0].Reposts != 0 {
			t.Errorf("figures after refused actions: %+v", ts)
		}
	})
}

func mustID(t *testing.T, s string) tweets.ID {
	t.Helper()
	id, err := tweets.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var _ = webtest.Expect

// TestNotifications: likes and reposts of one tweet come grouped,
// replies and follows alone; the count shows until the page is seen;
// undoing an action takes its notification back.
func TestNotifications(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		bob, ann, cid := s.browser(), s.browser(), s.browser()
		bob.SignUp("bob", "password1")
		ann.SignUp("ann", "password1")
		cid.SignUp("cid", "password1")
		bob.PostTweet("notify me", "", nil)
		id := tweetIDOf(t, bob.Get("/").Body, "notify me")
		expect(t, bob.Get("/notifications"), 200, "Nothing yet")
		for _, b := range []*webtest.Browser{ann, cid} {
			b.Get("/public")
			expect(t, b.Post("/tweets/"+id+"/like", url.Values{}), 303)
			expect(t, b.Post("/tweets/"+id+"/like", url.Values{}), 303) // twice tells once
		}
		expect(t, ann.Post("/users/bob/follow", url.Values{}), 303)
		expect(t, cid.Post("/tweets", url.Values{"text": {"a reply for bob"}, "reply_to": {id}}), 303)
		bob.PostTweet("my own like", "", nil)
		own := tweetIDOf(t, bob.Get("/@bob").Body, "my own like")
		expect(t, bob.Post("/tweets/"+own+"/like", url.Values{}), 303) // not told of oneself

		expect(t, bob.Get("/public"), 200, `Notifications <span class="badge">4<span class="visually-hidden"> new</span>`)
		page := bob.Get("/notifications")
		expect(t, page, 200, `<a href="/@cid">@cid</a>, <a href="/@ann">@ann</a> liked your tweet`,
			`<a href="/@ann">@ann</a> followed you`, `<a href="/@cid">@cid</a> replied`, "a reply for bob")
		list := page.Body[strings.Index(page.Body, `<ol class="notifications">`):]
		if n := strings.Count(list[:strings.Index(list, "</ol>")], "<li"); n != 3 {
			t.Errorf("%d notification lines, want 3 (likes grouped, a follow, a reply)", n)
		}
		if strings.Contains(bob.Get("/public").Body, `class="badge"`) {
			t.Error("the count still shows after the notifications were seen")
		}
		// Unfollowing takes the follow notification back.
		expect(t, ann.Post("/users/bob/unfollow", url.Values{}), 303)
		if strings.Contains(bob.Get("/notifications").Body, "followed you") {
			t.Error("an undone follow is still notified")
		}
		// Another account's notifications are never shown.
		if strings.Contains(ann.Get("/notifications").Body, "liked your tweet") {
			t.Error("ann sees bob's notifications")
		}
	})
}

// TestBlocksAndMutes: a block ends the follows between two accounts and
// keeps each from the other's tweets, follows, likes and replies; a mute
// takes an account off the muter's lists and notifications only.
func TestBlocksAndMutes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		bob, mal, ann, cat := s.browser(), s.browser(), s.browser(), s.browser()
		bob.SignUp("bob", "password1")
		mal.SignUp("mal", "password1")
		ann.SignUp("ann", "password1")
		cat.SignUp("cat", "password1")
		bob.PostTweet("bob speaks", "", nil)
		mal.PostTweet("mal speaks", "", nil)
		cat.PostTweet("cat speaks", "", nil)
		id := tweetIDOf(t, bob.Get("/@bob").Body, "bob speaks")
		expect(t, mal.Post("/users/bob/follow", url.Values{}), 303)
		expect(t, bob.Post("/users/mal/follow", url.Values{}), 303)

		expect(t, bob.Post("/users/mal/block", url.Values{}), 303)
		expect(t, bob.Get("/@mal"), 200, "You block @mal", ">Unblock<")
		expect(t, bob.Get("/@bob"), 200, "<strong>0</strong> followers", "<strong>0</strong> following")
		expect(t, mal.Get("/@bob"), 200, "@bob has blocked you.")
		if strings.Contains(mal.Get("/@bob").Body, "bob speaks") || strings.Contains(mal.Get("/public").Body, "bob speaks") {
			t.Error("a blocked account sees the blocker's tweets")
		}
		if strings.Contains(bob.Get("/public").Body, "mal speaks") {
			t.Error("the blocker sees the blocked account's tweets")
		}
		expect(t, mal.Get("/@bob/"+id), 404)
		expect(t, mal.Post("/users/bob/follow", url.Values{}), 403, "has blocked you")
		expect(t, mal.Post("/tweets/"+id+"/like", url.Values{}), 404)
		expect(t, mal.Post("/tweets", url.Values{"text": {"let me in"}, "reply_to": {id}}), 404)
		expect(t, s.browser().Get("/@bob/"+id), 200, "bob speaks") // anonymous: public
		expect(t, bob.Post("/users/mal/unblock", url.Values{}), 303)
		expect(t, mal.Get("/@bob/"+id), 200, "bob speaks")

		// ann follows cat, then mutes her.
		expect(t, ann.Post("/users/cat/follow", url.Values{}), 303)
		expect(t, ann.Get("/"), 200, "cat speaks")
		expect(t, ann.Post("/users/cat/mute", url.Values{}), 303)
		for _, page := range []string{"/", "/public"} {
			if strings.Contains(ann.Get(page).Body, "cat speaks") {
				t.Errorf("a muted account's tweet is on %s", page)
			}
		}
		expect(t, ann.Get("/@cat"), 200, "cat speaks", "You mute @cat") // her profile still shows them
		ann.PostTweet("ann speaks", "", nil)
		aid := tweetIDOf(t, ann.Get("/@ann").Body, "ann speaks")
		expect(t, cat.Post("/tweets/"+aid+"/like", url.Values{}), 303) // cat never knows
		if strings.Contains(ann.Get("/notifications").Body, "@cat") {
			t.Error("a muted account's like is notified")
		}
		expect(t, ann.Post("/users/cat/unmute", url.Values{}), 303)
		expect(t, ann.Get("/"), 200, "cat speaks")
	})
}

// TestReplyControlsAndMentions: the author's choice of who may reply is
// enforced, and mentions are notified.
func TestReplyControlsAndMentions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		bob, ann, cid := s.browser(), s.browser(), s.browser()
		bob.SignUp("bob", "password1")
		ann.SignUp("ann", "password1")
		cid.SignUp("cid", "password1")
		expect(t, bob.Post("/users/ann/follow", url.Values{}), 303)
		bob.Get("/")
		expect(t, bob.Post("/tweets", url.Values{"text": {"friends only"}, "reply_policy": {"following"}}), 303)
		expect(t, bob.Post("/tweets", url.Values{"text": {"hey @cid, just you"}, "reply_policy": {"mentioned"}}), 303)
		expect(t, bob.Post("/tweets", url.Values{"text": {"bad policy"}, "reply_policy": {"friends"}}), 422, "Choose who can reply")
		page := bob.Get("/@bob").Body
		friends, mention := tweetIDOf(t, page, "friends only"), tweetIDOf(t, page, "just you")

		thread := ann.Get("/@bob/" + friends)
		expect(t, thread, 200, "Only people @bob follows can reply.", "Your reply")
		expect(t, ann.Post("/tweets", url.Values{"text": {"ann answers"}, "reply_to": {friends}}), 303)
		if strings.Contains(cid.Get("/@bob/"+friends).Body, "Your reply") {
			t.Error("a reply form is offered to someone the policy keeps out")
		}
		expect(t, cid.Post("/tweets", url.Values{"text": {"cid butts in"}, "reply_to": {friends}}), 403, "Only people @bob follows can reply")
		expect(t, ann.Post("/tweets", url.Values{"text": {"not mentioned"}, "reply_to": {mention}}), 403, "Only people this tweet mentions")
		expect(t, cid.Post("/tweets", url.Values{"text": {"mentioned, so here"}, "reply_to": {mention}}), 303)
		expect(t, bob.Post("/tweets", url.Values{"text": {"the author always may"}, "reply_to": {friends}}), 303)

		expect(t, cid.Get("/notifications"), 200, `<a href="/@bob">@bob</a> mentioned you`, "hey @cid, just you")
	})
}

// TestEdits: an author edits a tweet; the earlier text stays in its
// history, tags and search follow the new text, people who liked it are
// told, and nobody else can edit it.
func TestEdits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		bob, ann := s.browser(), s.browser()
		bob.SignUp("bob", "password1")
		ann.SignUp("ann", "password1")
		bob.PostTweet("first try #one", "", nil)
		id := tweetIDOf(t, bob.Get("/@bob").Body, "first try")
		ann.Get("/public")
		expect(t, ann.Post("/tweets/"+id+"/like", url.Values{}), 303)

		expect(t, bob.Get("/tweets/"+id+"/edit"), 200, "first try #one")
		expect(t, bob.Post("/tweets/"+id+"/edit", url.Values{"text": {strings.Repeat("y", 281)}}), 422, "too long", strings.Repeat("y", 281))
		r := bob.Post("/tweets/"+id+"/edit", url.Values{"text": {"second try #two"}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/@bob/"+id {
			t.Fatalf("edit: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, bob.Get("/@bob/"+id), 200, "second try", ">Edited<")
		expect(t, s.browser().Get("/@bob/"+id+"/history"), 200, "second try", "first try", "Earlier")
		if strings.Contains(s.browser().Get("/tags/one").Body, "try") {
			t.Error("the old tag still lists the edited tweet")
		}
		expect(t, s.browser().Get("/tags/two"), 200, "second try")
		expect(t, s.browser().Get("/search?q=second"), 200, "second try")
		expect(t, ann.Get("/notifications"), 200, "edited a tweet you liked, reposted or quoted")

		ann.Get("/public")
		expect(t, ann.Post("/tweets/"+id+"/edit", url.Values{"text": {"ann's words"}}), 403, "only your own")
		expect(t, ann.Get("/tweets/"+id+"/edit"), 403)
		expect(t, s.browser().Get("/@bob/"+id), 200, "second try")
	})
}

// TestQuotes: a quote embeds and credits the tweet it quotes, counts on
// it, tells its author, and shows a placeholder once the quoted tweet is
// deleted or hidden from the reader.
func TestQuotes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		bob, ann, mal := s.browser(), s.browser(), s.browser()
		bob.SignUp("bob", "password1")
		ann.SignUp("ann", "password1")
		mal.SignUp("mal", "password1")
		bob.PostTweet("quotable words", "", nil)
		id := tweetIDOf(t, bob.Get("/@bob").Body, "quotable words")

		expect(t, ann.Get("/tweets/"+id+"/quote"), 200, `name="quote_id" value="`+id+`"`, "quotable words")
		expect(t, ann.Post("/tweets", url.Values{"text": {strings.Repeat("q", 281)}, "quote_id": {id}}), 422, "Quote a tweet", "quotable words")
		expect(t, ann.Post("/tweets", url.Values{"text": {"so true"}, "quote_id": {id}}), 303)
		page := s.browser().Get("/@ann").Body
		if !strings.Contains(page, `<blockquote class="quoted">`) || !strings.Contains(page, "quotable words") {
			t.Errorf("the quote does not embed the quoted tweet:\n%s", page)
		}
		expect(t, s.browser().Get("/@bob/"+id), 200, `1<span class="visually-hidden"> quote</span>`)
		expect(t, bob.Get("/notifications"), 200, `<a href="/@ann">@ann</a> quoted your tweet`)

		// Blocked from the quoted author's view: a placeholder.
		expect(t, bob.Post("/users/mal/block", url.Values{}), 303)
		if p := mal.Get("/@ann").Body; strings.Contains(p, "quotable words") || !strings.Contains(p, "This tweet is unavailable") {
			t.Error("a reader blocked by the quoted author sees the quoted tweet")
		}
		expect(t, mal.Post("/tweets", url.Values{"text": {"mine now"}, "quote_id": {id}}), 422, "was deleted")

		// Deleted: a placeholder for everyone.
		bob.Get("/@bob")
		expect(t, bob.Post("/tweets/"+id+"/delete", url.Values{}), 303)
		expect(t, s.browser().Get("/@ann"), 200, "so true", "This tweet is unavailable")
	})
}

// postImages sends the compose form with files and alt texts, in the
// form's fields (image, image2, …; alt, alt2, …).
func postImages(t *testing.T, b *webtest.Browser, text string, files [][]byte, alts []string) webtest.Response {
	t.Helper()
	names := [][2]string{{"image", "alt"}, {"image2", "alt2"}, {"image3", "alt3"}, {"image4", "alt4"}}
	var parts []part
	fields := [][2]string{{"text", text}}
	for i, f := range files {
		parts = append(parts, part{names[i][0], fmt.Sprintf("photo%d.png", i+1), f})
		fields = append(fields, [2]string{names[i][1], alts[i]})
	}
	return postMultipart(b, "/tweets", parts, fields)
}

// part is a file of a multipart form.
type part struct {
	field, filename string
	data            []byte
}

// postMultipart sends a multipart form with the browser's CSRF token,
// the fields, and the files.
func postMultipart(b *webtest.Browser, path string, files []part, fields [][2]string) webtest.Response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.CSRF)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile(f.field, f.filename)
		fw.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.Base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// TestSeveralImagesWithAltText: up to four images, each with its
// description rendered as alt; a bad one refuses the tweet whole and
// keeps the descriptions typed.
func TestSeveralImagesWithAltText(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("photog", "password1")
		img := func(n int) []byte { return testimage.PNG(10+n, 10) }
		alts := []string{"a red square", "", "un carré « bleu »", "緑の四角 🟩"}
		r := postImages(t, b, "four of them", [][]byte{img(1), img(2), img(3), img(4)}, alts)
		if r.StatusCode != 303 {
			t.Fatalf("post: %d\n%s", r.StatusCode, r.Body)
		}
		page := b.Get("/@photog").Body
		for _, want := range []string{`alt="a red square"`, `alt="Image attached by @photog"`, `alt="un carré « bleu »"`, `alt="緑の四角 🟩"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if n := strings.Count(page, `<a class="media"`); n != 4 {
			t.Errorf("%d images shown, want 4", n)
		}
		before := s.count()
		r = postImages(t, b, "one is bad", [][]byte{img(1), []byte("not an image at all"), img(3)}, []string{"kept one", "kept two", "kept three"})
		expect(t, r, 422, "Image 2: This file is not an image we accept", "kept two", "kept three")
		expect(t, postImages(t, b, "long alt", [][]byte{img(1)}, []string{strings.Repeat("d", 1501)}), 422, "the limit is 1500")
		if s.count() != before {
			t.Error("a refused post stored a tweet")
		}
	})
}
