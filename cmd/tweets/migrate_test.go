package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// databaseBehindProxy returns a fresh test database reached through a
// proxy that starts down, and that URL (giving up a connection attempt
// after timeout seconds).
func databaseBehindProxy(t *testing.T, timeout int) (*testapp.Proxy, string) {
	target, _ := url.Parse(pgtest.URL(t))
	proxy := testapp.NewProxy(t, target.Host, false)
	viaProxy := *target
	viaProxy.Host = proxy.Addr
	q := viaProxy.Query()
	q.Set("connect_timeout", strconv.Itoa(timeout))
	viaProxy.RawQuery = q.Encode()
	return proxy, viaProxy.String()
}

// TestMigrateWaitsForDatabase: a migration job started together with its
// database (Compose, Terraform, Kubernetes) retries until the database
// answers, for at most TWEETS_DB_WAIT.
func TestMigrateWaitsForDatabase(t *testing.T) {
	proxy, dsn := databaseBehindProxy(t, 1)
	env := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": dsn, "TWEETS_DB_WAIT": "2s"}

	start := time.Now()
	code, _, errs := runCmd(t, env, "", "migrate")
	if code != 1 || !strings.Contains(errs, "TWEETS_DB_WAIT") || !strings.Contains(errs, "database not ready; retrying") {
		t.Errorf("migrate with the database down: exit %d, %q", code, errs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("migrate gave up after %s, want about TWEETS_DB_WAIT (2s)", d)
	}

	env["TWEETS_DB_WAIT"] = "30s"
	go func() {
		time.Sleep(1500 * time.Millisecond)
		proxy.SetUp(true)
	}()
	code, out, errs := runCmd(t, env, "", "migrate")
	if code != 0 || !strings.Contains(out, "database schema is at version") || !strings.Contains(errs, "retrying") {
		t.Errorf("migrate while the database starts: exit %d\n%s%s", code, out, errs)
	}
}

// TestDemoOnPostgres: TWEETS_DEMO=1 creates the demo account on PostgreSQL
// too (the development setups promise it); the default leaves it out.
func TestDemoOnPostgres(t *testing.T) {
	for _, tc := range []struct {
		demo  string
		login int
	}{{"1", 303}, {"", 401}} {
		env := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": pgtest.URL(t), "TWEETS_DEMO": tc.demo}
		s := startServer(t, env)
		b := webtest.New(t, s.URL)
		b.Get("/login")
		r := b.Post("/login", url.Values{"username": {"demo"}, "password": {"demo12345"}})
		if r.StatusCode != tc.login {
			t.Errorf("TWEETS_DEMO=%q: log-in as demo: %d, want %d", tc.demo, r.StatusCode, tc.login)
		}
		code, out, _ := runCmd(t, env, "", "check", "--deploy")
		if flagged := strings.Contains(out, "demo account"); code != 1 || flagged != (tc.demo == "1") {
			t.Errorf("TWEETS_DEMO=%q: check --deploy exit %d, flags the demo account: %v\n%s", tc.demo, code, flagged, out)
		}
	}
}

// TestCheckDeployConnectionBudget: check --deploy compares the replicas'
// pools with the connections the PostgreSQL server accepts.
func TestCheckDeployConnectionBudget(t *testing.T) {
	env := map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": pgtest.URL(t), "TWEETS_DEMO": "0"}
	if code, _, errs := runCmd(t, env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	env["TWEETS_REPLICAS"], env["TWEETS_DB_MAX_CONNS"] = "1000", "1000"
	_, out, _ := runCmd(t, env, "", "check", "--deploy")
	if !strings.Contains(out, "TWEETS_DB_MAX_CONNS") || !strings.Contains(out, "PgBouncer") {
		t.Errorf("check --deploy with 1000 × 1000 connections:\n%s", out)
	}
	env["TWEETS_REPLICAS"], env["TWEETS_DB_MAX_CONNS"] = "2", "5"
	if _, out, _ := runCmd(t, env, "", "check", "--deploy"); strings.Contains(out, "TWEETS_DB_MAX_CONNS") {
		t.Errorf("check --deploy with 2 × 5 connections:\n%s", out)
	}
}
