package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// EnvMasto names the directory where the test command installed
// masto.js (api/testdata/masto/package.json).
const EnvMasto = "TWEETS_TEST_MASTO_DIR"

// TestMastoClient: masto.js, a client library Mastodon apps are built
// on, registers an app and gets a token through OAuth with PKCE (this
// test is the browser that logs in and clicks Authorize), uploads an
// image with alt text and posts it, replies to another account,
// favourites, reblogs and undoes both, follows, reads the notifications
// that account's follow, favourite and mention made, reads the home and
// public timelines page by page through Link headers, searches, edits a
// status and reads its history, deletes one, gets an empty list of lists (which
// this server lacks), and receives a new status's update over
// WebSocket and over server-sent events within three seconds: the API is
// the one apps expect, not just one this project's tests expect. The
// script (testdata/masto/probe.mjs) fails on the first surprise.
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
	other, _ := s.tokenFor("ben", "read write follow")
	browser := webtest.New(t, s.base)
	browser.SignUp("rae", "password1")

	work := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "node_modules"), filepath.Join(work, "node_modules")); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("testdata/masto/probe.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "probe.mjs"), script, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "square.png"), testimage.PNG(64, 64), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "probe.mjs")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "BASE="+s.base, "OTHER_TOKEN="+other, "IMAGE=square.png")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewReader(stdout)
	var out []byte
	failed := func(err error) {
		t.Helper()
		rest, _ := io.ReadAll(lines)
		_ = cmd.Wait()
		t.Fatalf("masto.js: %v\n%s%s\n%s", err, out, rest, stderr.Bytes())
	}

	// The app prints where it sends its user; the user logs in there
	// and authorizes it, and gives it the code the page shows.
	first, err := lines.ReadBytes('\n')
	if err != nil {
		failed(err)
	}
	var step struct{ Authorize string }
	if err := json.Unmarshal(first, &step); err != nil {
		failed(err)
	}
	code := consent(t, browser, s.base, step.Authorize)
	if _, err := io.WriteString(stdin, code+"\n"); err != nil {
		failed(err)
	}
	_ = stdin.Close()

	out, err = io.ReadAll(lines)
	if err == nil {
		err = cmd.Wait()
	}
	if err != nil {
		failed(err)
	}
	var got struct {
		Me, AltText                             string
		Notifications                           []string
		HomePages, HomeStatuses, PublicStatuses int
		History                                 int
		WebsocketMs, SseMs                      int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		failed(errors.Join(err, errors.New("the last line is not the summary")))
	}
	t.Logf("masto.js saw %+v", got)
	if got.Me != "rae" || got.AltText != "a blue square" || strings.Join(got.Notifications, " ") != "favourite follow mention" ||
		got.HomePages < 4 || got.HomeStatuses < 8 || got.PublicStatuses < got.HomeStatuses || got.History != 2 ||
		got.WebsocketMs > 3000 || got.SseMs > 3000 {
		t.Errorf("masto.js saw %+v", got)
	}
}

var oobCode = regexp.MustCompile(`aria-label="Authorization code">([^<]+)<`)

// consent is the user's part of the code flow for an out-of-band app:
// open the authorize URL the app made, click Authorize, and read the
// code off the page.
func consent(t *testing.T, b *webtest.Browser, base, authorizeURL string) string {
	t.Helper()
	u, err := url.Parse(authorizeURL)
	if err != nil || u.Scheme+"://"+u.Host != base || u.Path != "/oauth/authorize" {
		t.Fatalf("the app sends its user to %q", authorizeURL)
	}
	q := u.Query()
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		t.Errorf("the app asks without PKCE: %q", authorizeURL)
	}
	webtest.Expect(t, b.Get(u.RequestURI()), 200, "Authorize masto.js probe", "<code>follow</code>")
	form := url.Values{"decision": {"authorize"}}
	for _, k := range []string{"client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"} {
		form.Set(k, q.Get(k))
	}
	r := b.Post("/oauth/authorize", form)
	m := oobCode.FindStringSubmatch(r.Body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("authorize: %d, no code on the page\n%s", r.StatusCode, r.Body)
	}
	return m[1]
}
