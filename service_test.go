package tweets_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/burst"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/media"
)

func forEachBackend(t *testing.T, f func(t *testing.T, svc *tweets.Service)) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) { f(t, testapp.Service(t, b.Open(t), nil)) })
	}
}

func TestPostTweetRules(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, err := svc.CreateAccount(ctx, "alice", "password1")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, text string
			image      []byte
			code       tweets.Code
			msg        string
		}{
			{"281 characters", strings.Repeat("a", 281), nil, tweets.CodeInvalid, "1 character too long"},
			{"300 emoji", strings.Repeat("🙂", 300), nil, tweets.CodeInvalid, "20 characters too long"},
			{"empty", "", nil, tweets.CodeInvalid, "Write something"},
			{"only spaces", " \n\t ", nil, tweets.CodeInvalid, "Write something"},
			{"text file as image", "look", []byte("plain text, named cat.png"), tweets.CodeInvalid, "not an image"},
			{"20000x20000 png", "big", testimage.BombPNG(20000, 20000), tweets.CodeTooLarge, "megapixels"},
			{"over 8 MiB", "huge", make([]byte, 8<<20+1), tweets.CodeTooLarge, "8 MiB"},
			{"only invisible characters", "\u200b\u200d\u2060\ufeff\u3164\u200e", nil, tweets.CodeInvalid, "Write something"},
			{"a NUL byte", "hello\x00world", nil, tweets.CodeInvalid, "NUL byte"},
			{"invalid UTF-8", "hello \xff\xfe", nil, tweets.CodeInvalid, "not UTF-8"},
			{"16-bit 8K png", "deep", testimage.PNG8K16(), tweets.CodeTooLarge, "memory"},
		} {
			var up *tweets.Upload
			if tc.image != nil {
				up = tweets.UploadBytes(tc.image)
			}
			_, err := svc.PostTweet(ctx, alice, tc.text, up)
			if tweets.ErrorCode(err) != tc.code || !strings.Contains(tweets.ErrorMessage(err), tc.msg) {
				t.Errorf("%s: err = %v; want code %d with %q", tc.name, err, tc.code, tc.msg)
			}
		}
		ts, _ := svc.Timeline(ctx, tweets.TimelineQuery{})
		if len(ts) != 0 {
			t.Errorf("refused tweets were stored: %+v", ts)
		}
		if files, _ := os.ReadDir(svc.Blobs.(*media.Disk).Dir); len(files) != 0 {
			t.Errorf("refused images were stored: %v", files)
		}

		// Exactly 280 code points after NFC: "é" typed as e + combining
		// accent is one character.
		text := strings.Repeat("e\u0301", 280)
		tw, err := svc.PostTweet(ctx, alice, text, nil)
		if err != nil {
			t.Fatalf("280 NFC characters refused: %v", err)
		}
		if tw.Text != strings.Repeat("é", 280) {
			t.Errorf("text not NFC-normalized")
		}
		// 280 characters that NFC turns into 560 code points still fit:
		// the user typed 280.
		if _, err := svc.PostTweet(ctx, alice, strings.Repeat("\u0958", 280), nil); err != nil {
			t.Errorf("280 typed characters that NFC expands refused: %v", err)
		}
		// Whitespace-only text is fine with an image.
		tw, err = svc.PostTweet(ctx, alice, "   ", tweets.UploadBytes(testimage.PNG(4, 3)))
		if err != nil {
			t.Fatalf("image with blank text: %v", err)
		}
		got, err := svc.Tweet(ctx, tw.ID)
		if err != nil || len(got.Media) != 1 || got.Media[0].Width != 4 || got.Media[0].ContentType != "image/png" {
			t.Errorf("stored image tweet = %+v, %v", got, err)
		}
	})
}

