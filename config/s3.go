package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
)

// S3 is where media are kept with TWEETS_MEDIA_STORE=s3.
type S3 struct {
	Endpoint        string // http:// or https:// URL of the server
	Bucket          string
	Region          string // empty: the server's default
	AccessKeyID     string
	SecretAccessKey string
	PathStyle       bool
	// PublicURL, when set, is where the bucket's files can be fetched
	// directly: pages link media to PublicURL/key.
	PublicURL string
}

// LogValue prints the settings without the keys.
func (s S3) LogValue() slog.Value {
	if s.Endpoint == "" && s.Bucket == "" {
		return slog.StringValue("")
	}
	return slog.GroupValue(
		slog.String("endpoint", s.Endpoint),
		slog.String("bucket", s.Bucket),
		slog.String("region", s.Region),
		slog.Bool("path_style", s.PathStyle),
		slog.String("public_url", s.PublicURL),
		slog.Bool("access_key_set", s.AccessKeyID != ""),
	)
}

// bucketName is S3's rule for bucket names (3 to 63 lower-case letters,
// digits, dots and hyphens, starting and ending with a letter or digit).
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

var regionName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// validate checks the S3 settings: all of them when the store is in use,
// and otherwise that none is set by mistake (a bucket configured but
// never used would be a surprise the first time the disk fills up).
func (s S3) validate(inUse bool) error {
	if !inUse {
		if s.Endpoint != "" || s.Bucket != "" || s.PublicURL != "" {
			return errors.New("TWEETS_S3_* settings are given but TWEETS_MEDIA_STORE is disk: set TWEETS_MEDIA_STORE=s3 to keep media in the bucket, or remove them")
		}
		return nil
	}
	if s.Endpoint == "" {
		return errors.New("TWEETS_MEDIA_STORE is s3 but TWEETS_S3_ENDPOINT is empty: give the server's URL, e.g. https://s3.eu-west-1.amazonaws.com")
	}
	if !plainURL(s.Endpoint, true) {
		return fmt.Errorf("TWEETS_S3_ENDPOINT %q is not a server URL: use http:// or https://, a host and maybe a port, no path (the bucket goes in TWEETS_S3_BUCKET), e.g. https://s3.eu-west-1.amazonaws.com", s.Endpoint)
	}
	if s.Bucket == "" {
		return errors.New("TWEETS_MEDIA_STORE is s3 but TWEETS_S3_BUCKET is empty: name the bucket that holds the media")
	}
	if !bucketName.MatchString(s.Bucket) {
		return fmt.Errorf("TWEETS_S3_BUCKET %q is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens", s.Bucket)
	}
	if s.Region != "" && !regionName.MatchString(s.Region) {
		return fmt.Errorf("TWEETS_S3_REGION %q is not a region name such as eu-west-1 (or leave it empty)", s.Region)
	}
	if s.AccessKeyID == "" || s.SecretAccessKey == "" {
		return errors.New("TWEETS_MEDIA_STORE is s3 but TWEETS_S3_ACCESS_KEY_ID or TWEETS_S3_SECRET_ACCESS_KEY is empty: give both (or their _FILE variants)")
	}
	if s.PublicURL != "" && !plainURL(s.PublicURL, false) {
		return fmt.Errorf("TWEETS_S3_PUBLIC_URL %q is not a URL such as https://media.example.com (no query, no fragment; media go at URL/key)", s.PublicURL)
	}
	return nil
}

// plainURL reports whether s is an http or https URL with a host, no
// credentials, query or fragment, and (if noPath) no path.
func plainURL(s string, noPath bool) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return false
	}
	return !noPath || u.Path == "" || u.Path == "/"
}
