// Package faulttest drives the real binary under load on loopback while
// faults are injected (kill -9, the database, Redis or the S3 store going
// away, a full or read-only media directory, a rolling restart behind
// nginx), then checks against the database what the clients were told:
// every acknowledged write is there once, no media file is orphaned or
// missing, and the server recovers by itself.
//
// Each scenario runs for TWEETS_RELIABILITY_DURATION (default 3s: the
// short version inside the test command; `make reliability` runs 60s)
// and logs one parseable line of figures (see docs/reliability.md).
package faulttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/testserver"
)

// EnvDuration names the variable that sets how long each scenario's load
// runs (a Go duration).
const EnvDuration = "TWEETS_RELIABILITY_DURATION"

// duration is how long a scenario's load runs.
func duration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(EnvDuration)
	if v == "" {
		return 3 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second || d > 30*time.Minute {
		t.Fatalf("%s=%q: give a duration from 1s to 30m, such as 60s", EnvDuration, v)
	}
	return d
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// need fails the test when a program is missing: a scenario never passes
// by being skipped.
func need(t *testing.T, bin string) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Fatalf("%s is not installed: run the tests with 'make test' (or 'make reliability'), which installs it from Debian packages", bin)
	}
}

// needRoot fails the test when it cannot mount file systems.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this scenario mounts a small tmpfs for the media directory, which needs root: run it as root ('make test' and 'make reliability' do on the CI machines)")
	}
}

// backend is a database the server runs on.
type backend struct {
	name string // sqlite or postgres
	url  string // DATABASE_URL, empty for SQLite
	// pg is set when the test owns the PostgreSQL server (to stop it).
	pg *pgtest.Server
}

// backends are the databases a scenario that applies to both runs on.
var backends = []string{"sqlite", "postgres"}

// newBackend makes an empty database of the named kind; own asks for a
// PostgreSQL server of the test's own, which it may stop.
func newBackend(t *testing.T, name string, own bool) backend {
	t.Helper()
	switch {
	case name == "sqlite":
		return backend{name: name}
	case own:
		s := pgtest.StartServer(t)
		return backend{name: name, url: s.URL, pg: s}
	default:
		return backend{name: name, url: pgtest.URL(t)}
	}
}

// node is the configuration of one server process: it can be started,
// killed and started again on the same data.
type node struct {
	env      map[string]string
	dataDir  string
	mediaDir string
	db       backend
}

// newNode configures a server on db with its own data and media
// directories; extra settings override the defaults.
func newNode(t *testing.T, db backend, extra map[string]string) *node {
	t.Helper()
	data := t.TempDir()
	n := &node{dataDir: data, mediaDir: filepath.Join(data, "media"), db: db, env: map[string]string{
		"TWEETS_SECRET_KEY": strings.Repeat("fault-key-", 4), "TWEETS_DATA_DIR": data, "TWEETS_DEMO": "0",
		"TWEETS_ALLOWED_HOSTS": "127.0.0.1,localhost", "TWEETS_LOG_LEVEL": "warn",
		// The load is many posts from a few accounts on loopback: the
		// abuse limits would refuse most of them.
		"TWEETS_POST_RATE_LIMIT": "0", "TWEETS_API_RATE_LIMIT": "0",
		// Deleted files are swept often, so the media check sees the
		// steady state.
		"TWEETS_MEDIA_SWEEP_INTERVAL": "1s",
		"TWEETS_SHUTDOWN_TIMEOUT":     "10s",
	}}
	if db.url != "" {
		n.env["DATABASE_URL"] = db.url
	}
	for k, v := range extra {
		n.env[k] = v
	}
	if d, ok := n.env["TWEETS_MEDIA_DIR"]; ok {
		n.mediaDir = d
	}
	return n
}

// start runs the server and waits until it is ready.
func (n *node) start(t *testing.T, args ...string) *testserver.Server {
	t.Helper()
	return testserver.Start(t, n.env, args...)
}

// figures are what a scenario reports, one parseable line per run.
type figures map[string]any

// log writes the line `FIGURES scenario=NAME db=DB key=value ...`, keys
// sorted, for scripts/reliability.sh to collect.
func (f figures) log(t *testing.T, scenario, db string) {
	t.Helper()
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "FIGURES scenario=%s db=%s", scenario, db)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, f[k])
	}
	t.Log(b.String())
}

// waitFor polls ok every 100 ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < limit {
		if ok() {
			return time.Since(start)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited %s for %s", limit, what)
	return 0
}
