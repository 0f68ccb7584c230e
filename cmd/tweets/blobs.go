package main

import (
	"context"
	"errors"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/media"
	"github.com/tweetsdev/tweets/s3"
)

// mediaStoreError is a media store that cannot be used yet: serve
// retries it like an unreachable database (an S3 server may start after
// this one), and says which of the two it waits for.
type mediaStoreError struct{ err error }

func (e mediaStoreError) Error() string { return e.err.Error() }
func (e mediaStoreError) Unwrap() error { return e.err }

// waitingFor names what an error from openApp is waiting for.
func waitingFor(err error) string {
	if errors.As(err, new(mediaStoreError)) {
		return "media store"
	}
	return "database"
}

// openBlobs opens the configured media store: a directory, or a bucket
// whose existence and keys it checks first, so that a mistake shows at
// start rather than at the first upload.
func openBlobs(ctx context.Context, c *config.Config) (tweets.BlobStore, error) {
	if c.MediaStore != "s3" {
		return media.NewDisk(c.MediaDir)
	}
	st, err := s3.New(s3Options(c))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := st.Check(ctx); err != nil {
		return nil, mediaStoreError{err}
	}
	return st, nil
}

func s3Options(c *config.Config) s3.Options {
	return s3.Options{
		Endpoint: c.S3.Endpoint, Bucket: c.S3.Bucket, Region: c.S3.Region,
		AccessKeyID: c.S3.AccessKeyID, SecretAccessKey: c.S3.SecretAccessKey, PathStyle: c.S3.PathStyle,
	}
}

// mediaChecker is a media store that can go away while the server runs
// (a bucket on another machine); /readyz asks it.
type mediaChecker interface {
	Check(ctx context.Context) error
}
