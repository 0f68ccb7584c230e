package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/blobtest"
	"github.com/tweetsdev/tweets/internal/s3test"
	"github.com/tweetsdev/tweets/s3"
)

func TestBlobStore(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Store { return s3test.Store(t) })
}

// A failed upload must leave no parts behind either: they cost storage
// and no listing of objects shows them.
func TestFailedPutAbortsMultipartUpload(t *testing.T) {
	opt := s3test.Options(t)
	s, err := s3.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cut := io.MultiReader(bytes.NewReader(blobtest.Bytes(6<<20, 9)), errReader{})
	if err := s.Put(ctx, "cut.png", cut, "image/png"); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	c := minio.Core{Client: s3test.Client(t, opt)}
	// The server must list open uploads for the check below to mean
	// anything: one opened by hand is listed, then aborted.
	id, err := c.NewMultipartUpload(ctx, opt.Bucket, "probe.png", minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.ListMultipartUploads(ctx, opt.Bucket, "", "", "", "", 100); err != nil || len(res.Uploads) != 1 {
		t.Fatalf("an open upload is not listed (%v): %+v", err, res.Uploads)
	}
	if err := c.AbortMultipartUpload(ctx, opt.Bucket, "probe.png", id); err != nil {
		t.Fatal(err)
	}
	res, err := c.ListMultipartUploads(ctx, opt.Bucket, "", "", "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Uploads) != 0 {
		t.Fatalf("a failed Put left %d multipart uploads open: %+v", len(res.Uploads), res.Uploads)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("cut off") }

func TestCheck(t *testing.T) {
	opt := s3test.Options(t)
	ctx := context.Background()
	check := func(opt s3.Options) error {
		s, err := s3.New(opt)
		if err != nil {
			t.Fatal(err)
		}
		return s.Check(ctx)
	}
	if err := check(opt); err != nil {
		t.Fatalf("Check of a reachable bucket: %v", err)
	}

	missing := opt
	missing.Bucket = "no-such-bucket-here"
	wantErr(t, check(missing), "no-such-bucket-here", opt.Endpoint, "create it")

	badKey := opt
	badKey.SecretAccessKey = "wrong"
	wantErr(t, check(badKey), opt.Bucket, "TWEETS_S3_SECRET_ACCESS_KEY")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := opt
	down.Endpoint = "http://" + ln.Addr().String()
	ln.Close()
	wantErr(t, check(down), down.Endpoint, opt.Bucket, "unreachable", "TWEETS_S3_ENDPOINT")
}

// TestPutToUnreachableServer: an upload the server cannot take now is
// refused as unavailable (503, try later), with where and why for the log;
// a wrong key stays an internal error, which trying later does not mend.
func TestPutToUnreachableServer(t *testing.T) {
	opt := s3test.Options(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := opt
	down.Endpoint = "http://" + ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	put := func(opt s3.Options) error {
		s, err := s3.New(opt)
		if err != nil {
			t.Fatal(err)
		}
		return s.Put(ctx, "abc.png", strings.NewReader("png"), "image/png")
	}
	err = put(down)
	if !errors.Is(err, tweets.ErrMediaUnavailable) || tweets.ErrorCode(err) != tweets.CodeUnavailable {
		t.Errorf("Put to an unreachable server: %v, want ErrMediaUnavailable", err)
	}
	wantErr(t, err, down.Endpoint, "unreachable")
	badKey := opt
	badKey.SecretAccessKey = "wrong"
	if err := put(badKey); tweets.ErrorCode(err) != tweets.CodeInternal {
		t.Errorf("Put with a wrong key: %v (code %v), want an internal error", err, tweets.ErrorCode(err))
	}
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name %q", err, p)
		}
	}
}

func TestNewRefusesBadSettings(t *testing.T) {
	for _, c := range []struct {
		opt  s3.Options
		want string
	}{
		{s3.Options{Endpoint: "s3.example.com", Bucket: "b"}, "not a URL"},
		{s3.Options{Endpoint: "ftp://s3.example.com", Bucket: "b"}, "not a URL"},
		{s3.Options{Endpoint: "https://s3.example.com/b", Bucket: "b"}, "has a path"},
		{s3.Options{Endpoint: "https://s3.example.com"}, "no S3 bucket"},
	} {
		if _, err := s3.New(c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want an error saying %q", c.opt, err, c.want)
		}
	}
}
