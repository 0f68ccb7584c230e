package config

import (
	"strings"
	"testing"
)

// hardened is a configuration with no deploy problem.
var hardened = map[string]string{
	"TWEETS_SECRET_KEY": strings.Repeat("k", 48), "TWEETS_ALLOWED_HOSTS": "tweets.example.com",
	"TWEETS_COOKIE_SECURE": "true", "TWEETS_ADMIN_ADDR": ":9000",
}

// hasProblem reports whether c has a deploy problem with the setting
// whose text says problem, and a fix.
func hasProblem(c *Config, setting, problem string) bool {
	for _, p := range c.DeployProblems() {
		if p.Setting == setting && strings.Contains(p.Problem, problem) && p.Fix != "" {
			return true
		}
	}
	return false
}

func TestDeployProblems(t *testing.T) {
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range hardened {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	c, err := load(t, nil, hardened)
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.DeployProblems(); len(ps) != 0 {
		t.Errorf("hardened configuration has problems: %+v", ps)
	}
	for _, tc := range []struct {
		env     map[string]string
		setting string
		problem string
	}{
		{with("TWEETS_SECRET_KEY", ""), "TWEETS_SECRET_KEY", "default"},
		{with("TWEETS_SECRET_KEY", "short"), "TWEETS_SECRET_KEY", "shorter than 32"},
		{with("TWEETS_DEBUG", "true"), "TWEETS_DEBUG", "is on"},
		{with("TWEETS_ALLOWED_HOSTS", "*"), "TWEETS_ALLOWED_HOSTS", "any Host"},
		{with("TWEETS_ALLOWED_HOSTS", "localhost,127.0.0.1"), "TWEETS_ALLOWED_HOSTS", "only localhost"},
		{with("TWEETS_COOKIE_SECURE", "auto"), "TWEETS_COOKIE_SECURE", "no trusted proxy"},
		{with("TWEETS_COOKIE_SECURE", "false"), "TWEETS_COOKIE_SECURE", "without TLS"},
		{with("TWEETS_REPLICAS", "2"), "TWEETS_REPLICAS", "SQLite"},
		{with("DATABASE_URL", "postgres://u:p@db.internal:5432/tweets"), "DATABASE_URL", "TLS"},
		{with("DATABASE_URL", "postgres://u:p@db.internal:5432/tweets?sslmode=prefer"), "DATABASE_URL", "TLS"},
		{with("TWEETS_ADMIN_ADDR", ""), "TWEETS_ADMIN_ADDR", "/metrics"},
	} {
		c, err := load(t, nil, tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if !hasProblem(c, tc.setting, tc.problem) {
			t.Errorf("%s: no problem %q among %+v", tc.setting, tc.problem, c.DeployProblems())
		}
	}
	// PostgreSQL with TLS, or on this machine, is fine; so are several
	// replicas on PostgreSQL.
	for _, u := range []string{"postgres://u:p@db.internal/t?sslmode=verify-full", "postgres://u:p@127.0.0.1/t", "postgres://u:p@localhost/t"} {
		c, _ := load(t, nil, with("DATABASE_URL", u, "TWEETS_REPLICAS", "3"))
		if ps := c.DeployProblems(); len(ps) != 0 {
			t.Errorf("%s: %+v", u, ps)
		}
	}
}

func TestConnectionBudget(t *testing.T) {
	for _, tc := range []struct {
		env       map[string]string
		available int
		problem   bool
	}{
		// 10 replicas × (20 + the LISTEN connection) + 2 > 97 (PostgreSQL's default 100 less 3 reserved).
		{map[string]string{"TWEETS_REPLICAS": "10", "TWEETS_DB_MAX_CONNS": "20"}, 97, true},
		// With Redis carrying events there is no LISTEN connection: 10 × 8 + 2 = 82.
		{map[string]string{"TWEETS_REPLICAS": "10", "TWEETS_DB_MAX_CONNS": "8", "TWEETS_REDIS_URL": "redis://r:6379/0"}, 97, false},
		{map[string]string{"TWEETS_REPLICAS": "10", "TWEETS_DB_MAX_CONNS": "9"}, 97, true},
		{map[string]string{"TWEETS_REPLICAS": "2", "TWEETS_DB_MAX_CONNS": "20"}, 97, false},
	} {
		tc.env["DATABASE_URL"] = "postgres://u@127.0.0.1/t"
		c, err := load(t, nil, tc.env)
		if err != nil {
			t.Fatal(err)
		}
		p := c.ConnectionBudget(tc.available)
		if (p != nil) != tc.problem {
			t.Errorf("%v: problem %+v, want one: %v", tc.env, p, tc.problem)
		}
		if p != nil && (!strings.Contains(p.Fix, "PgBouncer") || !strings.Contains(p.Problem, "accepts 97")) {
			t.Errorf("unhelpful problem: %+v", p)
		}
	}
	// SQLite has no connection limit to respect.
	c, _ := load(t, nil, map[string]string{"TWEETS_DB_MAX_CONNS": "1000"})
	if p := c.ConnectionBudget(1); p != nil {
		t.Errorf("SQLite: %+v", p)
	}
}

func TestWaived(t *testing.T) {
	c, err := load(t, nil, map[string]string{"DATABASE_URL": "postgres://u@tweets-postgres/t?sslmode=disable",
		"TWEETS_CHECK_WAIVE": "database_url", "TWEETS_ADMIN_ADDR": ""})
	if err != nil {
		t.Fatal(err)
	}
	fix, waived := c.Waived(c.DeployProblems())
	if len(waived) != 1 || waived[0].Setting != "DATABASE_URL" {
		t.Errorf("waived: %+v", waived)
	}
	for _, p := range fix {
		if p.Setting == "DATABASE_URL" {
			t.Errorf("a waived problem is still to fix: %+v", p)
		}
	}
	if len(fix) == 0 {
		t.Error("TWEETS_CHECK_WAIVE=DATABASE_URL waived every other problem too")
	}
}
