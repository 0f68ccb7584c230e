package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"

	_ "modernc.org/sqlite" // to count rows after the server exits
)

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestMetricsHealthAndPprof(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor()
			env["TWEETS_DEMO"] = "0"
			admin := freePort(t)
			env["TWEETS_ADMIN_ADDR"] = admin
			s := startServer(t, env)

			b := webtest.New(t, s.URL)
			b.SignUp("metrics", "password123")
			if r := b.PostTweet("counted", "", nil); r.StatusCode != 303 {
				t.Fatalf("post: %d", r.StatusCode)
			}
			b.Get("/")
			b.Get("/")

			code, body, _ := get(t, "http://"+admin+"/metrics")
			if code != 200 {
				t.Fatalf("admin /metrics: %d", code)
			}
			for _, want := range []string{
				`tweets_http_requests_total{method="GET",route="GET /{$}",status="200"}`,
				`tweets_http_request_duration_seconds_bucket{method="POST",route="POST /tweets",status="303"`,
				`tweet_request_duration_seconds_count{endpoint="POST /tweets"} 1`,
				"tweets_created_total 1",
				`tweets_social_actions_total{action="like"} 0`,
				"tweets_db_up 1",
				"tweets_db_open_connections",
				"tweets_db_in_use_connections",
				"tweets_db_wait_count_total",
				`tweets_cache_hits_total{cache="timeline"}`,
				`tweets_cache_misses_total{cache="timeline"}`,
				"tweets_event_subscribers_dropped_total 0",
				"tweets_stream_clients 0",
				"tweets_build_info{version=",
				"go_goroutines",
				"process_resident_memory_bytes",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			// Routes are labelled by pattern, never by raw path.
			if strings.Contains(body, `route="/@metrics"`) {
				t.Error("a raw path is used as a label")
			}
			if code, _, _ := get(t, s.URL+"/metrics"); code != 404 {
				t.Errorf("/metrics on the public listener: %d, want 404", code)
			}
			if code, _, _ := get(t, s.URL+"/debug/pprof/"); code != 404 {
				t.Errorf("pprof on the public listener: %d, want 404", code)
			}
			if code, _, _ := get(t, "http://"+admin+"/debug/pprof/"); code != 200 {
				t.Errorf("pprof on the admin listener: %d", code)
			}
			if code, body, _ := get(t, s.URL+"/healthz"); code != 200 || body != "ok\n" {
				t.Errorf("/healthz: %d %q", code, body)
			}
			if code, body, _ := get(t, s.URL+"/readyz"); code != 200 || body != "ready\n" {
				t.Errorf("/readyz: %d %q", code, body)
			}
			addrEnv := map[string]string{"TWEETS_ADDR": strings.TrimPrefix(s.URL, "http://")}
			if code, out, errs := runCmd(t, addrEnv, "", "healthcheck"); code != 0 || !strings.Contains(out, "ready") {
				t.Errorf("healthcheck: %d %q %q", code, out, errs)
			}
			if code, _, errs := runCmd(t, nil, "", "healthcheck", "--url", "http://"+freePort(t)+"/readyz", "--timeout", "2s"); code != 1 || !strings.Contains(errs, "refused") {
				t.Errorf("healthcheck of nothing: %d %q", code, errs)
			}
		})
	}
}

