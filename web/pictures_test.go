package web_test

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // decodes the served thumbnails
	_ "image/png"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// TestPhotosShowThumbnails: four photos show as four thumbnails of
// their own size, each with its alt text and a placeholder of its
// colour, linking to the full image; files are served with an ETag
// (304 on a match) and byte ranges.
func TestPhotosShowThumbnails(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("photog", "password1")
		photo := testimage.JPEG(1600, 1200)
		alts := []string{"one", "two", "three", "four"}
		if r := postImages(t, b, "four photos", [][]byte{photo, photo, photo, photo}, alts); r.StatusCode != 303 {
			t.Fatalf("post: %d\n%s", r.StatusCode, r.Body)
		}
		page := b.Get("/@photog").Body
		re := regexp.MustCompile(`<a class="media" href="/media/([a-z0-9]+\.jpg)"><span class="frame"><img class="placeholder" src="data:image/gif;base64,[A-Za-z0-9+/=]+" width="640" height="480" alt=""><img src="/media/([a-z0-9]+\.jpg)" width="640" height="480" loading="lazy" decoding="async" alt="([a-z]+)"></span></a>`)
		found := re.FindAllStringSubmatch(page, -1)
		if len(found) != 4 {
			t.Fatalf("%d thumbnails with placeholders shown, want 4:\n%s", len(found), page)
		}
		for i, m := range found {
			if m[3] != alts[i] || m[1] == m[2] {
				t.Errorf("photo %d: alt %q, full %s, thumbnail %s", i+1, m[3], m[1], m[2])
			}
		}
		full, thumb := found[0][1], found[0][2]
		r := b.Get("/media/" + thumb)
		cfg, format, err := image.DecodeConfig(strings.NewReader(r.Body))
		if err != nil || format != "jpeg" || cfg.Width != 640 || cfg.Height != 480 {
			t.Errorf("thumbnail: %v %s %d×%d", err, format, cfg.Width, cfg.Height)
		}
		r = b.Get("/media/" + full)
		etag := r.Header.Get("Etag")
		if cfg, _, err := image.DecodeConfig(strings.NewReader(r.Body)); err != nil || cfg.Width != 1600 || etag != `"`+full+`"` {
			t.Errorf("full image: %v %d wide, ETag %q", err, cfg.Width, etag)
		}
		req, _ := http.NewRequest("GET", b.Base+"/media/"+full, nil)
		req.Header.Set("If-None-Match", etag)
		if r := b.Do(req); r.StatusCode != 304 || r.Body != "" {
			t.Errorf("If-None-Match: %d with %d bytes, want 304", r.StatusCode, len(r.Body))
		}
		req, _ = http.NewRequest("GET", b.Base+"/media/"+full, nil)
		req.Header.Set("Range", "bytes=10-109")
		whole := b.Get("/media/" + full).Body
		if r := b.Do(req); r.StatusCode != 206 || r.Body != whole[10:110] || r.Header.Get("Content-Range") != fmt.Sprintf("bytes 10-109/%d", len(whole)) {
			t.Errorf("Range: %d, %d bytes, Content-Range %q", r.StatusCode, len(r.Body), r.Header.Get("Content-Range"))
		}
	})
}

// postPictures sends the profile pictures form.
func postPictures(b *webtest.Browser, files map[string][]byte, fields map[string]string) webtest.Response {
	var parts []part
	for name, data := range files {
		parts = append(parts, part{name, name + ".png", data})
	}
	var fs [][2]string
	for k, v := range fields {
		fs = append(fs, [2]string{k, v})
	}
	return postMultipart(b, "/settings/pictures", parts, fs)
}

