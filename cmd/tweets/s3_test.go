package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/s3test"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
	"github.com/tweetsdev/tweets/s3"
)

// s3Env is the configuration of a server keeping its media in the
// bucket of opt.
func s3Env(t *testing.T, opt s3.Options) map[string]string {
	return map[string]string{
		"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0",
		"TWEETS_MEDIA_STORE": "s3", "TWEETS_S3_ENDPOINT": opt.Endpoint, "TWEETS_S3_BUCKET": opt.Bucket,
		"TWEETS_S3_REGION": opt.Region, "TWEETS_S3_ACCESS_KEY_ID": opt.AccessKeyID,
		"TWEETS_S3_SECRET_ACCESS_KEY": opt.SecretAccessKey, "TWEETS_S3_PATH_STYLE": "true",
	}
}

var imgRE = regexp.MustCompile(`<img src="([^"]*/([a-z0-9]+\.jpg))"`)

// postImage signs up, posts photo and returns the image's address on /
// and what the server sends from it.
func postImage(t *testing.T, s *server, photo []byte) (src, key string, file webtest.Response) {
	t.Helper()
	b := webtest.New(t, s.URL)
	b.SignUp("dora", "dora-password")
	if r := b.PostTweet("a photo", "photo.jpg", photo); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d\n%s", r.StatusCode, r.Body)
	}
	home := b.Get("/")
	m := imgRE.FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatalf("no image on /:\n%s", home.Body)
	}
	if !strings.HasPrefix(m[1], "/media/") {
		return m[1], m[2], webtest.Response{}
	}
	return m[1], m[2], b.Get(m[1])
}

