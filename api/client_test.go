package api_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tweetsdev/tweets/internal/testapp"
)

// EnvMasto names the directory where the test command installed
// masto.js (api/testdata/masto/package.json).
const EnvMasto = "TWEETS_TEST_MASTO_DIR"

// TestMastoClient: masto.js, a client library Mastodon apps are built
// on, reads the instance, verifies its credentials, posts, favourites,
// reads the home timeline, notifications, search and a context, deletes
// (getting the text back), and gets a 404 for lists, which this server
// lacks: the API is the one apps expect, not just one this project's
// tests expect.
func TestMastoClient(t *testing.T) {
	dir := os.Getenv(EnvMasto)
	if dir == "" {
		t.Fatalf("%s is not set: run the tests with 'make test', which installs masto.js from npm", EnvMasto)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: run the tests with 'make test'")
	}
	s := newSite(t, testapp.ByName("sqlite"))
	token, _ := s.tokenFor("rae", "read write follow")

	work := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "node_modules"), filepath.Join(work, "node_modules")); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("testdata/masto/probe.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "probe.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "probe.mjs")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "BASE="+s.base, "TOKEN="+token)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("masto.js: %v\n%s\n%s", err, out, stderr)
	}
	var got struct {
		Instance      int
		Me            string
		Posted        string
		Fav           bool
		Home          []string
		Notifications int
		Search        []string
		Context       int
		DeletedText   string
		Lists         any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Instance != 280 || got.Me != "rae" || got.Posted == "" || !got.Fav || len(got.Home) != 1 || got.Home[0] != got.Posted ||
		len(got.Search) != 1 || got.Search[0] != got.Posted || got.DeletedText != "hello from masto #js" || got.Lists != float64(404) {
		t.Errorf("masto.js saw %+v", got)
	}
}
