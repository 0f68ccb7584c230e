package config

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// s3Env is a complete, valid S3 configuration with its keys in files.
func s3Env(t *testing.T, kv ...string) map[string]string {
	dir := t.TempDir()
	id, secret := filepath.Join(dir, "id"), filepath.Join(dir, "secret")
	os.WriteFile(id, []byte("AKIAEXAMPLE\n"), 0o600)
	os.WriteFile(secret, []byte("s3cr3t\n"), 0o600)
	env := map[string]string{
		"TWEETS_MEDIA_STORE": "s3", "TWEETS_S3_ENDPOINT": "https://s3.eu-west-1.amazonaws.com", "TWEETS_S3_BUCKET": "tweets-media",
		"TWEETS_S3_REGION": "eu-west-1", "TWEETS_S3_ACCESS_KEY_ID_FILE": id, "TWEETS_S3_SECRET_ACCESS_KEY_FILE": secret,
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(env, kv[i])
		} else {
			env[kv[i]] = kv[i+1]
		}
	}
	return env
}

func TestS3Settings(t *testing.T) {
	c, err := load(t, nil, s3Env(t, "TWEETS_S3_PATH_STYLE", "true", "TWEETS_S3_PUBLIC_URL", "https://media.example.com/"))
	if err != nil {
		t.Fatal(err)
	}
	want := S3{Endpoint: "https://s3.eu-west-1.amazonaws.com", Bucket: "tweets-media", Region: "eu-west-1",
		AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "s3cr3t", PathStyle: true, PublicURL: "https://media.example.com"}
	if c.MediaStore != "s3" || c.S3 != want {
		t.Errorf("MediaStore %q, S3 %+v; want s3, %+v", c.MediaStore, c.S3, want)
	}
	if strings.Contains(c.S3.LogValue().String(), "s3cr3t") {
		t.Error("the secret key is logged")
	}
	def, err := load(t, nil, nil)
	if err != nil || def.MediaStore != "disk" {
		t.Errorf("default media store %q (%v), want disk", def.MediaStore, err)
	}
}

func TestS3BadValues(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{s3Env(t, "TWEETS_MEDIA_STORE", "ftp"), "--media-store"},
		{s3Env(t, "TWEETS_S3_ENDPOINT", ""), "TWEETS_S3_ENDPOINT is empty"},
		{s3Env(t, "TWEETS_S3_ENDPOINT", "s3.amazonaws.com"), "TWEETS_S3_ENDPOINT \"s3.amazonaws.com\" is not"},
		{s3Env(t, "TWEETS_S3_ENDPOINT", "https://s3.example.com/bucket"), "no path"},
		{s3Env(t, "TWEETS_S3_ENDPOINT", "https://key:secret@s3.example.com"), "TWEETS_S3_ENDPOINT"},
		{s3Env(t, "TWEETS_S3_BUCKET", ""), "TWEETS_S3_BUCKET is empty"},
		{s3Env(t, "TWEETS_S3_BUCKET", "My_Bucket"), "TWEETS_S3_BUCKET \"My_Bucket\""},
		{s3Env(t, "TWEETS_S3_REGION", "EU West"), "TWEETS_S3_REGION"},
		{s3Env(t, "TWEETS_S3_SECRET_ACCESS_KEY_FILE", ""), "TWEETS_S3_SECRET_ACCESS_KEY is empty"},
		{s3Env(t, "TWEETS_S3_ACCESS_KEY_ID_FILE", ""), "TWEETS_S3_ACCESS_KEY_ID"},
		{s3Env(t, "TWEETS_S3_PATH_STYLE", "perhaps"), "--s3-path-style"},
		{s3Env(t, "TWEETS_S3_PUBLIC_URL", "media.example.com"), "TWEETS_S3_PUBLIC_URL"},
		{s3Env(t, "TWEETS_S3_PUBLIC_URL", "https://media.example.com/?x=1"), "TWEETS_S3_PUBLIC_URL"},
		{s3Env(t, "TWEETS_MEDIA_ACCEL_PREFIX", "/_media/"), "TWEETS_MEDIA_ACCEL_PREFIX"},
		{s3Env(t, "TWEETS_MEDIA_STORE", "disk"), "TWEETS_MEDIA_STORE is disk"},
	} {
		_, err := load(t, nil, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line naming %s", tc.env, err, tc.want)
		}
	}
}

func TestS3DeployProblems(t *testing.T) {
	with := func(kv ...string) map[string]string {
		env := s3Env(t, kv...)
		maps.Copy(env, hardened)
		return env
	}
	c, err := load(t, nil, with())
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.DeployProblems(); len(ps) != 0 {
		t.Errorf("hardened S3 configuration has problems: %+v", ps)
	}
	for _, tc := range []struct {
		env     map[string]string
		setting string
		problem string
	}{
		{with("TWEETS_S3_SECRET_ACCESS_KEY_FILE", "", "TWEETS_S3_SECRET_ACCESS_KEY", "s3cr3t"), "TWEETS_S3_SECRET_ACCESS_KEY", "environment"},
		{with("TWEETS_S3_ACCESS_KEY_ID_FILE", "", "TWEETS_S3_ACCESS_KEY_ID", "AKIA"), "TWEETS_S3_ACCESS_KEY_ID", "environment"},
		{with("TWEETS_S3_ENDPOINT", "http://s3.internal:8333"), "TWEETS_S3_ENDPOINT", "plain http"},
		{with("TWEETS_S3_PUBLIC_URL", "http://media.example.com"), "TWEETS_S3_PUBLIC_URL", "plain http"},
	} {
		c, err := load(t, nil, tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if !hasProblem(c, tc.setting, tc.problem) {
			t.Errorf("%s: no problem %q among %+v", tc.setting, tc.problem, c.DeployProblems())
		}
	}
	// http to this machine is fine.
	c, _ = load(t, nil, with("TWEETS_S3_ENDPOINT", "http://127.0.0.1:8333"))
	if ps := c.DeployProblems(); len(ps) != 0 {
		t.Errorf("S3 on loopback: %+v", ps)
	}
}
