// Package s3test gives each test its own empty bucket on the S3 server
// that the test command started (SeaweedFS; see scripts/test.sh).
package s3test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/tweetsdev/tweets/s3"
)

// EnvURL names the variable holding the test server's endpoint with its
// keys: http://ACCESS_KEY:SECRET_KEY@127.0.0.1:PORT.
const EnvURL = "TWEETS_TEST_S3_URL"

var counter atomic.Int64

// Options creates a fresh bucket for t, empties and deletes it when t
// ends, and returns the settings that reach it. Without a server it
// fails the test with what to do: a test of the S3 backend never passes
// by being skipped.
func Options(t testing.TB) s3.Options {
	t.Helper()
	raw := os.Getenv(EnvURL)
	if raw == "" {
		t.Fatalf("%s is not set: run the tests with 'make test', which starts a throwaway S3 server (SeaweedFS), "+
			"or start one with scripts/lib.sh's start_s3 and export the URL it prints", EnvURL)
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		t.Fatalf("%s must look like http://ACCESS_KEY:SECRET_KEY@127.0.0.1:PORT", EnvURL)
	}
	secret, _ := u.User.Password()
	opt := s3.Options{
		Endpoint:        u.Scheme + "://" + u.Host,
		Bucket:          fmt.Sprintf("t-%d-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9, counter.Add(1)),
		Region:          "us-east-1",
		AccessKeyID:     u.User.Username(),
		SecretAccessKey: secret,
		PathStyle:       true,
	}
	c := Client(t, opt)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, opt.Bucket, minio.MakeBucketOptions{Region: opt.Region}); err != nil {
		t.Fatalf("create test bucket %s at %s: %v", opt.Bucket, opt.Endpoint, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// S3 deletes only empty buckets.
		objects := c.ListObjects(ctx, opt.Bucket, minio.ListObjectsOptions{Recursive: true})
		for e := range c.RemoveObjects(ctx, opt.Bucket, objects, minio.RemoveObjectsOptions{}) {
			t.Logf("empty test bucket %s: %v", opt.Bucket, e.Err)
		}
		if err := c.RemoveBucket(ctx, opt.Bucket); err != nil {
			t.Logf("delete test bucket %s: %v", opt.Bucket, err)
		}
	})
	return opt
}

// Store returns a store on a fresh bucket (see Options).
func Store(t testing.TB) *s3.Store {
	t.Helper()
	s, err := s3.New(Options(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Client is a plain minio-go client for the bucket of opt, for a test to
// look at the bucket (or break it) behind the store's back.
func Client(t testing.TB, opt s3.Options) *minio.Client {
	t.Helper()
	u, err := url.Parse(opt.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(opt.AccessKeyID, opt.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       opt.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
