package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// runFunc runs one command function as run would, before it is in the
// command table.
func runFunc(t *testing.T, fn func(context.Context, env, []string) error, vars map[string]string, stdin []byte, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	err = fn(context.Background(), e, args)
	return out.String(), errb.String(), err
}

// seedForBackup makes an account with a tweet and an image, through the
// same wiring as the commands.
func seedForBackup(t *testing.T, vars map[string]string) {
	t.Helper()
	if code, out, errs := runCmd(t, vars, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, vars, "password-1\n", "user", "create", "--username", "alice", "--password-stdin"); code != 0 {
		t.Fatalf("user create: %d %q %q", code, out, errs)
	}
	c, store := storeFor(t, vars)
	ctx := context.Background()
	svc, err := newService(ctx, c, store)
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PostTweet(ctx, u, "hello", tweets.UploadBytes(testimage.PNG(10, 10))); err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			src := envFor()
			src["TWEETS_DEMO"] = "0"
			seedForBackup(t, src)
			file := filepath.Join(t.TempDir(), "tweets.tar.gz")

			out, errs, err := runFunc(t, backupCmd, src, nil, "--out", file)
			if err != nil || !strings.Contains(out, "wrote "+file+": 4 rows and 1 media file") || !strings.Contains(errs, "users: 1 row\n") {
				t.Fatalf("backup: %v %q %q", err, out, errs)
			}
			if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("the backup file: %v, %v; want mode 0600", st, err)
			}
			if _, err := os.Stat(file + ".tmp"); !os.IsNotExist(err) {
				t.Errorf("the temporary file is left behind: %v", err)
			}

			dst := envFor()
			dst["TWEETS_DEMO"] = "0"
			if _, errs, err := runFunc(t, restoreCmd, dst, nil, file); err == nil || !strings.Contains(err.Error(), "run 'tweets migrate'") {
				t.Errorf("restore into an unmigrated database: %v %q", err, errs)
			}
			if code, _, errs := runCmd(t, dst, "", "migrate"); code != 0 {
				t.Fatalf("migrate: %q", errs)
			}
			out, errs, err = runFunc(t, restoreCmd, dst, nil, file)
			if err != nil || !strings.Contains(out, "restored 4 rows and 1 media file") || !strings.Contains(errs, "media: 1/1 files") {
				t.Fatalf("restore: %v %q %q", err, out, errs)
			}
			if media, _ := os.ReadDir(filepath.Join(dst["TWEETS_DATA_DIR"], "media")); len(media) != 1 {
				t.Errorf("%d media files restored, want 1", len(media))
			}
			if code, _, errs := runCmd(t, dst, "password-1\n", "user", "set-password", "--username", "alice", "--password-stdin"); code != 0 {
				t.Errorf("the restored account is not there: %q", errs)
			}
			_, _, err = runFunc(t, restoreCmd, dst, nil, file)
			if err == nil || !strings.Contains(err.Error(), "already has data") || !strings.Contains(err.Error(), "--force") {
				t.Errorf("restore over data: %v", err)
			}
			if out, errs, err := runFunc(t, restoreCmd, dst, nil, "--force", file); err != nil || !strings.Contains(out, "restored") {
				t.Errorf("restore --force: %v %q %q", err, out, errs)
			}

			// Through a pipe: --out - and a file named -.
			out, _, err = runFunc(t, backupCmd, src, nil, "--out", "-")
			if err != nil {
				t.Fatal(err)
			}
			pipe := envFor()
			runCmd(t, pipe, "", "migrate")
			if got, errs, err := runFunc(t, restoreCmd, pipe, []byte(out), "-"); err != nil || !strings.Contains(got, "restored 4 rows") {
				t.Errorf("restore -: %v %q %q", err, got, errs)
			}
		})
	}
}

func TestBackupCommandErrors(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"TWEETS_DATA_DIR": dir}
	for _, tc := range []struct {
		fn    func(context.Context, env, []string) error
		args  []string
		want  string
		usage bool
	}{
		{backupCmd, nil, "--out is required", true},
		{restoreCmd, nil, "name the backup file", true},
		{restoreCmd, []string{"--data-dir", dir}, "name the backup file", true},
		{restoreCmd, []string{"--force"}, "name the backup file", true},
		{restoreCmd, []string{filepath.Join(dir, "nope.tar.gz")}, "open the backup", false},
		{backupCmd, []string{"--out", filepath.Join(dir, "no", "such", "dir", "b.tar.gz")}, "run 'tweets migrate'", false},
	} {
		_, _, err := runFunc(t, tc.fn, vars, nil, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || isUsage(err) != tc.usage {
			t.Errorf("%v: %v; want a usage error (%v) saying %q", tc.args, err, tc.usage, tc.want)
		}
	}
	for _, tc := range []struct {
		args       []string
		file, rest string
	}{
		{[]string{"b.tgz"}, "b.tgz", ""},
		{[]string{"--force", "b.tgz"}, "b.tgz", "--force"},
		{[]string{"--force=true", "b.tgz"}, "b.tgz", "--force=true"},
		{[]string{"--data-dir", "/srv", "b.tgz"}, "b.tgz", "--data-dir /srv"},
		{[]string{"--data-dir=/srv", "-"}, "-", "--data-dir=/srv"},
		{[]string{"--data-dir", "/srv"}, "", "--data-dir /srv"},
		{[]string{"--help"}, "", "--help"},
	} {
		file, rest := splitFileArg(tc.args, "force")
		if file != tc.file || strings.Join(rest, " ") != tc.rest {
			t.Errorf("splitFileArg(%q) = %q, %q; want %q, %q", tc.args, file, rest, tc.file, tc.rest)
		}
	}
}
