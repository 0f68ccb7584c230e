package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// unzip reads a downloaded archive into its files.
func unzip(t *testing.T, body string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the download is not a ZIP file: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	return files
}

func TestExportData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		b := s.browser()
		b.SignUp("alice", "password1")
		alice, err := s.svc.UserByUsername(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.UpdateProfile(ctx, alice, tweets.Profile{DisplayName: "Alice 🐇 Ærø", Bio: "<b>bold</b> & \"quoted\"\nשָׁלוֹם"}); err != nil {
			t.Fatal(err)
		}
		img := testimage.PNG(40, 30)
		for _, tw := range []struct {
			text string
			img  []byte
		}{{"first", nil}, {"second <b>&</b> \"quoted\"", img}, {"third", nil}} {
			name := ""
			if tw.img != nil {
				name = "cat.png"
			}
			if r := b.PostTweet(tw.text, name, tw.img); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("post %q: %d", tw.text, r.StatusCode)
			}
		}
		bob := s.browser()
		bob.SignUp("bob", "password2")
		bob.PostTweet("not alice's", "", nil)
		// The social graph: alice follows bob, carol follows alice; alice
		// likes and reposts bob's tweet.
		alice, _ = s.svc.UserByUsername(ctx, "alice")
		if _, err := s.svc.Follow(ctx, alice, "bob"); err != nil {
			t.Fatal(err)
		}
		carol, _ := s.svc.CreateAccount(ctx, "carol", "password3")
		if _, err := s.svc.Follow(ctx, carol, "alice"); err != nil {
			t.Fatal(err)
		}
		bobs, _ := s.svc.Timeline(ctx, tweets.TimelineQuery{AuthorID: mustUserID(t, s, "bob"), Limit: 1})
		if err := s.svc.Like(ctx, alice, bobs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.svc.Repost(ctx, alice, bobs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.svc.Bookmark(ctx, alice, bobs[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Mute(ctx, alice, "bob"); err != nil {
			t.Fatal(err)
		}

		expect(t, b.Get("/settings"), 200, "<h1>Settings</h1>", "@alice", "Joined", `href="/settings/export"`, "Download my data")

		r := b.Get("/settings/export")
		expect(t, r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/zip" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="?tweets-export-alice-\d{4}-\d{2}-\d{2}\.zip"?$`).MatchString(cd) {
			t.Errorf("Content-Disposition %q", cd)
		}
		files := unzip(t, r.Body)

		var account map[string]any
		if err := json.Unmarshal(files["account.json"], &account); err != nil {
			t.Fatalf("account.json: %v\n%s", err, files["account.json"])
		}
		if account["id"] != alice.ID.String() || account["username"] != "alice" || account["is_admin"] != false ||
			account["created_at"] != alice.CreatedAt.UTC().Format(time.RFC3339Nano) ||
			account["display_name"] != "Alice 🐇 Ærø" || account["bio"] != "<b>bold</b> & \"quoted\"\nשָׁלוֹם" {
			t.Errorf("account.json = %v", account)
		}
		if bytes.Contains(files["account.json"], []byte("password")) {
			t.Error("account.json holds the password hash")
		}

		var ts []struct {
			ID        any       `json:"id"`
			Text      string    `json:"text"`
			CreatedAt time.Time `json:"created_at"`
			Media     []struct {
				File        string `json:"file"`
				ContentType string `json:"content_type"`
				Width       int    `json:"width"`
				Height      int    `json:"height"`
				Size        int64  `json:"size"`
			} `json:"media"`
		}
		if err := json.Unmarshal(files["tweets.json"], &ts); err != nil {
			t.Fatalf("tweets.json: %v\n%s", err, files["tweets.json"])
		}
		var texts []string
		for _, tw := range ts {
			texts = append(texts, tw.Text)
			if _, ok := tw.ID.(string); !ok {
				t.Errorf("tweet id %v is a %T, want a string", tw.ID, tw.ID)
			}
		}
		if want := []string{"third", "second <b>&</b> \"quoted\"", "first"}; strings.Join(texts, "|") != strings.Join(want, "|") {
			t.Fatalf("tweets.json has %q; want alice's three, newest first: %q", texts, want)
		}
		// The stored image is the upload written anew, and the export
		// carries it as stored.
		if m := ts[1].Media; len(m) != 1 || !strings.HasPrefix(m[0].File, "media/") || m[0].ContentType != "image/png" ||
			m[0].Width != 40 || m[0].Height != 30 || m[0].Size != int64(len(files[m[0].File])) {
			t.Errorf("media of the second tweet = %+v", m)
		} else if cfg, err := png.DecodeConfig(bytes.NewReader(files[m[0].File])); err != nil || cfg.Width != 40 {
			t.Errorf("%s is not the image: %v", m[0].File, err)
		}
		if ts[0].Media == nil || len(ts[0].Media) != 0 {
			t.Errorf("a tweet without media has media %v; want []", ts[0].Media)
		}
		if got := strings.Join(strings.Fields(string(files["follows.json"])), ""); got != `{"following":["bob"],"followers":["carol"],"blocking":[],"muting":["bob"]}` {
			t.Errorf("follows.json = %s", files["follows.json"])
		}
		for _, name := range []string{"likes.json", "reposts.json", "bookmarks.json"} {
			if !strings.Contains(string(files[name]), `"tweet_id": "`+bobs[0].ID.String()+`"`) {
				t.Errorf("%s = %s; want bob's tweet", name, files[name])
			}
		}
		if len(files) != 7 {
			var names []string
			for n := range files {
				names = append(names, n)
			}
			t.Errorf("the archive holds %v; want the 6 JSON files and 1 image", names)
		}

		anon := s.browser()
		for _, path := range []string{"/settings", "/settings/export"} {
			r := anon.Get(path)
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("anonymous GET %s: %d to %q; want a redirect to /login", path, r.StatusCode, r.Header.Get("Location"))
			}
		}
	})
}

// An export pages through every tweet, not only the first page.
func TestExportDataPages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		b := s.browser()
		b.SignUp("prolific", "password1")
		u, err := s.svc.UserByUsername(ctx, "prolific")
		if err != nil {
			t.Fatal(err)
		}
		const n = 205
		s.svc.Limits.Post = nil // setup posts faster than people may
		for i := range n {
			if _, err := s.svc.PostTweet(ctx, u, "tweet "+tweets.ID(i).String(), nil); err != nil {
				t.Fatal(err)
			}
		}
		files := unzip(t, b.Get("/settings/export").Body)
		var ts []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(files["tweets.json"], &ts); err != nil {
			t.Fatal(err)
		}
		if len(ts) != n {
			t.Fatalf("tweets.json has %d tweets, want %d", len(ts), n)
		}
		for i := 1; i < len(ts); i++ {
			prev, _ := tweets.ParseID(ts[i-1].ID)
			cur, _ := tweets.ParseID(ts[i].ID)
			if cur >= prev {
				t.Fatalf("tweets %d and %d are out of order: %s, %s", i-1, i, ts[i-1].ID, ts[i].ID)
			}
		}
	})
}

func mustUserID(t *testing.T, s *site, name string) tweets.ID {
	t.Helper()
	u, err := s.svc.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
