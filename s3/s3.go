// Package s3 keeps media files in a bucket of an S3-compatible object
// store (AWS S3, MinIO, SeaweedFS, Ceph, Garage, R2...), through
// minio-go. It implements tweets.BlobStore and backup.EmptyChecker, so a
// server may keep its media there instead of on a disk of its own, and
// several replicas may share them.
package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/tweetsdev/tweets"
)

// Options say where the bucket is and how to reach it.
type Options struct {
	// Endpoint is the server's URL, http:// or https://, without the
	// bucket: https://s3.eu-west-1.amazonaws.com, http://127.0.0.1:8333.
	Endpoint        string
	Bucket          string
	Region          string // empty: the server's default (us-east-1)
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle puts the bucket in the path (host/bucket/key) rather
	// than in the host name (bucket.host/key). Most self-hosted servers
	// need it; AWS prefers virtual-host style.
	PathStyle bool
	// Transport replaces the default HTTP transport (nil: the default).
	Transport http.RoundTripper
}

// partSize is the size of each part of an upload. Uploads have no known
// length, so minio-go buffers one part at a time: 5 MiB, the least S3
// accepts, keeps that buffer small; an 8 MiB photo takes two parts.
const partSize = 5 << 20

// Store is a bucket holding media files under their keys.
type Store struct {
	client   *minio.Client
	bucket   string
	endpoint string // for error messages, without credentials
}

// New connects to the endpoint; it sends no request (see Check).
func New(opt Options) (*Store, error) {
	u, err := url.Parse(opt.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("S3 endpoint %q is not a URL such as https://s3.example.com or http://127.0.0.1:8333", opt.Endpoint)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("S3 endpoint %q has a path: give the server's URL only and the bucket as the bucket name", opt.Endpoint)
	}
	if opt.Bucket == "" {
		return nil, errors.New("no S3 bucket is named: give the bucket that holds the media")
	}
	lookup := minio.BucketLookupDNS
	if opt.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(opt.AccessKeyID, opt.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       opt.Region,
		BucketLookup: lookup,
		Transport:    opt.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 endpoint %s: %w", opt.Endpoint, err)
	}
	return &Store{client: c, bucket: opt.Bucket, endpoint: u.Scheme + "://" + u.Host}, nil
}

// Check makes sure the bucket exists and the keys may reach it, with an
// error that says what to fix. The server calls it at start, and on
// every readiness probe.
func (s *Store) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.explain(err)
	}
	if !ok {
		return fmt.Errorf("S3 bucket %q does not exist at %s: create it, or set TWEETS_S3_BUCKET to an existing one", s.bucket, s.endpoint)
	}
	return nil
}

// explain turns a client error into one that names the endpoint and the
// bucket and says what to check.
func (s *Store) explain(err error) error {
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch":
		return fmt.Errorf("S3 bucket %q at %s refuses the keys (%s): check TWEETS_S3_ACCESS_KEY_ID, TWEETS_S3_SECRET_ACCESS_KEY and the bucket's policy", s.bucket, s.endpoint, resp.Code)
	case "NoSuchBucket":
		return fmt.Errorf("S3 bucket %q does not exist at %s: create it, or set TWEETS_S3_BUCKET to an existing one", s.bucket, s.endpoint)
	}
	if resp.StatusCode == 0 {
		return fmt.Errorf("S3 endpoint %s (bucket %q) is unreachable: check TWEETS_S3_ENDPOINT and that the server runs: %w", s.endpoint, s.bucket, err)
	}
	return fmt.Errorf("S3 bucket %q at %s: %w", s.bucket, s.endpoint, err)
}

// Put implements tweets.BlobStore. The upload is multipart, and S3 makes
// an object visible only once its upload completes: a reader that fails
// midway aborts the upload, so nothing ever appears under the key.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, contentType string) (err error) {
	defer tweets.Wrap(&err, "store media %s in S3 bucket %s", key, s.bucket)
	if !tweets.ValidMediaKey(key) {
		return errors.New("invalid key")
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, r, -1, minio.PutObjectOptions{
		ContentType: contentType,
		// Keys are never reused, so a file served straight from the
		// bucket (TWEETS_S3_PUBLIC_URL) may be cached for good.
		CacheControl: "public, max-age=31536000, immutable",
		PartSize:     partSize,
	})
	if err != nil && unavailable(err) {
		// The person is told to try later; the log gets where and why.
		return fmt.Errorf("%w (%w)", tweets.ErrMediaUnavailable, s.explain(err))
	}
	if err != nil && minio.ToErrorResponse(err).Code != "" {
		return s.explain(err)
	}
	return err
}

// unavailable reports whether err says the server cannot be reached or
// cannot take the request now (a 5xx such as SlowDown), rather than that
// the request or the file is wrong: the same upload can succeed later.
func unavailable(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || minio.ToErrorResponse(err).StatusCode >= 500
}

// Open implements tweets.BlobStore. The Blob reads lazily: a Seek costs
// nothing, and the next Read asks for the range from there, so a Range
// request fetches only what it needs.
func (s *Store) Open(ctx context.Context, key string) (_ tweets.Blob, err error) {
	if !tweets.ValidMediaKey(key) {
		return nil, tweets.ErrNotFound
	}
	defer tweets.Wrap(&err, "open media %s in S3 bucket %s", key, s.bucket)
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if isNotFound(err) {
			return nil, tweets.ErrNotFound
		}
		return nil, s.explain(err)
	}
	return &blob{Object: obj, info: info}, nil
}

// Delete implements tweets.BlobStore. S3 answers a missing key with
// success, which is what a BlobStore promises.
func (s *Store) Delete(ctx context.Context, key string) (err error) {
	if !tweets.ValidMediaKey(key) {
		return nil
	}
	defer tweets.Wrap(&err, "delete media %s from S3 bucket %s", key, s.bucket)
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return s.explain(err)
	}
	return nil
}

// List implements tweets.BlobStore. Only completed uploads are objects,
// so files still being written are never listed. Objects whose names no
// media file could have are left out, so that garbage collection never
// touches what something else keeps in the bucket.
func (s *Store) List(ctx context.Context, fn func(tweets.BlobInfo) error) error {
	// Cancelling stops minio-go's listing goroutine when fn stops early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("list media in S3: %w", s.explain(o.Err))
		}
		if !tweets.ValidMediaKey(o.Key) {
			continue
		}
		if err := fn(tweets.BlobInfo{Key: o.Key, Size: o.Size, ModTime: o.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// IsEmpty reports whether the bucket holds no object at all, so that a
// restore can refuse to mix a backup's files with what is there.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	o, found := <-s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true, MaxKeys: 1})
	switch {
	case !found:
		return true, ctx.Err()
	case o.Err != nil:
		return false, fmt.Errorf("list media in S3: %w", s.explain(o.Err))
	}
	return false, nil
}

// String names the bucket and endpoint, for logs.
func (s *Store) String() string {
	return "s3://" + s.bucket + " at " + s.endpoint
}

// isNotFound reports a missing object; a missing bucket is a
// configuration problem, never a missing file.
func isNotFound(err error) bool {
	resp := minio.ToErrorResponse(err)
	return resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket"
}

// blob is an open object. minio.Object already reads, seeks and closes;
// it only lacks the size and time in the BlobStore's terms.
type blob struct {
	*minio.Object
	info minio.ObjectInfo
}

func (b *blob) Size() int64        { return b.info.Size }
func (b *blob) ModTime() time.Time { return b.info.LastModified }