// TestProfilePictures: without an avatar, tweets show the account's
// initial; an uploaded avatar and header show on the profile and beside
// every tweet, cut to shape; a replaced one stops being served at once
// and its file goes with the next sweep; a bad file is refused on the
// form, and nothing changes.
func TestProfilePictures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		b := s.browser()
		b.SignUp("zoe", "password1")
		b.PostTweet("hello", "", nil)
		expect(t, b.Get("/@zoe"), 200, `aria-hidden="true">Z</span>`)

		r := postPictures(b, map[string][]byte{"avatar": testimage.PNG(900, 600), "header": testimage.JPEG(3000, 1500)}, nil)
		expect(t, r, 303)
		u, _ := s.svc.Store.UserByUsername(ctx, "zoe")
		if u.Avatar == "" || u.Header == "" {
			t.Fatalf("stored: %+v", u)
		}
		expect(t, b.Get("/@zoe"), 200, `<img class="profile-header" src="/media/`+u.Header+`"`,
			`<img class="avatar avatar-96" src="/media/`+u.Avatar+`"`, `<img class="avatar avatar-32" src="/media/`+u.Avatar+`"`)
		for key, want := range map[string][2]int{u.Avatar: {400, 400}, u.Header: {1500, 500}} {
			cfg, _, err := image.DecodeConfig(strings.NewReader(b.Get("/media/" + key).Body))
			if err != nil || cfg.Width != want[0] || cfg.Height != want[1] {
				t.Errorf("%s: %v %d×%d, want %d×%d", key, err, cfg.Width, cfg.Height, want[0], want[1])
			}
		}

		old := u.Avatar
		expect(t, postPictures(b, map[string][]byte{"avatar": testimage.JPEG(500, 500)}, map[string]string{"remove_header": "1"}), 303)
		u, _ = s.svc.Store.UserByUsername(ctx, "zoe")
		if u.Avatar == old || u.Avatar == "" || u.Header != "" {
			t.Errorf("after replacing the avatar and removing the header: %+v", u)
		}
		expect(t, b.Get("/media/"+old), 404)
		if sw, err := s.svc.SweepMedia(ctx, 10); err != nil || sw.Deleted != 2 {
			t.Errorf("sweep = %+v, %v; want the old avatar and header deleted", sw, err)
		}
		if _, err := s.svc.Blobs.Open(ctx, old); !errorsIsNotFound(err) {
			t.Errorf("the old avatar's file: %v", err)
		}

		before := u
		expect(t, postPictures(b, map[string][]byte{"header": []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")}, nil),
			422, "This file is not an image we accept", `aria-invalid="true"`)
		expect(t, postPictures(b, map[string][]byte{"avatar": testimage.BombPNG(20000, 20000)}, nil), 413, "megapixels")
		if u, _ = s.svc.Store.UserByUsername(ctx, "zoe"); u.Avatar != before.Avatar || u.Header != before.Header {
			t.Errorf("a refused picture changed the account: %+v", u)
		}
		expect(t, postPictures(b, nil, nil), 303)
	})
}

func errorsIsNotFound(err error) bool {
	return tweets.ErrorCode(err) == tweets.CodeNotFound || err == tweets.ErrNotFound
}

// TestRefusedUploadsStoreNothing: a decompression bomb, a truncated
// image, polyglots, an SVG and a fifth image are each refused with a
// message that says what is wrong, and leave no tweet and no stored
// file; a JPEG carrying a payload after its end is accepted, written
// anew, and served without it.
func TestRefusedUploadsStoreNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		b := s.browser()
		b.SignUp("mallory", "password1")
		png := testimage.PNG(40, 30)
		img := func(data []byte) []part { return []part{{"image", "x.png", data}} }
		for _, tc := range []struct {
			name   string
			files  []part
			status int
			msg    string
		}{
			{"decompression bomb", img(testimage.BombPNG(20000, 20000)), 413, "megapixels"},
			{"truncated", img(png[:len(png)/2]), 422, "damaged"},
			{"html with an image inside", img(append([]byte("<!doctype html><script>alert(1)</script>"), png...)), 422, "not an image we accept"},
			{"gif header, then script", img([]byte("GIF89a/*\x00\x00\x00\x00*/=alert(1);")), 422, "no pixels"},
			{"svg", img([]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)), 422, "not an image we accept"},
			{"a fifth image", []part{{"image", "1.png", png}, {"image", "5.png", png}, {"image2", "2.png", png}, {"image3", "3.png", png}, {"image4", "4.png", png}}, 422, "at most 4 images"},
		} {
			r := postMultipart(b, "/tweets", tc.files, [][2]string{{"text", "look: " + tc.name}})
			expect(t, r, tc.status, tc.msg, "look: "+tc.name)
		}
		if n := s.count(); n != 0 {
			t.Errorf("%d tweets stored", n)
		}
		stored := 0
		if err := s.svc.Blobs.List(ctx, func(tweets.BlobInfo) error { stored++; return nil }); err != nil || stored != 0 {
			t.Errorf("%d files stored (%v); want none", stored, err)
		}

		payload := "PK\x03\x04<script>alert(1)</script>"
		expect(t, postMultipart(b, "/tweets", img(append(testimage.JPEG(40, 30), payload...)), [][2]string{{"text", "trailing data"}}), 303)
		key := regexp.MustCompile(`<a class="media" href="/media/([a-z0-9]+\.jpg)"`).FindStringSubmatch(b.Get("/@mallory").Body)
		if key == nil {
			t.Fatal("the JPEG is not shown")
		}
		if body := b.Get("/media/" + key[1]).Body; strings.Contains(body, "<script>") || strings.Contains(body, "PK\x03\x04") {
			t.Error("the payload after the JPEG was served")
		}
	})
}

