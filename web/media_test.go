package web_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
	"github.com/tweetsdev/tweets/web"
)

// TestSuspendedAuthorsMediaHidden: while an account is suspended its
// images answer 404 to everyone but admins, like its tweets, and come
// back when the suspension is lifted. The server either sends the file
// or, behind nginx, names it in X-Accel-Redirect: both keep the rule.
func TestSuspendedAuthorsMediaHidden(t *testing.T) {
	for _, b := range testapp.Backends() {
		for _, mode := range []struct {
			name   string
			change func(*web.Options)
		}{
			{"sends files", func(*web.Options) {}},
			{"X-Accel-Redirect", func(o *web.Options) { o.MediaAccelPrefix = "/_media/" }},
		} {
			t.Run(b.Name+"/"+mode.name, func(t *testing.T) {
				testSuspendedAuthorsMedia(t, newSite(t, b, mode.change), mode.name == "X-Accel-Redirect")
			})
		}
	}
}

func testSuspendedAuthorsMedia(t *testing.T, s *site, accel bool) {
	ctx := context.Background()
	image := testimage.PNG(40, 30)
	bob := s.browser()
	bob.SignUp("bob", "password1")
	bob.PostTweet("my cat", "cat.png", image)
	m := regexp.MustCompile(`<img src="(/media/([a-z0-9]+\.png))"`).FindStringSubmatch(bob.Get("/").Body)
	if m == nil {
		t.Fatal("no image on the timeline")
	}
	url, key := m[1], m[2]
	// What is served is what was stored: the upload written anew.
	if b, err := s.svc.Blobs.Open(ctx, key); err != nil {
		t.Fatal(err)
	} else {
		image, _ = io.ReadAll(b)
		b.Close()
	}

	root := s.browser()
	root.SignUp("root", "password1")
	admin, _ := s.svc.Store.UserByUsername(ctx, "root")
	if err := s.svc.Store.SetAdmin(ctx, admin.ID, true); err != nil {
		t.Fatal(err)
	}
	admin.IsAdmin = true
	carol := s.browser()
	carol.SignUp("carol", "password1")
	bobUser, _ := s.svc.Store.UserByUsername(ctx, "bob")

	// served checks that the file is given out, and how it may be cached.
	served := func(who string, r webtest.Response, cache string) {
		t.Helper()
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("Cache-Control") != cache ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s: %d %v; want 200, image/png, Cache-Control %q, a sandbox CSP", who, r.StatusCode, r.Header, cache)
		}
		switch {
		case accel && (r.Header.Get("X-Accel-Redirect") != "/_media/"+key || r.Body != ""):
			t.Errorf("%s: X-Accel-Redirect %q with %d bytes of body; want /_media/%s and none", who, r.Header.Get("X-Accel-Redirect"), len(r.Body), key)
		case !accel && !bytes.Equal([]byte(r.Body), image):
			t.Errorf("%s: the body is not the image (%d bytes)", who, len(r.Body))
		}
	}
	hidden := func(who string, r webtest.Response) {
		t.Helper()
		expect(t, r, 404, "There is no such file")
		if r.Header.Get("X-Accel-Redirect") != "" || strings.Contains(r.Body, "PNG") || strings.Contains(r.Header.Get("Cache-Control"), "public") {
			t.Errorf("%s: a hidden file leaks or is cacheable: %v", who, r.Header)
		}
	}
	const forever = "public, max-age=31536000, immutable"

	served("anonymous, before the suspension", s.browser().Get(url), forever)

	if err := s.svc.SetSuspended(ctx, admin, bobUser.ID, true); err != nil {
		t.Fatal(err)
	}
	hidden("anonymous", s.browser().Get(url))
	hidden("another user", carol.Get(url))
	hidden("the suspended author", bob.Get(url))
	// An admin sees it, as with the tweets, but no shared cache may keep it.
	served("an admin", root.Get(url), "private, no-store")

	if err := s.svc.SetSuspended(ctx, admin, bobUser.ID, false); err != nil {
		t.Fatal(err)
	}
	served("anonymous, after the suspension was lifted", s.browser().Get(url), forever)
	served("another user, after the suspension was lifted", carol.Get(url), forever)

	// A file that no tweet has is not served, though it is on disk.
	if err := s.svc.Blobs.Put(ctx, "orphan0123.png", bytes.NewReader(image), "image/png"); err != nil {
		t.Fatal(err)
	}
	hidden("a file without a tweet", s.browser().Get("/media/orphan0123.png"))

	// Once the tweet is deleted, its file is gone for everyone.
	ts, _ := s.svc.Timeline(ctx, tweets.TimelineQuery{AuthorID: bobUser.ID})
	if err := s.svc.AdminDeleteTweet(ctx, admin, ts[0].ID); err != nil {
		t.Fatal(err)
	}
	hidden("a deleted tweet's file, to an admin", root.Get(url))
}

// TestUploadsLoseTheirMetadata: a phone photo with a GPS position, XMP,
// an ICC profile and a comment is served without any of them, turned
// upright as its EXIF said.
func TestUploadsLoseTheirMetadata(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("phone", "password1")
		expect(t, b.PostTweet("from my phone", "IMG_0001.jpg", testimage.JPEGWithMetadata(40, 30, 6)), 303)
		m := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.jpg)" width="(\d+)" height="(\d+)"`).FindStringSubmatch(b.Get("/").Body)
		if m == nil {
			t.Fatal("no image on the timeline")
		}
		if m[2] != "30" || m[3] != "40" {
			t.Errorf("the page says %s×%s; the photo turned upright is 30×40", m[2], m[3])
		}
		served := b.Get(m[1])
		expect(t, served, 200)
		for _, leak := range testimage.Leaks {
			if strings.Contains(served.Body, leak) {
				t.Errorf("the served file holds %q", leak)
			}
		}
		cfg, err := jpeg.DecodeConfig(strings.NewReader(served.Body))
		if err != nil || cfg.Width != 30 || cfg.Height != 40 {
			t.Errorf("the served file: %v %d×%d", err, cfg.Width, cfg.Height)
		}
	})
}
