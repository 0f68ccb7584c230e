package backup_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
	"github.com/tweetsdev/tweets/internal/s3test"
	"github.com/tweetsdev/tweets/internal/testapp"
)

// A server moving its media from a disk to a bucket, or back, does it
// with a backup and a restore: every file makes the trip.
func TestBackupAcrossMediaStores(t *testing.T) {
	b := testapp.ByName("sqlite")
	ctx := context.Background()
	src := seed(t, b.Open(t))
	archive, m := write(t, src, nil)
	if m.MediaFiles != 3 {
		t.Fatalf("the seed has %d media files, want 3", m.MediaFiles)
	}

	// Disk to S3.
	onS3, bucket := b.Open(t), s3test.Store(t)
	if err := restore(archive, onS3, bucket, backup.RestoreOptions{}); err != nil {
		t.Fatalf("restore onto S3: %v", err)
	}
	sameData(t, src.store, src.svc.Blobs, onS3, bucket)
	n := 0
	if err := bucket.List(ctx, func(tweets.BlobInfo) error { n++; return nil }); err != nil || n != 3 {
		t.Errorf("the bucket lists %d files (%v), want 3", n, err)
	}
	// A second restore into the same bucket is refused: it is not empty.
	err := restore(archive, b.Open(t), bucket, backup.RestoreOptions{})
	if !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("restore into a bucket that has files: %v, want ErrConflict", err)
	}

	// And back from S3 to a disk.
	var again bytes.Buffer
	if _, err := backup.Write(ctx, &again, onS3, bucket, backup.WriteOptions{Version: "v9.9.9-test"}); err != nil {
		t.Fatalf("backup from S3: %v", err)
	}
	onDisk, disk := b.Open(t), newDisk(t)
	if err := restore(again.Bytes(), onDisk, disk, backup.RestoreOptions{}); err != nil {
		t.Fatalf("restore from S3 onto a disk: %v", err)
	}
	sameData(t, src.store, src.svc.Blobs, onDisk, disk)
}