// TestEveryFormatOnEveryStore: a JPEG, PNG, GIF and WebP upload and show
// on both databases and both media stores (the directory, and a bucket
// of a real S3 server); a GPS position in the JPEG is not served; and
// deleting the tweet removes every stored object, thumbnails included.
func TestEveryFormatOnEveryStore(t *testing.T) {
	webp, err := os.ReadFile("../media/testdata/lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	files := [][]byte{testimage.JPEGWithMetadata(1200, 900, 6), testimage.PNG(700, 500), testimage.AnimatedGIF(60, 40, 3), webp}
	for _, b := range testapp.Backends() {
		for _, store := range []struct {
			name string
			opts []testapp.Option
		}{{"disk", nil}, {"s3", []testapp.Option{testapp.OnS3}}} {
			t.Run(b.Name+"/"+store.name, func(t *testing.T) {
				ctx := context.Background()
				s := newSiteWith(t, b, store.opts)
				br := s.browser()
				br.SignUp("ivy", "password1")
				expect(t, postImages(t, br, "four formats", files, []string{"jpeg", "png", "gif", "webp"}), 303)
				page := br.Get("/@ivy").Body
				links := regexp.MustCompile(`<a class="media" href="/media/([a-z0-9]+\.([a-z]+))">.*?<img src="/media/([a-z0-9]+\.[a-z]+)" width="\d+" height="\d+" loading="lazy" decoding="async" alt="([a-z]+)">`).FindAllStringSubmatch(page, -1)
				if len(links) != 4 {
					t.Fatalf("%d images shown, want 4:\n%s", len(links), page)
				}
				wantExt := map[string]string{"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "png"}
				for _, l := range links {
					full, ext, preview, alt := l[1], l[2], l[3], l[4]
					if wantExt[alt] != ext {
						t.Errorf("%s stored as .%s", alt, ext)
					}
					for _, key := range []string{full, preview} {
						r := br.Get("/media/" + key)
						if _, _, err := image.Decode(strings.NewReader(r.Body)); err != nil || r.StatusCode != 200 {
							t.Errorf("%s %s: %d %v", alt, key, r.StatusCode, err)
						}
						if strings.Contains(r.Body, "Exif") || strings.Contains(r.Body, "GPS") {
							t.Errorf("%s %s: metadata served", alt, key)
						}
					}
				}
				var keys []string
				if err := s.svc.Blobs.List(ctx, func(b tweets.BlobInfo) error { keys = append(keys, b.Key); return nil }); err != nil {
					t.Fatal(err)
				}
				if len(keys) != 7 { // four images, and thumbnails of the three wider than 640 pixels
					t.Errorf("stored %q; want 7 files", keys)
				}
				id := regexp.MustCompile(`action="/tweets/(\d+)/delete"`).FindStringSubmatch(page)
				if id == nil {
					t.Fatal("no delete button")
				}
				expect(t, br.Post("/tweets/"+id[1]+"/delete", url.Values{}), 303)
				if sw, err := s.svc.SweepMedia(ctx, 100); err != nil || sw.Deleted != 7 {
					t.Errorf("sweep: %+v %v; want 7 deleted", sw, err)
				}
				keys = nil
				_ = s.svc.Blobs.List(ctx, func(b tweets.BlobInfo) error { keys = append(keys, b.Key); return nil })
				if len(keys) != 0 {
					t.Errorf("left in the store after deleting the tweet: %q", keys)
				}
			})
		}
	}
}