// getHost is a GET that names host in its Host header.
func getHost(u, host string) (int, string) {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return 0, err.Error()
	}
	req.Host = host
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// TestAllowedHostsOnOperationalEndpoints: on the public listener the
// allowed hosts hold for /healthz, /readyz and /metrics as for the pages,
// and `tweets healthcheck` names an allowed host; the admin listener, on a
// private network, answers whatever the Host.
func TestAllowedHostsOnOperationalEndpoints(t *testing.T) {
	const allowed = "tweets.example.com"
	public := startServerNoWait(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0", "TWEETS_ALLOWED_HOSTS": allowed})
	waitFor(t, 30*time.Second, func() bool { code, _ := getHost(public.URL+"/readyz", allowed); return code == 200 })
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n", "/metrics": "tweets_build_info"} {
		for _, foreign := range []string{"evil.example", public.Addr} {
			if code, body := getHost(public.URL+path, foreign); code != 400 {
				t.Errorf("%s for Host %s: %d %.80q, want 400", path, foreign, code, body)
			}
		}
		if code, body := getHost(public.URL+path, allowed); code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s for Host %s: %d %.80q", path, allowed, code, body)
		}
	}

	env := map[string]string{"TWEETS_ADDR": public.Addr, "TWEETS_ALLOWED_HOSTS": allowed}
	if code, out, errs := runCmd(t, env, "", "healthcheck"); code != 0 || !strings.Contains(out, "ready") {
		t.Errorf("healthcheck with the server's settings: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, env, "", "healthcheck", "--host", "evil.example"); code != 1 || !strings.Contains(errs, "400") {
		t.Errorf("healthcheck --host evil.example: %d %q, want a 400", code, errs)
	}

	admin := freePort(t)
	private := startServerNoWait(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0",
		"TWEETS_ALLOWED_HOSTS": allowed, "TWEETS_ADMIN_ADDR": admin})
	waitFor(t, 30*time.Second, func() bool { code, _ := getHost("http://"+admin+"/readyz", "evil.example"); return code == 200 })
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		for _, host := range []string{"evil.example", admin} {
			if code, body := getHost("http://"+admin+path, host); code != 200 {
				t.Errorf("admin %s for Host %s: %d %.80q", path, host, code, body)
			}
		}
	}
	if code, _ := getHost(private.URL+"/readyz", "evil.example"); code != 400 {
		t.Errorf("public /readyz for a foreign Host beside an admin listener: %d, want 400", code)
	}
}

func TestRequestIDAndAccessLog(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	req, _ := http.NewRequest("GET", s.URL+"/@nobody", nil)
	req.Header.Set("X-Request-ID", "trace-abc-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-ID"); got != "trace-abc-123" {
		t.Errorf("X-Request-ID = %q, want the incoming one", got)
	}
	_, _, h := get(t, s.URL+"/")
	if id := h.Get("X-Request-ID"); len(id) < 16 {
		t.Errorf("no generated request id: %q", id)
	}
	time.Sleep(100 * time.Millisecond)
	found := false
	for _, line := range strings.Split(s.Logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if rec["msg"] == "request" && rec["request_id"] == "trace-abc-123" {
			found = true
			if rec["route"] != "GET /{handle}" || rec["status"] != float64(404) || rec["path"] != "/@nobody" {
				t.Errorf("access log line: %v", rec)
			}
		}
	}
	if !found {
		t.Errorf("no JSON access log line with the request id:\n%s", s.Logs.String())
	}
}

// TestSecretsNeverLogged runs a whole session at debug level and searches
// the log for every secret that passed through the server.
func TestSecretsNeverLogged(t *testing.T) {
	secretKey := "s3cret-key-" + strings.Repeat("k", 40)
	dbURL, _ := url.Parse(pgtest.URL(t))
	dbURL.User = url.UserPassword("postgres", "db-pa55word-xyz")
	s := startServer(t, map[string]string{
		"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0", "TWEETS_SECRET_KEY": secretKey,
		"DATABASE_URL": dbURL.String(), "TWEETS_LOG_LEVEL": "debug",
	})
	b := webtest.New(t, s.URL)
	password := "correct-horse-battery-42"
	b.SignUp("logcheck", password)
	b.Post("/logout", nil)
	b.Get("/login")
	b.Post("/login", url.Values{"username": {"logcheck"}, "password": {"wrong-" + password}})
	b.LogIn("logcheck", password)
	b.PostTweet("hello", "", nil)
	u, _ := url.Parse(s.URL)
	secrets := []string{password, secretKey, "db-pa55word-xyz", b.CSRF}
	for _, c := range b.Client.Jar.Cookies(u) {
		secrets = append(secrets, c.Value)
	}
	s.Stop()
	logs := s.Logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatal("no access log at all: the check would prove nothing")
	}
	for _, secret := range secrets {
		if len(secret) >= 8 && strings.Contains(logs, secret) {
			t.Errorf("the log contains a secret: %q", secret)
		}
	}
}