func TestDeleteOnlyOwnTweets(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, _ := svc.CreateAccount(ctx, "alice", "password1")
		mallory, _ := svc.CreateAccount(ctx, "mallory", "password1")
		tw, err := svc.PostTweet(ctx, alice, "mine", tweets.UploadBytes(testimage.GIF(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteTweet(ctx, mallory, tw.ID); tweets.ErrorCode(err) != tweets.CodeForbidden {
			t.Errorf("another user's delete: err = %v, want forbidden", err)
		}
		if _, err := svc.Tweet(ctx, tw.ID); err != nil {
			t.Errorf("the tweet is gone after a refused delete: %v", err)
		}
		blob, err := svc.Blobs.Open(ctx, tw.Media[0].Key)
		if err != nil {
			t.Fatalf("image missing: %v", err)
		}
		blob.Close()
		if err := svc.DeleteTweet(ctx, alice, tw.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Tweet(ctx, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		sweep(t, svc, 1)
		if _, err := svc.Blobs.Open(ctx, tw.Media[0].Key); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("the image outlived its tweet: %v", err)
		}
	})
}

func TestAccounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		if _, err := svc.CreateAccount(ctx, "Alice", "password1"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ user, pw, msg string }{
			{"alice", "password1", "taken"},
			{"", "password1", "Choose a username"},
			{strings.Repeat("a", 31), "password1", "at most 30"},
			{"bad-name", "password1", "only letters"},
			{"bob", "short", "at least 8"},
		} {
			if _, err := svc.CreateAccount(ctx, tc.user, tc.pw); tweets.ErrorCode(err) != tweets.CodeInvalid || !strings.Contains(tweets.ErrorMessage(err), tc.msg) {
				t.Errorf("SignUp(%q, %q): err = %v; want %q", tc.user, tc.pw, err, tc.msg)
			}
		}
		if n, _ := svc.Store.CountUsers(ctx); n != 1 {
			t.Errorf("%d users after refused sign-ups, want 1", n)
		}
		u, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "ALICE", Password: "password1", ClientIP: "127.0.0.1"})
		if err != nil || u.Username != "Alice" {
			t.Fatalf("LogIn ignoring case = %+v, %v", u, err)
		}
		token, _, err := svc.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := svc.SessionUser(ctx, token); err != nil || got.ID != u.ID {
			t.Errorf("SessionUser = %+v, %v", got, err)
		}
		if err := svc.SetPassword(ctx, u.ID, "password2"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SessionUser(ctx, token); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("a session survived a password change: %v", err)
		}
		if _, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "alice", Password: "password1", ClientIP: "127.0.0.1"}); tweets.ErrorCode(err) != tweets.CodeUnauthorized {
			t.Errorf("old password still works: %v", err)
		}
	})
}

func TestLoginLimits(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := testapp.ByName("sqlite")
	svc := testapp.Service(t, b.Open(t), clock)
	ctx := context.Background()
	svc.CreateAccount(ctx, "alice", "password1")
	svc.CreateAccount(ctx, "bob", "password2")
	login := func(user, pw, ip, device string) (string, error) {
		_, dev, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: user, Password: pw, ClientIP: ip, Device: device})
		return dev, err
	}
	for i := 0; i < 10; i++ {
		if _, err := login("alice", "wrong-pass", "10.0.0.1", ""); tweets.ErrorCode(err) != tweets.CodeUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// The guesser's own address is stopped for this account, with a time
	// to come back...
	_, err := login("alice", "password1", "10.0.0.1", "")
	var e *tweets.Error
	if !errors.As(err, &e) || e.Code != tweets.CodeTooMany || e.RetryAfter <= 0 || e.RetryAfter > 15*time.Minute {
		t.Errorf("11th attempt from the same address: err = %v, want too many with a retry time", err)
	}
	// ...but the owner elsewhere is not locked out, and the guesser's
	// address may still log in to other accounts.
	if _, err := login("alice", "password1", "10.0.0.2", ""); err != nil {
		t.Errorf("right password from another address: %v", err)
	}
	if _, err := login("bob", "password2", "10.0.0.1", ""); err != nil {
		t.Errorf("another account from the guesser's address: %v", err)
	}
	// One address failing on many accounts is stopped at 50 failures.
	for i := 0; i < 50; i++ {
		if _, err := login("user"+strconv.Itoa(i), "wrong-pass", "10.0.0.3", ""); tweets.ErrorCode(err) != tweets.CodeUnauthorized {
			t.Fatalf("address failure %d: %v", i, err)
		}
	}
	if _, err := login("bob", "password2", "10.0.0.3", ""); tweets.ErrorCode(err) != tweets.CodeTooMany {
		t.Errorf("after 50 failures from one address: %v, want too many", err)
	}
	// A distributed guesser (100 addresses) hits the account's ceiling:
	// new browsers must wait, the owner's known browser gets in.
	device, err := login("bob", "password2", "10.0.0.4", "")
	if err != nil || device == "" {
		t.Fatalf("log-in for a device token: %q, %v", device, err)
	}
	for i := 0; i < 100; i++ {
		if _, err := login("bob", "wrong-pass", "192.0.2."+strconv.Itoa(i), ""); tweets.ErrorCode(err) != tweets.CodeUnauthorized {
			t.Fatalf("distributed failure %d: %v", i, err)
		}
	}
	if _, err := login("bob", "password2", "10.0.0.5", ""); tweets.ErrorCode(err) != tweets.CodeTooMany {
		t.Errorf("new browser past the account ceiling: %v, want too many", err)
	}
	if _, err := login("bob", "password2", "10.0.0.5", device); err != nil {
		t.Errorf("known browser past the account ceiling: %v", err)
	}
	now = now.Add(61 * time.Minute)
	if _, err := login("alice", "password1", "10.0.0.1", ""); err != nil {
		t.Errorf("after the window: %v", err)
	}
	if _, err := login("bob", "password2", "10.0.0.6", ""); err != nil {
		t.Errorf("new browser after the window: %v", err)
	}
}

func TestIDsAreOrdered(t *testing.T) {
	g := tweets.NewIDGenerator(nil)
	prev := g.New()
	for i := 0; i < 10000; i++ {
		id := g.New()
		if id <= prev {
			t.Fatalf("id %d after %d", id, prev)
		}
		prev = id
	}
	if d := time.Since(prev.Time()); d < 0 || d > time.Minute {
		t.Errorf("id time %v is not now", prev.Time())
	}
	if _, err := tweets.ParseID("12x"); tweets.ErrorCode(err) != tweets.CodeNotFound {
		t.Errorf("ParseID(12x): %v", err)
	}
}