// TestMediaOnS3 uploads a photo through the real binary on the S3 media
// store and fetches it back: the very bytes the disk store serves, with
// Range requests answered, and the file in the bucket.
func TestMediaOnS3(t *testing.T) {
	photo := testimage.JPEG(64, 48)
	_, _, fromDisk := postImage(t, startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"}), photo)
	if fromDisk.StatusCode != 200 || len(fromDisk.Body) == 0 {
		t.Fatalf("from disk: %d, %d bytes", fromDisk.StatusCode, len(fromDisk.Body))
	}

	opt := s3test.Options(t)
	srv := startServer(t, s3Env(t, opt))
	src, key, fromS3 := postImage(t, srv, photo)
	if fromS3.StatusCode != 200 || fromS3.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("from S3: %d %s", fromS3.StatusCode, fromS3.Header.Get("Content-Type"))
	}
	if fromS3.Body != fromDisk.Body {
		t.Errorf("from S3: %d bytes, differing from the %d the disk store serves", len(fromS3.Body), len(fromDisk.Body))
	}
	req, _ := http.NewRequest("GET", srv.URL+src, nil)
	req.Header.Set("Range", "bytes=10-29")
	r := webtest.New(t, srv.URL).Do(req)
	if r.StatusCode != http.StatusPartialContent || r.Body != fromDisk.Body[10:30] {
		t.Errorf("Range request: %d, %q; want 206 with bytes 10-29", r.StatusCode, r.Body)
	}

	bucket, err := s3.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := bucket.List(context.Background(), func(b tweets.BlobInfo) error {
		keys = append(keys, b.Key)
		if b.Size != int64(len(fromDisk.Body)) {
			t.Errorf("%s has %d bytes in the bucket, want %d", b.Key, b.Size, len(fromDisk.Body))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != key {
		t.Errorf("the bucket holds %v, want [%s]", keys, key)
	}
	blob, err := bucket.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	var got bytes.Buffer
	if _, err := got.ReadFrom(blob); err != nil || got.String() != fromDisk.Body {
		t.Errorf("the object differs from what the disk store serves (%v)", err)
	}
}

// With a public URL, pages link media straight to the bucket, and the
// CSP lets images come from there.
func TestMediaPublicURL(t *testing.T) {
	env := s3Env(t, s3test.Options(t))
	env["TWEETS_S3_PUBLIC_URL"] = "https://media.example.com/tweets/"
	srv := startServer(t, env)
	src, key, _ := postImage(t, srv, testimage.JPEG(32, 32))
	if src != "https://media.example.com/tweets/"+key {
		t.Errorf("image links to %s, want the public URL", src)
	}
	r := webtest.New(t, srv.URL).Get("/")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://media.example.com;") {
		t.Errorf("CSP %q does not allow images from the public URL's origin", csp)
	}
}

// A missing bucket is named, with where and what to do, by check.
func TestCheckNamesMissingBucket(t *testing.T) {
	opt := s3test.Options(t)
	opt.Bucket = "tweets-missing-bucket"
	env := s3Env(t, opt)
	code, out, _ := runCmd(t, env, "", "check")
	if code != 1 || !strings.Contains(out, `"tweets-missing-bucket" does not exist at `+opt.Endpoint) || !strings.Contains(out, "create it") {
		t.Errorf("check with a missing bucket: %d %q", code, out)
	}
}

// tweets backup and restore move a server from its disk to a bucket and
// back, every media file with it.
func TestBackupCommandsAcrossMediaStores(t *testing.T) {
	disk := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"}
	seedForBackup(t, disk)
	first := filepath.Join(t.TempDir(), "disk.tar.gz")
	if _, errs, err := runFunc(t, backupCmd, disk, nil, "--out", first); err != nil {
		t.Fatalf("backup from disk: %v %q", err, errs)
	}

	opt := s3test.Options(t)
	onS3 := s3Env(t, opt)
	migrateFor(t, onS3)
	out, errs, err := runFunc(t, restoreCmd, onS3, nil, first)
	if err != nil || !strings.Contains(out, "1 media file") {
		t.Fatalf("restore onto S3: %v %q %q", err, out, errs)
	}
	bucket, err := s3.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	if empty, err := bucket.IsEmpty(context.Background()); err != nil || empty {
		t.Fatalf("the bucket is empty after the restore (%v)", err)
	}

	second := filepath.Join(t.TempDir(), "s3.tar.gz")
	if out, errs, err := runFunc(t, backupCmd, onS3, nil, "--out", second); err != nil || !strings.Contains(out, "1 media file") {
		t.Fatalf("backup from S3: %v %q %q", err, out, errs)
	}
	back := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"}
	migrateFor(t, back)
	if out, errs, err := runFunc(t, restoreCmd, back, nil, second); err != nil || !strings.Contains(out, "1 media file") {
		t.Fatalf("restore from S3 onto disk: %v %q %q", err, out, errs)
	}
	orig, _ := os.ReadDir(filepath.Join(disk["TWEETS_DATA_DIR"], "media"))
	for _, e := range orig {
		a, _ := os.ReadFile(filepath.Join(disk["TWEETS_DATA_DIR"], "media", e.Name()))
		b, err := os.ReadFile(filepath.Join(back["TWEETS_DATA_DIR"], "media", e.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("media file %s did not make the trip disk → S3 → disk (%v)", e.Name(), err)
		}
	}
	if len(orig) != 1 {
		t.Errorf("the source has %d media files, want 1", len(orig))
	}
}

func migrateFor(t *testing.T, env map[string]string) {
	t.Helper()
	if code, _, errs := runCmd(t, env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %q", errs)
	}
}

// A replica whose bucket goes away stops getting traffic, and one whose
// bucket is missing at start waits for it, saying so.
func TestReadinessFollowsTheBucket(t *testing.T) {
	opt := s3test.Options(t)
	srv := startServer(t, s3Env(t, opt))
	if err := s3test.Client(t, opt).RemoveBucket(context.Background(), opt.Bucket); err != nil {
		t.Fatal(err)
	}
	r := webtest.New(t, srv.URL).Get("/readyz")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.Body, "media store unavailable") {
		t.Errorf("/readyz without the bucket: %d %q", r.StatusCode, r.Body)
	}

	missing := opt
	missing.Bucket = "tweets-not-there-yet"
	waiting := startServerNoWait(t, s3Env(t, missing))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(waiting.Logs.String(), "media store not ready; retrying") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if logs := waiting.Logs.String(); !strings.Contains(logs, "media store not ready; retrying") || !strings.Contains(logs, "tweets-not-there-yet") {
		t.Errorf("no log naming the missing bucket:\n%s", logs)
	}
}
