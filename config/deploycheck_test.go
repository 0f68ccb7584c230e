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