// TestStartsBeforeDatabase starts the server while PostgreSQL is
// unreachable: it is alive but not ready (pages wait a moment for the
// database, then are refused), then ready once the database answers, and
// not ready again while it is down.
func TestStartsBeforeDatabase(t *testing.T) {
	proxy, dsn := databaseBehindProxy(t, 2)
	env := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": dsn, "TWEETS_DEMO": "0"}
	s := startServerNoWait(t, env)
	waitFor(t, 20*time.Second, func() bool { code, _, _ := tryGet(s.URL + "/healthz"); return code == 200 })
	if code, body, _ := tryGet(s.URL + "/readyz"); code != 503 || !strings.Contains(body, "waiting for the database") {
		t.Errorf("/readyz before the database: %d %q", code, body)
	}
	// A page is held for startWait in case the database comes, then
	// refused.
	start := time.Now()
	c := http.Client{Timeout: startWait + 10*time.Second}
	if resp, err := c.Get(s.URL + "/"); err != nil {
		t.Errorf("/ before the database: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || time.Since(start) < startWait {
			t.Errorf("/ before the database: %d after %s, want 503 with Retry-After after %s", resp.StatusCode, time.Since(start), startWait)
		}
	}
	proxy.SetUp(true)
	waitFor(t, 30*time.Second, func() bool { code, _, _ := tryGet(s.URL + "/readyz"); return code == 200 })
	if code, _, _ := tryGet(s.URL + "/"); code != 200 {
		t.Errorf("/ once ready: %d", code)
	}
	proxy.SetUp(false)
	waitFor(t, 10*time.Second, func() bool { code, _, _ := tryGet(s.URL + "/readyz"); return code == 503 })
	proxy.SetUp(true)
	waitFor(t, 10*time.Second, func() bool { code, _, _ := tryGet(s.URL + "/readyz"); return code == 200 })
	if !strings.Contains(s.Logs.String(), "database not ready; retrying") {
		t.Error("the retries were not logged")
	}
}

// TestReadyzHidesDatabaseDetails stops the database under a ready server:
// /readyz tells the public only that the replica is not ready, while the
// log says why, once for the outage rather than once per probe.
func TestReadyzHidesDatabaseDetails(t *testing.T) {
	target, _ := url.Parse(pgtest.URL(t))
	proxy := testapp.NewProxy(t, target.Host, true)
	viaProxy := *target
	viaProxy.Host = proxy.Addr
	q := viaProxy.Query()
	q.Set("connect_timeout", "2")
	viaProxy.RawQuery = q.Encode()
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": viaProxy.String(), "TWEETS_DEMO": "0"})

	proxy.SetUp(false)
	waitFor(t, 10*time.Second, func() bool { code, _, _ := tryGet(s.URL + "/readyz"); return code == 503 })
	_, proxyPort, _ := net.SplitHostPort(proxy.Addr)
	_, pgPort, _ := net.SplitHostPort(target.Host)
	details := []string{"127.0.0.1", proxyPort, pgPort, target.User.Username(), strings.TrimPrefix(target.Path, "/")}
	const probes = 6
	for i := 0; i < probes; i++ {
		code, body, _ := tryGet(s.URL + "/readyz")
		if code != 503 || !strings.HasPrefix(body, "not ready") {
			t.Errorf("/readyz with the database down: %d %q", code, body)
		}
		for _, d := range details {
			if strings.Contains(body, d) {
				t.Errorf("/readyz tells anyone %q: %q", d, body)
			}
		}
	}

	var warnings []map[string]any
	for _, line := range strings.Split(s.Logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["level"] == "WARN" && rec["msg"] == dbDownMessage {
			warnings = append(warnings, rec)
		}
	}
	if len(warnings) == 0 {
		t.Fatalf("the log does not say why the database check failed:\n%s", s.Logs.String())
	}
	if w := warnings[0]; fmt.Sprint(w["err"]) == "" || !strings.Contains(fmt.Sprint(w["database"]), proxy.Addr) {
		t.Errorf("the log line lacks the error or the database's address %s: %v", proxy.Addr, w)
	}
	// At least probes+1 checks failed; the outage is younger than the
	// log interval, so one line, or two if this machine is very slow.
	if len(warnings) > 2 {
		t.Errorf("%d warnings for one outage: every probe is logged", len(warnings))
	}
}

func tryGet(u string) (int, string, error) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("condition not met within %s", limit)
}

