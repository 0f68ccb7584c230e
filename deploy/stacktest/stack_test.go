// Package stacktest runs the production stack without Docker: two
// replicas of the real binary, PostgreSQL, Redis, the project's nginx
// configuration and Prometheus with the project's alert rules, all as
// processes on loopback.
package stacktest

import (
	"bufio"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/promtest"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/testserver"
	"github.com/tweetsdev/tweets/internal/webtest"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func need(t *testing.T, bin string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err != nil {
		t.Fatalf("%s is not installed: run the tests with 'make test', which installs it from Debian packages", bin)
	}
	return p
}

// startNginx renders deploy/nginx with the project's own render.sh in
// front of the replicas and runs nginx in the foreground.
func startNginx(t *testing.T, upstreams []string, mediaDir string) (base, accessLog string) {
	t.Helper()
	need(t, "nginx")
	out, err := os.MkdirTemp("", "tweets-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })
	listen := testserver.FreeAddr(t)
	render := exec.Command("sh", filepath.Join(repoRoot(), "deploy", "nginx", "render.sh"), "--check")
	render.Env = append(os.Environ(),
		"NGINX_OUT_DIR="+out, "NGINX_LISTEN="+listen, "TWEETS_UPSTREAMS="+strings.Join(upstreams, ","),
		"TWEETS_MEDIA_ROOT="+mediaDir)
	if os.Geteuid() == 0 {
		// Workers would otherwise drop to nobody, who cannot write the
		// temporary directories this test created.
		render.Env = append(render.Env, "NGINX_USER=root")
	}
	if b, err := render.CombinedOutput(); err != nil {
		t.Fatalf("render.sh: %v\n%s", err, b)
	}
	cmd := exec.Command("nginx", "-c", filepath.Join(out, "nginx.conf"), "-p", out, "-g", "daemon off;")
	logs := &testserver.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	base = "http://" + listen
	waitFor(t, 10*time.Second, "nginx to answer", func() bool {
		resp, err := http.Get(base + "/nginx-health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return base, filepath.Join(out, "run", "access.log")
}

// startPrometheus runs Prometheus with the project's alert rules,
// scraping the replicas' admin listeners every second.
func startPrometheus(t *testing.T, targets []string) string {
	t.Helper()
	rules, _ := filepath.Glob(filepath.Join(repoRoot(), "deploy", "monitoring", "rules", "*.yml"))
	if len(rules) == 0 {
		t.Fatal("no rule files in deploy/monitoring/rules")
	}
	return promtest.Start(t, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [%s]
scrape_configs:
  - job_name: tweets
    static_configs:
      - targets: ["%s"]
`, `"`+strings.Join(rules, `", "`)+`"`, strings.Join(targets, `", "`)))
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < limit {
		if ok() {
			return time.Since(start)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("waited %s for %s", limit, what)
	return 0
}

// firing reports whether the named alert fires.
func firing(base, name string) bool {
	as, _ := promtest.Alerts(base, name)
	for _, a := range as {
		if a.State == "firing" {
			return true
		}
	}
	return false
}

// active reports whether the named alert is pending or firing.
func active(base, name string) bool {
	as, _ := promtest.Alerts(base, name)
	return len(as) > 0
}

// ruleFor reads an alert's "for" duration from the project's rules, so
// the test follows the rule rather than a copy of it.
func ruleFor(t *testing.T, name string) time.Duration {
	b, err := os.ReadFile(filepath.Join(repoRoot(), "deploy", "monitoring", "rules", "tweets.yml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)alert: ` + name + `\n.*?\n\s+for: (\w+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no 'for' on alert %s", name)
	}
	d, err := time.ParseDuration(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// upstreamOf finds the replica nginx sent a request to, from its access
// log (ua=ADDR), looking at lines after the first skip ones.
func upstreamOf(t *testing.T, accessLog, request string, skip int) (string, int) {
	f, err := os.Open(accessLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if n <= skip || !strings.Contains(sc.Text(), `"`+request+` HTTP/1.1"`) {
			continue
		}
		if m := regexp.MustCompile(` ua=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			return m[1], n
		}
	}
	return "", skip
}

// suspend suspends an account through the admin pages, as an admin made
// with the command line.
func suspend(t *testing.T, base, databaseURL, username string) {
	t.Helper()
	cmd := exec.Command(testserver.Binary(t), "user", "create", "--username", "root", "--admin", "--password-stdin")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DATABASE_URL=" + databaseURL, "TWEETS_DATA_DIR=" + t.TempDir()}
	cmd.Stdin = strings.NewReader("root-password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tweets user create: %v\n%s", err, out)
	}
	root := webtest.New(t, base)
	root.LogIn("root", "root-password")
	users := root.Get("/admin/users?q=" + username)
	form := regexp.MustCompile(`action="(/admin/users/\d+/suspend)"`).FindStringSubmatch(users.Body)
	if form == nil {
		t.Fatalf("no suspend button for @%s on /admin/users:\n%s", username, users.Body)
	}
	webtest.Expect(t, root.Post(form[1], nil), http.StatusSeeOther)
}

func TestStack(t *testing.T) {
	pg := pgtest.StartServer(t)
	rs := redistest.Start(t)
	media, err := os.MkdirTemp("", "tweets-media-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(media) })
	os.Chmod(media, 0o755)

	var replicas []*testserver.Server
	var admins []string
	for i := 0; i < 2; i++ {
		admin := testserver.FreeAddr(t)
		admins = append(admins, admin)
		replicas = append(replicas, testserver.Start(t, map[string]string{
			"DATABASE_URL": pg.URL, "TWEETS_REDIS_URL": rs.URL(), "TWEETS_SECRET_KEY": strings.Repeat("stack-key-", 4),
			"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_MEDIA_DIR": media, "TWEETS_ADMIN_ADDR": admin,
			"TWEETS_TRUSTED_PROXIES": "127.0.0.1/32", "TWEETS_ALLOWED_HOSTS": "127.0.0.1,localhost", "TWEETS_DEMO": "0",
			"TWEETS_MEDIA_ACCEL_PREFIX": "/_media/",
		}))
	}
	base, accessLog := startNginx(t, []string{replicas[0].Addr, replicas[1].Addr}, media)

	// Post through nginx, with an image.
	b := webtest.New(t, base)
	b.SignUp("stack", "stack-password")
	photo := testimage.PNG(32, 32)
	if r := b.PostTweet("through nginx", "photo.png", photo); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("post through nginx: %d\n%s", r.StatusCode, r.Body)
	}
	// nginx writes the access line once the response is sent: it can
	// trail the client by a moment.
	var postedOn string
	var seen int
	waitFor(t, 5*time.Second, "POST /tweets in the nginx access log", func() bool {
		postedOn, seen = upstreamOf(t, accessLog, "POST /tweets", 0)
		return postedOn != ""
	})
	// Read it back through nginx until the other replica answers.
	var other string
	for i := 0; i < 10 && other == ""; i++ {
		r := webtest.New(t, base).Get("/@stack")
		webtest.Expect(t, r, 200, "through nginx")
		var ua string
		waitFor(t, 5*time.Second, "GET /@stack in the nginx access log", func() bool {
			ua, seen = upstreamOf(t, accessLog, "GET /@stack", seen)
			return ua != ""
		})
		if ua != postedOn {
			other = ua
		}
	}
	if other == "" {
		t.Fatalf("every read went to %s, the replica that took the post", postedOn)
	}
	home := b.Get("/")
	img := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.png)"`).FindStringSubmatch(home.Body)
	if img == nil {
		t.Fatal("no image on /")
	}
	// Media: a replica says whether the file may be seen and names it in
	// X-Accel-Redirect; nginx sends it from the volume.
	m := webtest.New(t, base).Get(img[1])
	if m.StatusCode != 200 || m.Header.Get("Content-Type") != "image/png" || !strings.Contains(m.Header.Get("Content-Security-Policy"), "sandbox") ||
		!strings.Contains(m.Header.Get("Cache-Control"), "immutable") || !isPNG(m.Body, 32, 32) {
		t.Errorf("media through nginx: %d %v, %d bytes", m.StatusCode, m.Header, len(m.Body))
	}
	var ua string
	waitFor(t, 5*time.Second, "the media request in the nginx access log", func() bool {
		ua, _ = upstreamOf(t, accessLog, "GET "+img[1], 0)
		return ua != ""
	})
	if ua != replicas[0].Addr && ua != replicas[1].Addr {
		t.Errorf("the media request went to %q, not to a replica that checks it", ua)
	}
	direct := webtest.New(t, replicas[0].URL).Get(img[1])
	if direct.Header.Get("X-Accel-Redirect") != "/_media/"+strings.TrimPrefix(img[1], "/media/") || direct.Body != "" {
		t.Errorf("a replica's own answer for media: X-Accel-Redirect %q and %d bytes, want the file's internal location and no body",
			direct.Header.Get("X-Accel-Redirect"), len(direct.Body))
	}
	// A suspended account's image is 404 through nginx, though on the volume.
	spammer := webtest.New(t, base)
	spammer.SignUp("spammer", "spam-password")
	spammer.PostTweet("buy now", "ad.png", testimage.PNG(16, 16))
	ad := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.png)"`).FindStringSubmatch(spammer.Get("/@spammer").Body)
	if ad == nil {
		t.Fatal("no image on /@spammer")
	}
	webtest.Expect(t, webtest.New(t, base).Get(ad[1]), 200)
	suspend(t, base, pg.URL, "spammer")
	webtest.Expect(t, webtest.New(t, base).Get(ad[1]), 404)
	if r := webtest.New(t, base).Get("/metrics"); r.StatusCode != 404 {
		t.Errorf("/metrics through nginx: %d, want 404", r.StatusCode)
	}

	// nginx passes the client's Host on, so the replicas' allowed hosts
	// hold for the health endpoints too; and the 400s are not failures
	// that send the request on to the other replica.
	for i := 0; i < 8; i++ {
		for _, path := range []string{"/healthz", "/readyz"} {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Host = "evil.example"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 400 {
				t.Errorf("%s through nginx for Host evil.example: %d, want 400", path, resp.StatusCode)
			}
		}
	}
	const after = "/readyz?after=refusals" // tells these apart in the access log
	for i := 0; i < 4; i++ {
		webtest.Expect(t, webtest.New(t, base).Get(after), 200, "ready")
	}
	answered := map[string]bool{}
	waitFor(t, 5*time.Second, "both replicas to answer /readyz after the refused hosts", func() bool {
		for line := 0; ; {
			ua, n := upstreamOf(t, accessLog, "GET "+after, line)
			if ua == "" {
				return len(answered) == 2
			}
			answered[ua], line = true, n
		}
	})

	// Prometheus scrapes both replicas.
	prom := startPrometheus(t, admins)
	waitFor(t, 60*time.Second, "Prometheus to scrape both replicas", func() bool {
		n, err := promtest.Query(prom, `up{job="tweets"} == 1`)
		return err == nil && n == 2
	})

	// Stopping PostgreSQL fires the database-down alert within its window.
	window := ruleFor(t, "TweetsDatabaseDown")
	pg.Stop(t)
	stopped := time.Now()
	// The replicas check the database every 5 s; Prometheus scrapes and
	// evaluates every second: allow that, plus slack for a busy machine.
	waitFor(t, window+45*time.Second, "TweetsDatabaseDown to fire", func() bool { return firing(prom, "TweetsDatabaseDown") })
	if took := time.Since(stopped); took < window {
		t.Errorf("the alert fired after %s, before its 'for' window of %s", took, window)
	} else {
		t.Logf("TweetsDatabaseDown fired %s after PostgreSQL stopped (for: %s)", took.Round(time.Second), window)
	}
	pgURL, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	pgAddr := pgURL.Host
	for _, r := range replicas {
		resp, err := http.Get(r.URL + "/readyz")
		if err != nil {
			t.Errorf("replica %s /readyz with the database down: %v", r.Addr, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || strings.Contains(string(body), pgAddr) {
			t.Errorf("replica %s /readyz with the database down: %d %q (want 503, not naming %s)", r.Addr, resp.StatusCode, body, pgAddr)
		}
	}

	// Starting it again clears the alert and the replicas recover.
	pg.Start(t)
	took := waitFor(t, 60*time.Second, "TweetsDatabaseDown to clear", func() bool { return !active(prom, "TweetsDatabaseDown") })
	t.Logf("the alert cleared %s after PostgreSQL started", took.Round(time.Second))
	webtest.Expect(t, webtest.New(t, base).Get("/@stack"), 200, "through nginx")
}

// isPNG reports whether body is a w×h PNG: the upload as stored, which is
// the photo written anew, not its bytes.
func isPNG(body string, w, h int) bool {
	cfg, err := png.DecodeConfig(strings.NewReader(body))
	return err == nil && cfg.Width == w && cfg.Height == h
}
