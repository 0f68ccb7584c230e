package faulttest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/tweetsdev/tweets/internal/s3test"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/s3"
)

// TestS3Outage cuts the S3 store off under load (a proxy in front of it
// drops every connection) and lets it back: image posts must fail with a
// clear error and leave no tweet without its image, text posts and pages
// keep working, /readyz says the media store is unavailable and recovers
// by itself, and afterwards no object is orphaned or missing.
func TestS3Outage(t *testing.T) {
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two databases at once: the short version stays short
			d := duration(t)
			opt := s3test.Options(t)
			endpoint, err := url.Parse(opt.Endpoint)
			if err != nil {
				t.Fatal(err)
			}
			proxy := testapp.NewProxy(t, endpoint.Host, true)
			n := newNode(t, newBackend(t, name, false), map[string]string{
				"TWEETS_MEDIA_STORE": "s3", "TWEETS_S3_ENDPOINT": "http://" + proxy.Addr, "TWEETS_S3_BUCKET": opt.Bucket,
				"TWEETS_S3_REGION": opt.Region, "TWEETS_S3_ACCESS_KEY_ID": opt.AccessKeyID,
				"TWEETS_S3_SECRET_ACCESS_KEY": opt.SecretAccessKey, "TWEETS_S3_PATH_STYLE": "true",
			})
			srv := n.start(t)
			users := signUp(t, srv.URL, "bucket", 7) // the last one is the test's own
			l := newLoad(t, srv.URL, users, imageFaultMix)
			l.faultOnly = map[string]bool{"POST /tweets (image)": true}

			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			wait := l.run(ctx, len(users)-1, 2)
			time.Sleep(d / 3)
			l.setFault(true)
			proxy.SetUp(false)
			notReady := waitFor(t, 15*time.Second, "/readyz to report the media store down", func() bool { return !ready(srv.URL) })
			if body := readyzBody(t, srv.URL); !strings.Contains(body, "media store unavailable") {
				t.Errorf("/readyz with the bucket unreachable: %q", body)
			}
			// The load's image posts may all be waiting out the client's
			// retries: one more, from the test, must be refused clearly.
			l.webPost(len(users)-1, true)
			time.Sleep(time.Until(deadline(ctx).Add(-d / 3)))
			proxy.SetUp(true)
			recovered := waitFor(t, 30*time.Second, "/readyz to recover by itself", func() bool { return ready(srv.URL) })
			l.setFault(false)
			wait()
			l.checkNoUnexpected(t)
			refused, byStatus := l.refusals("POST /tweets (image)")
			t.Logf("refused while the bucket was unreachable: %s", l.faultStatuses())
			if refused == 0 {
				t.Errorf("no image post was refused while the bucket was unreachable: did the outage happen?")
			}
			for status, text := range byStatus {
				if status != http.StatusServiceUnavailable || !strings.Contains(text, "Images cannot be stored right now") {
					t.Errorf("an image post with the bucket unreachable: %d %q; want a clear refusal (503) saying images cannot be stored now", status, text)
				}
			}
			after := storedImage(t, srv.URL, l, users[1])

			sdb := openDB(t, n)
			o := checkPosts(t, sdb, l)
			m := compareMedia(t, sdb, bucketKeys(t, opt))
			m.check(t)
			f := l.figures()
			o.add(f)
			m.add(f)
			f["duration"], f["faults"], f["images_refused"], f["image_after_repair"] = d, 1, refused, after != ""
			f["not_ready_after_ms"], f["ready_again_after_ms"] = notReady.Milliseconds(), recovered.Milliseconds()
			f.log(t, "s3-outage", name)
		})
	}
}

// bucketKeys lists the objects of the test's bucket.
func bucketKeys(t *testing.T, o s3.Options) []string {
	t.Helper()
	c := s3test.Client(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var keys []string
	for obj := range c.ListObjects(ctx, o.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	return keys
}