// TestSIGTERMDuringBurst sends SIGTERM while 20 uploads are still
// arriving: every one of them must get its full response, be stored, and
// the server must exit 0.
func TestSIGTERMDuringBurst(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": dir, "TWEETS_DEMO": "0", "TWEETS_SHUTDOWN_TIMEOUT": "20s"})
	b := webtest.New(t, s.URL)
	b.SignUp("burst", "password123")

	const n = 20
	img := testimage.PNG(200, 200)
	var wg sync.WaitGroup
	results := make(chan string, n)
	started := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			req, _ := http.NewRequest("POST", s.URL+"/tweets", pr)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			go func() {
				// Trickle the body out over about a second, so the
				// request is in flight when SIGTERM arrives.
				mw.WriteField("csrf", b.CSRF)
				mw.WriteField("text", fmt.Sprintf("burst %d", i))
				started <- struct{}{}
				fw, _ := mw.CreateFormFile("image", "x.png")
				for off := 0; off < len(img); off += len(img)/10 + 1 {
					time.Sleep(100 * time.Millisecond)
					fw.Write(img[off:min(off+len(img)/10+1, len(img))])
				}
				mw.Close()
				pw.Close()
			}()
			resp, err := b.Client.Do(req)
			if err != nil {
				results <- fmt.Sprintf("request %d: %v", i, err)
				return
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				results <- fmt.Sprintf("request %d: status %d, read error %v, %d bytes", i, resp.StatusCode, err, len(body))
				return
			}
			results <- ""
		}(i)
	}
	for i := 0; i < n; i++ {
		<-started
	}
	time.Sleep(300 * time.Millisecond)
	if err := s.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r != "" {
			t.Error(r)
		}
	}
	if err := s.Cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "tweets.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var count int
	db.QueryRow("SELECT COUNT(*) FROM tweets").Scan(&count)
	if count != n {
		t.Errorf("%d tweets stored, want %d", count, n)
	}
	files, _ := os.ReadDir(filepath.Join(dir, "media"))
	if len(files) != n {
		t.Errorf("%d media files, want %d", len(files), n)
	}
}

// TestReplicasShareState runs two replicas on one PostgreSQL and one
// Redis: a tweet posted on one is read on the other, a session works on
// both, and log-in throttling counts failures from both.
func TestReplicasShareState(t *testing.T) {
	rs := redistest.Start(t)
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "TWEETS_REDIS_URL": rs.URL(),
		"TWEETS_SECRET_KEY": strings.Repeat("shared-key-", 4)}
	env1, env2 := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}, map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
	for k, v := range env {
		env1[k], env2[k] = v, v
	}
	one, two := startServer(t, env1), startServer(t, env2)

	b := webtest.New(t, one.URL)
	b.SignUp("shared", "password123")
	b.PostTweet("posted on one", "", nil)
	webtest.Expect(t, webtest.New(t, two.URL).Get("/@shared"), 200, "posted on one")

	// Failed log-ins alternate between the replicas; the 11th is refused
	// by either, even with the right password.
	for i := 0; i < 10; i++ {
		srv := one
		if i%2 == 1 {
			srv = two
		}
		x := webtest.New(t, srv.URL)
		x.Get("/login")
		if r := x.Post("/login", url.Values{"username": {"shared"}, "password": {"wrong-password"}}); r.StatusCode != 401 {
			t.Fatalf("failure %d: %d", i, r.StatusCode)
		}
	}
	x := webtest.New(t, two.URL)
	x.Get("/login")
	webtest.Expect(t, x.Post("/login", url.Values{"username": {"shared"}, "password": {"password123"}}), 429, "Too many failed log-ins")

	// Redis going away does not take the site down: limits fall back to
	// each process.
	rs.Stop()
	webtest.Expect(t, webtest.New(t, one.URL).Get("/@shared"), 200, "posted on one")
	y := webtest.New(t, one.URL)
	y.Get("/login")
	webtest.Expect(t, y.Post("/login", url.Values{"username": {"nobody"}, "password": {"whatever12"}}), 401)
}

