package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMediaGC: gc deletes old files that no row refers to, and the old
// partly written files of a process killed while storing one, spares the
// referenced ones and young ones (uploads in progress), and with
// --dry-run only reports.
func TestMediaGC(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			vars := envFor()
			vars["TWEETS_DEMO"] = "0"
			seedForBackup(t, vars)
			dir := filepath.Join(vars["TWEETS_DATA_DIR"], "media")
			kept, _ := filepath.Glob(filepath.Join(dir, "*.png"))
			if len(kept) != 1 {
				t.Fatalf("the seed stored %d files, want 1", len(kept))
			}
			old := time.Now().Add(-2 * time.Hour)
			for _, f := range []string{"orphan1.png", "orphan2.jpg", "young.png", ".upload-123", ".upload-456"} {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("0123456789"), 0o644); err != nil {
					t.Fatal(err)
				}
				if f != "young.png" && f != ".upload-456" {
					if err := os.Chtimes(filepath.Join(dir, f), old, old); err != nil {
						t.Fatal(err)
					}
				}
			}
			exists := func(f string) bool { _, err := os.Stat(filepath.Join(dir, f)); return err == nil }

			out, _, err := runFunc(t, mediaCmd, vars, nil, "gc", "--dry-run")
			if err != nil || !strings.Contains(out, "checked 4 files: 1 referenced, 1 younger than 1h0m0s kept; would delete 2 orphaned files (20 bytes)\n"+
				"would delete 1 partly written files left by a crash (10 bytes)") {
				t.Errorf("dry run: %v %q", err, out)
			}
			if !exists("orphan1.png") || !exists("orphan2.jpg") || !exists(".upload-123") {
				t.Error("the dry run deleted files")
			}
			out, _, err = runFunc(t, mediaCmd, vars, nil, "gc")
			if err != nil || !strings.Contains(out, "deleted 2 orphaned files") || !strings.Contains(out, "deleted 1 partly written files") {
				t.Errorf("gc: %v %q", err, out)
			}
			if exists("orphan1.png") || exists("orphan2.jpg") || exists(".upload-123") || !exists("young.png") || !exists(".upload-456") ||
				!exists(filepath.Base(kept[0])) {
				t.Error("gc deleted the wrong files")
			}
			if code, _, errs := runCmd(t, vars, "", "media", "gc", "--min-age", "10s"); code != 2 || !strings.Contains(errs, "too short") {
				t.Errorf("--min-age 10s: exit %d %q; want a usage error", code, errs)
			}
			if code, _, errs := runCmd(t, vars, "", "media", "sweep"); code != 2 || !strings.Contains(errs, `unknown subcommand "sweep"`) {
				t.Errorf("media sweep: exit %d %q", code, errs)
			}
		})
	}
}
