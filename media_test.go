package tweets_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// flakyBlobs fails every Delete while down is set, as an unreachable
// object store would; with lostPuts, a Put stores the file and then
// reports failure, as when the connection drops before the answer.
type flakyBlobs struct {
	tweets.BlobStore
	down     bool
	lostPuts bool
}

func (f *flakyBlobs) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := f.BlobStore.Put(ctx, key, r, contentType); err != nil || !f.lostPuts {
		return err
	}
	return errors.New("connection reset by peer")
}

func (f *flakyBlobs) Delete(ctx context.Context, key string) error {
	if f.down {
		return errors.New("connection refused")
	}
	return f.BlobStore.Delete(ctx, key)
}

// TestSweepRetriesFailedDeletions: files of a deleted tweet stay until
// the sweep deletes them; a failed deletion stays queued, is not retried
// before its backoff, and succeeds once the store is back.
func TestSweepRetriesFailedDeletions(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			svc := testapp.Service(t, b.Open(t), func() time.Time { return now })
			flaky := &flakyBlobs{BlobStore: svc.Blobs}
			svc.Blobs = flaky
			alice, err := svc.CreateAccount(ctx, "alice", "password1")
			if err != nil {
				t.Fatal(err)
			}
			tw, err := svc.PostTweet(ctx, alice, "a big photo", tweets.UploadBytes(testimage.JPEG(1600, 1200)))
			if err != nil {
				t.Fatal(err)
			}
			keys := tw.Media[0].Keys()
			if len(keys) != 2 {
				t.Fatalf("a 1600×1200 photo has files %q; want the image and its thumbnail", keys)
			}
			if err := svc.DeleteTweet(ctx, alice, tw.ID); err != nil {
				t.Fatal(err)
			}
			exists := func(k string) bool {
				b, err := svc.Blobs.Open(ctx, k)
				if err == nil {
					b.Close()
				}
				return err == nil
			}
			if !exists(keys[0]) || !exists(keys[1]) {
				t.Fatal("the files went before the sweep: deletion is meant to run in the background")
			}

			flaky.down = true
			if sw, err := svc.SweepMedia(ctx, 100); err != nil || sw.Failed != 2 || sw.LastError == nil {
				t.Fatalf("sweep with the store down = %+v, %v; want 2 failed", sw, err)
			}
			flaky.down = false
			if sw, err := svc.SweepMedia(ctx, 100); err != nil || sw.Deleted+sw.Failed != 0 {
				t.Errorf("sweep before the backoff = %+v, %v; want nothing tried", sw, err)
			}
			now = now.Add(11 * time.Second)
			if sw, err := svc.SweepMedia(ctx, 100); err != nil || sw.Deleted != 2 {
				t.Errorf("sweep after the backoff = %+v, %v; want 2 deleted", sw, err)
			}
			if exists(keys[0]) || exists(keys[1]) {
				t.Error("a file outlived the sweep")
			}
			if sw, _ := svc.SweepMedia(ctx, 100); sw.Deleted != 0 {
				t.Errorf("a second sweep deleted %d: the queue was not emptied", sw.Deleted)
			}
		})
	}
}

// TestLostPutAnswerIsSwept: a store that kept a file but lost its answer
// fails the post, and the file it may hold is queued for deletion rather
// than left without a row.
func TestLostPutAnswerIsSwept(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			svc := testapp.Service(t, b.Open(t), func() time.Time { return now })
			flaky := &flakyBlobs{BlobStore: svc.Blobs, lostPuts: true}
			svc.Blobs = flaky
			alice, err := svc.CreateAccount(ctx, "alice", "password1")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.PostTweet(ctx, alice, "a photo", tweets.UploadBytes(testimage.PNG(64, 48))); err == nil {
				t.Fatal("the post succeeded though storing its image failed")
			}
			var stored []string
			if err := flaky.List(ctx, func(b tweets.BlobInfo) error { stored = append(stored, b.Key); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(stored) != 1 {
				t.Fatalf("the store holds %q; want the one file whose answer was lost", stored)
			}
			if sw, err := svc.SweepMedia(ctx, 100); err != nil || sw.Deleted != 1 {
				t.Errorf("sweep = %+v, %v; want the file deleted", sw, err)
			}
		})
	}
}