// TestEventsReachTheOtherReplica: two replicas cache the first timeline
// page for an hour; a deletion and a post on one show on the other within
// seconds, carried by events through Redis, or through PostgreSQL's
// LISTEN/NOTIFY when there is no Redis.
func TestEventsReachTheOtherReplica(t *testing.T) {
	for _, relay := range []string{"redis", "postgres"} {
		t.Run(relay, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": pgtest.URL(t), "TWEETS_SECRET_KEY": strings.Repeat("shared-key-", 4),
				"TWEETS_CACHE_TTL": "1h"}
			if relay == "redis" {
				env["TWEETS_REDIS_URL"] = redistest.Start(t).URL()
			}
			env1, env2 := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}, map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
			for k, v := range env {
				env1[k], env2[k] = v, v
			}
			one, two := startServer(t, env1), startServer(t, env2)
			author := webtest.New(t, one.URL)
			author.SignUp("relayed", "password123")
			author.PostTweet("first words", "", nil)
			reader := webtest.New(t, two.URL)
			webtest.Expect(t, reader.Get("/"), 200, "first words") // now cached on two

			// eventually polls two's first page until it says what it
			// should, and fails after 5 s: the cache's TTL is an hour.
			eventually := func(what string, ok func(page string) bool) {
				t.Helper()
				deadline := time.Now().Add(5 * time.Second)
				for time.Now().Before(deadline) {
					if ok(reader.Get("/").Body) {
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
				t.Errorf("the other replica's first page still does not show %s after 5 s", what)
			}
			id := regexp.MustCompile(`/tweets/(\d+)/delete`).FindStringSubmatch(author.Get("/").Body)
			if id == nil {
				t.Fatal("no delete button on the author's page")
			}
			webtest.Expect(t, author.Post("/tweets/"+id[1]+"/delete", nil), 303)
			eventually("the deletion", func(page string) bool { return !strings.Contains(page, "first words") })
			author.PostTweet("second words", "", nil)
			eventually("the new tweet", func(page string) bool { return strings.Contains(page, "second words") })
		})
	}
}

// TestStreamsSpanReplicas: a client streaming from one replica sees a
// tweet posted on the other, through each relay: live updates work
// behind a load balancer.
func TestStreamsSpanReplicas(t *testing.T) {
	for _, relay := range []string{"redis", "postgres"} {
		t.Run(relay, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": pgtest.URL(t), "TWEETS_SECRET_KEY": strings.Repeat("shared-key-", 4)}
			if relay == "redis" {
				env["TWEETS_REDIS_URL"] = redistest.Start(t).URL()
			}
			env1, env2 := map[string]string{"TWEETS_DATA_DIR": t.TempDir()}, map[string]string{"TWEETS_DATA_DIR": t.TempDir()}
			for k, v := range env {
				env1[k], env2[k] = v, v
			}
			one, two := startServer(t, env1), startServer(t, env2)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", two.URL+"/api/v1/streaming/public", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("stream: %d", resp.StatusCode)
			}
			got := make(chan string, 1)
			go func() {
				sc := bufio.NewScanner(resp.Body)
				for sc.Scan() {
					if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
						got <- data
						return
					}
				}
				close(got)
			}()
			time.Sleep(300 * time.Millisecond) // the stream is subscribed
			author := webtest.New(t, one.URL)
			author.SignUp("faraway", "password123")
			author.PostTweet("posted on replica one", "", nil)
			select {
			case data, ok := <-got:
				if !ok || !strings.Contains(data, "posted on replica one") {
					t.Errorf("the stream on replica two gave %q", data)
				}
			case <-ctx.Done():
				t.Error("no update reached the stream on the other replica within 10 s")
			}

			// A token revoked on replica one fails at once on replica two.
			author.Get("/settings/apps")
			r := author.Post("/settings/apps/tokens", url.Values{"token_name": {"script"}, "scope": {"read"}})
			m := regexp.MustCompile(`aria-label="Access token">([A-Za-z0-9_-]{43})<`).FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no token: %d", r.StatusCode)
			}
			verify := func() int {
				req, _ := http.NewRequest("GET", two.URL+"/api/v1/accounts/verify_credentials", nil)
				req.Header.Set("Authorization", "Bearer "+m[1])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if st := verify(); st != 200 {
				t.Fatalf("the token on replica two: %d", st)
			}
			ids := regexp.MustCompile(`action="/settings/apps/(\d+)/revoke"`).FindStringSubmatch(author.Get("/settings/apps").Body)
			if ids == nil {
				t.Fatal("the token is not listed")
			}
			webtest.Expect(t, author.Post("/settings/apps/"+ids[1]+"/revoke", url.Values{}), 303)
			if st := verify(); st != 401 {
				t.Errorf("the revoked token on replica two: %d, want 401 at once", st)
			}
		})
	}
}
