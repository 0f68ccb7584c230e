package backup_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
	"github.com/tweetsdev/tweets/internal/testapp"
)

// TestRestoreRepairsText: SQLite keeps NUL bytes and bytes that are not
// UTF-8 in text, which PostgreSQL refuses. Restoring such a database into
// PostgreSQL repairs the values (NUL dropped, U+FFFD for the bad bytes),
// says how many per column, and finishes.
func TestRestoreRepairsText(t *testing.T) {
	ctx := context.Background()
	src := seed(t, testapp.ByName("sqlite").Open(t))
	alice, err := src.store.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	// Raw SQL: the service would never store these.
	broken, clean := src.svc.IDs.New(), src.svc.IDs.New()
	const cleanText = `a real U+FFFD "` + "\uFFFD" + `" and one typed out: \ufffd`
	for _, r := range []struct {
		id   tweets.ID
		text string
	}{{broken, "nul\x00byte, bad\xffbyte"}, {clean, cleanText}} {
		if _, err := src.store.DB.ExecContext(ctx, "INSERT INTO tweets (id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
			r.id, alice.ID, r.text, r.id.Time()); err != nil {
			t.Fatal(err)
		}
	}
	archive, _ := write(t, src, nil)

	dst, blobs := testapp.ByName("postgres").Open(t), newDisk(t)
	var progress bytes.Buffer
	if err := restore(archive, dst, blobs, backup.RestoreOptions{Progress: &progress}); err != nil {
		t.Fatalf("restore: %v\n%s", err, progress.String())
	}
	if tw, err := dst.TweetByID(ctx, broken); err != nil || tw.Text != "nulbyte, bad\uFFFDbyte" {
		t.Errorf("the broken tweet restored as %q, %v; want %q", tw.Text, err, "nulbyte, bad\uFFFDbyte")
	}
	if tw, err := dst.TweetByID(ctx, clean); err != nil || tw.Text != cleanText {
		t.Errorf("a clean tweet restored as %q, %v; want it unchanged", tw.Text, err)
	}
	var warnings []string
	for _, line := range strings.Split(progress.String(), "\n") {
		if strings.HasPrefix(line, "warning:") {
			warnings = append(warnings, line)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "tweets.text: 1 value repaired") {
		t.Errorf("warnings = %q; want one for tweets.text, 1 value\n%s", warnings, progress.String())
	}
	if !strings.Contains(progress.String(), "restore complete") {
		t.Errorf("the restore did not say it completed:\n%s", progress.String())
	}
}
