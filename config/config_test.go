package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l := NewLoader(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return l.Load()
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8000" || c.DataDir != "./data" || c.MediaDir != filepath.Join("data", "media") ||
		c.UsesPostgres() || c.MaxUploadBytes != 8<<20 || !c.Demo || c.SecretKey != DefaultSecretKey ||
		c.ShutdownTimeout != 25*time.Second || strings.Join(c.AllowedHosts, ",") != "localhost,127.0.0.1,::1" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestPrecedence(t *testing.T) {
	env := map[string]string{"TWEETS_ADDR": ":9000", "TWEETS_DEMO": "0"}
	c, err := load(t, []string{"--addr", "127.0.0.1:7000"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.Demo {
		t.Errorf("flag must beat env, env must beat default: %+v", c)
	}
}

func TestPostgresFromParts(t *testing.T) {
	c, err := load(t, nil, map[string]string{"POSTGRES_HOST": "db", "POSTGRES_PASSWORD": "p@ss/word"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.DatabaseURL, "postgres://tweets:p%40ss%2Fword@db:5432/tweets") {
		t.Errorf("DatabaseURL = %q", c.DatabaseURL)
	}
	if got := c.LogValue().String(); strings.Contains(got, "p%40ss") || strings.Contains(got, "p@ss") {
		t.Errorf("LogValue shows the password: %s", got)
	}
	if got := c.Database(); strings.Contains(got, "p%40ss") || strings.Contains(got, "p@ss") || !strings.Contains(got, "@db:5432/tweets") {
		t.Errorf("Database() = %q, want the URL without its password", got)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	os.WriteFile(path, []byte("a-very-long-secret-key-from-a-file-0123456789\n"), 0o600)
	c, err := load(t, nil, map[string]string{"TWEETS_SECRET_KEY_FILE": path})
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != "a-very-long-secret-key-from-a-file-0123456789" {
		t.Errorf("SecretKey = %q", c.SecretKey)
	}
	if _, err := load(t, nil, map[string]string{"TWEETS_SECRET_KEY_FILE": path, "TWEETS_SECRET_KEY": "x"}); err == nil {
		t.Error("both NAME and NAME_FILE set: no error")
	}
	if _, err := load(t, nil, map[string]string{"TWEETS_SECRET_KEY_FILE": "/nonexistent/key"}); err == nil || !strings.Contains(err.Error(), "/nonexistent/key") {
		t.Errorf("unreadable secret file: err = %v", err)
	}
}

func TestBadValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--addr", "nonsense"}, nil, "--addr"},
		{nil, map[string]string{"TWEETS_DEBUG": "maybe"}, "--debug"},
		{nil, map[string]string{"TWEETS_MAX_UPLOAD_BYTES": "lots"}, "--max-upload-bytes"},
		{nil, map[string]string{"TWEETS_SHUTDOWN_TIMEOUT": "5"}, "--shutdown-timeout"},
		{nil, map[string]string{"TWEETS_LOG_LEVEL": "loud"}, "--log-level"},
		{nil, map[string]string{"TWEETS_TRUSTED_PROXIES": "10.0.0.0/99"}, "--trusted-proxies"},
		{nil, map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{nil, map[string]string{"TWEETS_ALLOWED_HOSTS": " , "}, "TWEETS_ALLOWED_HOSTS"},
		{nil, map[string]string{"TWEETS_COOKIE_SECURE": "sometimes"}, "--cookie-secure"},
	} {
		_, err := load(t, tc.args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: err = %v, want one naming %s", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestMediaAccelPrefix(t *testing.T) {
	c, err := load(t, nil, map[string]string{"TWEETS_MEDIA_ACCEL_PREFIX": "/_media/"})
	if err != nil || c.MediaAccel != "/_media/" {
		t.Fatalf("TWEETS_MEDIA_ACCEL_PREFIX=/_media/: %+v, %v", c, err)
	}
	if c, _ := load(t, nil, nil); c.MediaAccel != "" {
		t.Errorf("by default the server sends media itself; MediaAccel = %q", c.MediaAccel)
	}
	// /media/ would send nginx back to the server for every file.
	for _, bad := range []string{"/media/", "_media/", "/_media", "/", "//x/", "/a/../b/", "/a b/", "http://x/_media/"} {
		_, err := load(t, []string{"--media-accel-prefix", bad}, nil)
		if err == nil || !strings.Contains(err.Error(), "TWEETS_MEDIA_ACCEL_PREFIX") || !strings.Contains(err.Error(), "/_media/") {
			t.Errorf("prefix %q: err = %v, want one naming TWEETS_MEDIA_ACCEL_PREFIX and the usual value", bad, err)
		}
	}
}

func TestPostgresSSLFromParts(t *testing.T) {
	c, err := load(t, nil, map[string]string{"POSTGRES_HOST": "db.internal", "POSTGRES_PASSWORD": "pw",
		"POSTGRES_SSLMODE": "verify-full", "POSTGRES_SSLROOTCERT": "/run/secrets/postgres_ca.pem"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://tweets:pw@db.internal:5432/tweets?sslmode=verify-full&sslrootcert=%2Frun%2Fsecrets%2Fpostgres_ca.pem"; c.DatabaseURL != want {
		t.Errorf("DatabaseURL = %q, want %q", c.DatabaseURL, want)
	}
	for _, p := range c.DeployProblems() {
		if p.Setting == "DATABASE_URL" {
			t.Errorf("verify-full is TLS: %+v", p)
		}
	}
	if _, err := load(t, nil, map[string]string{"POSTGRES_HOST": "db", "POSTGRES_SSLMODE": "on"}); err == nil || !strings.Contains(err.Error(), "postgres-sslmode") {
		t.Errorf("POSTGRES_SSLMODE=on: %v, want an error naming the setting", err)
	}
}

func TestDemoDefault(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		demo bool
	}{
		{map[string]string{}, true},
		{map[string]string{"DATABASE_URL": "postgres://u@db/t"}, false},
		{map[string]string{"POSTGRES_HOST": "db"}, false},
		{map[string]string{"DATABASE_URL": "postgres://u@db/t", "TWEETS_DEMO": "1"}, true},
		{map[string]string{"TWEETS_DEMO": "false"}, false},
	} {
		c, err := load(t, nil, tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if c.Demo != tc.demo {
			t.Errorf("%v: Demo = %v, want %v", tc.env, c.Demo, tc.demo)
		}
	}
}
