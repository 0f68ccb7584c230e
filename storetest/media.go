package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// testMediaByKey: a media key (an image's or its thumbnail's) leads to
// its tweet and author, says whether the author is suspended, and leads
// nowhere once the tweet is deleted; its files then wait in the trash.
func testMediaByKey(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	m := tweets.Media{Key: "k1.jpg", ContentType: "image/jpeg", Width: 3000, Height: 2000, Size: 99, Alt: "a ☀ photo",
		Thumb: tweets.Thumb{Key: "k1t.jpg", ContentType: "image/jpeg", Width: 640, Height: 426}, Blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj"}
	tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "photo ☀", CreatedAt: at, Media: []tweets.Media{m}}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TweetByID(ctx, tw.ID); err != nil || len(got.Media) != 1 || got.Media[0] != m {
		t.Errorf("TweetByID's media = %+v, %v; want %+v", got.Media, err, m)
	}
	want := tweets.AttachedMedia{Media: tweets.Media{Key: m.Key, ContentType: m.ContentType}, TweetID: tw.ID, AuthorID: alice.ID}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || got != want {
		t.Errorf("MediaByKey = %+v, %v; want %+v", got, err, want)
	}
	want.Key = m.Thumb.Key
	if got, err := s.MediaByKey(ctx, m.Thumb.Key); err != nil || got != want {
		t.Errorf("MediaByKey(thumbnail) = %+v, %v; want %+v", got, err, want)
	}

	if err := s.SetSuspended(ctx, alice.ID, at); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || !got.AuthorSuspended {
		t.Errorf("MediaByKey with the author suspended = %+v, %v; want AuthorSuspended", got, err)
	}
	if err := s.SetSuspended(ctx, alice.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || got.AuthorSuspended {
		t.Errorf("MediaByKey after the suspension was lifted = %+v, %v", got, err)
	}

	if _, err := s.MediaByKey(ctx, "nothing.png"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("MediaByKey of an unknown key: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MediaByKey(ctx, m.Key); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("MediaByKey after its tweet was deleted: err = %v, want ErrNotFound", err)
	}
	if got := trashKeys(t, s, at); !slices.Equal(got, []string{"k1.jpg", "k1t.jpg"}) {
		t.Errorf("trash after deleting the tweet = %q, want its two files", got)
	}
}

func trashKeys(t *testing.T, s tweets.Store, now time.Time) []string {
	t.Helper()
	due, err := s.DueTrash(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range due {
		keys = append(keys, f.Key)
	}
	slices.Sort(keys)
	return keys
}

// testProfileImages: an avatar and a header are served like media, to
// everyone while the account is not suspended; replacing or removing one
// puts the old file in the trash, in the same step.
func testProfileImages(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	if err := s.SetProfileImage(ctx, alice.ID, tweets.UseAvatar, "a1.jpg", "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfileImage(ctx, alice.ID, tweets.UseHeader, "h1.png", "image/png"); err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByID(ctx, alice.ID)
	if err != nil || u.Avatar != "a1.jpg" || u.Header != "h1.png" {
		t.Fatalf("UserByID = %+v, %v; want the avatar and header keys", u, err)
	}
	tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "hi", CreatedAt: at}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TweetByID(ctx, tw.ID); err != nil || got.AuthorAvatar != "a1.jpg" {
		t.Errorf("TweetByID's AuthorAvatar = %q, %v", got.AuthorAvatar, err)
	}
	got, err := s.MediaByKey(ctx, "h1.png")
	if want := (tweets.AttachedMedia{Media: tweets.Media{Key: "h1.png", ContentType: "image/png"}, AuthorID: alice.ID}); err != nil || got != want {
		t.Errorf("MediaByKey(header) = %+v, %v; want %+v", got, err, want)
	}
	if got := trashKeys(t, s, at); len(got) != 0 {
		t.Errorf("trash before any replacement = %q", got)
	}
	if err := s.SetProfileImage(ctx, alice.ID, tweets.UseAvatar, "a2.jpg", "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfileImage(ctx, alice.ID, tweets.UseHeader, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := trashKeys(t, s, at); !slices.Equal(got, []string{"a1.jpg", "h1.png"}) {
		t.Errorf("trash after replacing the avatar and removing the header = %q", got)
	}
	if _, err := s.MediaByKey(ctx, "a1.jpg"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("the replaced avatar is still served: %v", err)
	}
	var refs []string
	if err := s.ReferencedMedia(ctx, func(k string) error { refs = append(refs, k); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refs, []string{"a2.jpg"}) {
		t.Errorf("ReferencedMedia = %q, want the one avatar", refs)
	}
	if err := s.SetProfileImage(ctx, tweets.ID(999), tweets.UseAvatar, "x.jpg", "image/jpeg"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("SetProfileImage of no account: err = %v, want ErrNotFound", err)
	}
}

// testTrash: queued files come out when due, oldest first; a failed
// attempt postpones one; a forgotten one is gone; queuing twice is once.
func testTrash(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	if err := s.TrashMedia(ctx, []string{"b.png", "a.png", "b.png"}); err != nil {
		t.Fatal(err)
	}
	if got := trashKeys(t, s, at); !slices.Equal(got, []string{"a.png", "b.png"}) {
		t.Fatalf("due = %q", got)
	}
	later := at.Add(time.Hour)
	if err := s.PostponeTrash(ctx, tweets.TrashedFile{Key: "a.png", Attempts: 1, NotBefore: later, LastError: "connection refused ☹"}); err != nil {
		t.Fatal(err)
	}
	if got := trashKeys(t, s, at); !slices.Equal(got, []string{"b.png"}) {
		t.Errorf("due before the retry = %q, want b.png", got)
	}
	due, err := s.DueTrash(ctx, later, 10)
	if err != nil || len(due) != 2 || due[1] != (tweets.TrashedFile{Key: "a.png", Attempts: 1, NotBefore: later, LastError: "connection refused ☹"}) {
		t.Errorf("due at the retry = %+v, %v", due, err)
	}
	if err := s.ForgetTrash(ctx, "b.png"); err != nil {
		t.Fatal(err)
	}
	if got := trashKeys(t, s, later); !slices.Equal(got, []string{"a.png"}) {
		t.Errorf("after forgetting b.png = %q", got)
	}
	if due, err := s.DueTrash(ctx, later, 0); err != nil || len(due) != 0 {
		t.Errorf("limit 0 = %v, %v", due, err)
	}
}

// testPendingMedia: uploads kept ahead of their status are found only by
// their owner, in the order asked; claimed once; and expired ones leave
// their files in the trash.
func testPendingMedia(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	ivy, jon := mustUser(t, s, "ivy"), mustUser(t, s, "jon")
	a := tweets.PendingMedia{ID: ids.New(), UserID: ivy.ID, CreatedAt: at,
		Media: tweets.Media{Key: "p1.jpg", ContentType: "image/jpeg", Width: 10, Height: 8, Size: 5, Alt: "é", Thumb: tweets.Thumb{Key: "p1t.jpg", ContentType: "image/jpeg", Width: 5, Height: 4}}}
	b := tweets.PendingMedia{ID: ids.New(), UserID: ivy.ID, CreatedAt: at.Add(2 * time.Hour), Media: tweets.Media{Key: "p2.png", ContentType: "image/png", Width: 1, Height: 1, Size: 1}}
	for _, p := range []tweets.PendingMedia{a, b} {
		if err := s.AddPendingMedia(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PendingMedia(ctx, ivy.ID, []tweets.ID{b.ID, a.ID})
	if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].Media != a.Media || !got[1].CreatedAt.Equal(at) {
		t.Errorf("PendingMedia = %+v, %v", got, err)
	}
	if _, err := s.PendingMedia(ctx, jon.ID, []tweets.ID{a.ID}); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("another account's upload: %v", err)
	}
	if err := s.SetPendingAlt(ctx, jon.ID, a.ID, "x"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("describing another account's upload: %v", err)
	}
	var refs []string
	_ = s.ReferencedMedia(ctx, func(k string) error { refs = append(refs, k); return nil })
	slices.Sort(refs)
	if !slices.Equal(refs, []string{"p1.jpg", "p1t.jpg", "p2.png"}) {
		t.Errorf("pending files are not referenced: %q", refs)
	}
	if err := s.ClaimPendingMedia(ctx, []tweets.ID{b.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimPendingMedia(ctx, []tweets.ID{b.ID}); tweets.ErrorCode(err) != tweets.CodeInvalid {
		t.Errorf("claiming twice: %v", err)
	}
	if n, err := s.ExpirePendingMedia(ctx, at.Add(time.Hour), 10); err != nil || n != 1 {
		t.Errorf("ExpirePendingMedia = %d, %v", n, err)
	}
	if got := trashKeys(t, s, at); !slices.Equal(got, []string{"p1.jpg", "p1t.jpg"}) {
		t.Errorf("trash after expiry = %q", got)
	}
}