// countingHasher records how many hashes run at once, and in all.
type countingHasher struct {
	tweets.PasswordHasher
	mu              sync.Mutex
	now, peak, runs int
}

func (h *countingHasher) enter() {
	h.mu.Lock()
	h.now++
	h.runs++
	h.peak = max(h.peak, h.now)
	h.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // long enough for the others to pile up
}

func (h *countingHasher) leave() { h.mu.Lock(); h.now--; h.mu.Unlock() }

func (h *countingHasher) Hash(pw string) (string, error) {
	h.enter()
	defer h.leave()
	return h.PasswordHasher.Hash(pw)
}

func (h *countingHasher) Verify(hash, pw string) (bool, error) {
	h.enter()
	defer h.leave()
	return h.PasswordHasher.Verify(hash, pw)
}

// TestHashingIsBounded: a burst of sign-ups and log-ins never runs more
// argon2id hashes at once than the gate allows (each takes 19 MiB), and
// a taken username is refused without hashing at all.
func TestHashingIsBounded(t *testing.T) {
	svc := testapp.Service(t, testapp.ByName("sqlite").Open(t), nil)
	h := &countingHasher{PasswordHasher: svc.Passwords}
	svc.Passwords = h
	svc.Hashing = tweets.NewGate(2, 30*time.Second)
	svc.Limits = tweets.Limits{}
	ctx := context.Background()
	burst.Count(50, func(i int) bool {
		_, err := svc.SignUp(ctx, "user"+strconv.Itoa(i), "password1", "192.0.2.1")
		return err == nil
	})
	burst.Count(50, func(i int) bool {
		_, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "user" + strconv.Itoa(i), Password: "password1", ClientIP: "192.0.2.1"})
		return err == nil
	})
	if h.peak > 2 {
		t.Errorf("%d hashes ran at once; the gate allows 2", h.peak)
	}
	runs := h.runs
	for range 20 {
		if _, err := svc.SignUp(ctx, "user1", "password1", "192.0.2.2"); tweets.ErrorCode(err) != tweets.CodeInvalid {
			t.Fatalf("taken username: %v", err)
		}
	}
	if h.runs != runs {
		t.Errorf("20 sign-ups with a taken username ran %d hashes, want none", h.runs-runs)
	}
}

// TestImagesPerTweet: at most four, each described in at most 1,500
// characters; a refused image stores nothing, not even the images
// before it.
func TestImagesPerTweet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		u, _ := svc.CreateAccount(ctx, "multi", "password1")
		svc.Limits.Post = nil
		post := func(alts ...string) error {
			var as []tweets.Attachment
			for i, a := range alts {
				data := testimage.PNG(5+i, 5)
				if a == "BAD" {
					data, a = []byte("plain text"), ""
				}
				as = append(as, tweets.Attachment{Upload: tweets.UploadBytes(data), Alt: a})
			}
			_, err := svc.Post(ctx, u, func() (tweets.Composed, error) { return tweets.Composed{Text: "pics", Images: as}, nil })
			return err
		}
		if err := post("one", "two", "three", "four", "five"); !strings.Contains(tweets.ErrorMessage(err), "at most 4 images") {
			t.Errorf("five images: %v", err)
		}
		if err := post(strings.Repeat("é", 1501)); !strings.Contains(tweets.ErrorMessage(err), "limit is 1500") {
			t.Errorf("a long description: %v", err)
		}
		if err := post("ok\x00"); tweets.ErrorCode(err) != tweets.CodeInvalid {
			t.Errorf("a NUL in a description: %v", err)
		}
		if err := post("first", "second", "BAD"); !strings.Contains(tweets.ErrorMessage(err), "Image 3:") {
			t.Errorf("a bad third image: %v", err)
		}
		if files, _ := os.ReadDir(svc.Blobs.(*media.Disk).Dir); len(files) != 0 {
			t.Errorf("refused posts left %d files", len(files))
		}
		if err := post(" first ", "", "third"); err != nil {
			t.Fatal(err)
		}
		ts, _ := svc.Timeline(ctx, tweets.TimelineQuery{AuthorID: u.ID, Limit: 1})
		if len(ts) != 1 || len(ts[0].Media) != 3 || ts[0].Media[0].Alt != "first" || ts[0].Media[1].Alt != "" || ts[0].Media[2].Alt != "third" ||
			ts[0].Media[2].Width != 7 {
			t.Errorf("stored media: %+v", ts)
		}
	})
}

// sweep runs the media sweep the server runs in the background, and
// checks that it deleted want files (the deleted rows' files, queued in
// their transaction) and failed none.
func sweep(t *testing.T, svc *tweets.Service, want int) {
	t.Helper()
	sw, err := svc.SweepMedia(context.Background(), 100)
	if err != nil || sw.Failed != 0 || sw.Deleted != want {
		t.Fatalf("SweepMedia = %+v, %v; want %d deleted", sw, err, want)
	}
}
