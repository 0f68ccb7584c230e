package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/sqlstore"
)

// runCmd runs a command line in process, as main would.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		{[]string{"serve", "--bogus"}, nil, 2, "flag provided but not defined: -bogus"},
		{[]string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{[]string{"serve", "--addr", "nowhere"}, nil, 2, "--addr"},
		{[]string{"serve"}, map[string]string{"TWEETS_DEBUG": "perhaps"}, 2, "--debug"},
		// TWEETS_DB_WAIT=1ms: one attempt, no retries logged.
		{[]string{"migrate", "--database-url", "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2"}, map[string]string{"TWEETS_DB_WAIT": "1ms"}, 1, "127.0.0.1:1"},
		{[]string{"user", "create", "--data-dir", dir}, nil, 2, "--username is required"},
		{[]string{"user", "fly"}, nil, 2, `unknown subcommand "fly"`},
		{[]string{"version", "extra"}, nil, 2, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCmd(t, tc.env, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, stderr, tc.code, tc.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: the error is more than one line:\n%s", tc.args, stderr)
		}
		if strings.Contains(stderr, "hunter2") {
			t.Errorf("%v: the password is in the error", tc.args)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCmd(t, nil, "", "serve", "--help")
	for _, want := range []string{"TWEETS_ADDR", `":8000"`, "TWEETS_SECRET_KEY_FILE", "TWEETS_ALLOWED_HOSTS", "TWEETS_DATA_DIR",
		"TWEETS_MEDIA_DIR", "TWEETS_MEDIA_ACCEL_PREFIX", "TWEETS_DEBUG", "DATABASE_URL", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
	if code != 0 {
		t.Errorf("serve --help: exit %d", code)
	}
	for _, args := range [][]string{{"help"}, {"migrate", "--help"}, {"user", "--help"}, {"user", "create", "--help"}, {"version", "--help"}} {
		if code, out, _ := runCmd(t, nil, "", args...); code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
	if code, out, _ := runCmd(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "tweets ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// backends returns, per database, the environment that selects it.
func backends(t *testing.T) map[string]func() map[string]string {
	return map[string]func() map[string]string{
		"sqlite": func() map[string]string { return map[string]string{"TWEETS_DATA_DIR": t.TempDir()} },
		"postgres": func() map[string]string {
			return map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "DATABASE_URL": pgtest.URL(t)}
		},
	}
}

func TestUserCommands(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor()
			env["TWEETS_DEMO"] = "0"
			if code, out, errs := runCmd(t, env, "", "migrate"); code != 0 || !strings.Contains(out, "database schema is at version") {
				t.Fatalf("migrate: %d %q %q", code, out, errs)
			}
			if code, out, errs := runCmd(t, env, "sekret-password\n", "user", "create", "--username", "Root", "--password-stdin", "--admin"); code != 0 || !strings.Contains(out, "created @Root") {
				t.Fatalf("user create: %d %q %q", code, out, errs)
			}
			if code, _, errs := runCmd(t, env, "other-password\n", "user", "create", "--username", "root", "--password-stdin"); code != 1 || !strings.Contains(errs, "taken") {
				t.Errorf("duplicate user create: %d %q", code, errs)
			}
			if code, _, errs := runCmd(t, env, "short\n", "user", "create", "--username", "bob", "--password-stdin"); code != 1 || !strings.Contains(errs, "at least 8") {
				t.Errorf("short password: %d %q", code, errs)
			}
			pwFile := filepath.Join(t.TempDir(), "pw")
			os.WriteFile(pwFile, []byte("a-new-password\n"), 0o600)
			if code, out, errs := runCmd(t, env, "", "user", "set-password", "--username", "root", "--password-file", pwFile); code != 0 || !strings.Contains(out, "changed") {
				t.Errorf("set-password: %d %q %q", code, out, errs)
			}
			if code, out, errs := runCmd(t, env, "", "user", "set-admin", "--username", "root", "--admin=false"); code != 0 || !strings.Contains(out, "admin: false") {
				t.Errorf("set-admin: %d %q %q", code, out, errs)
			}
			if code, _, errs := runCmd(t, env, "", "user", "set-admin", "--username", "ghost"); code != 1 || !strings.Contains(errs, "no account called @ghost") {
				t.Errorf("set-admin of a missing user: %d %q", code, errs)
			}
			// Every change made at the command line is in the audit log.
			_, store := storeFor(t, env)
			log, err := store.AuditLog(context.Background(), 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, a := range log {
				if a.ActorID != 0 {
					t.Errorf("a command-line entry has an actor: %+v", a)
				}
				actions = append(actions, a.Action+" "+a.Target)
			}
			want := "user.admin.revoke @Root,user.password @Root,user.create @Root"
			if got := strings.Join(actions, ","); got != want {
				t.Errorf("audit log: %s, want %s", got, want)
			}
		})
	}
}

func TestCheckDeploy(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor()
			if code, _, errs := runCmd(t, env, "", "migrate"); code != 0 {
				t.Fatalf("migrate: %s", errs)
			}
			// The defaults, with the demo account as a first run leaves it.
			runCmd(t, env, "demo12345\n", "user", "create", "--username", "demo", "--password-stdin")
			code, out, _ := runCmd(t, env, "", "check", "--deploy")
			if code != 1 {
				t.Errorf("check --deploy on the defaults: exit %d, want 1", code)
			}
			for _, want := range []string{"TWEETS_SECRET_KEY", "TWEETS_ALLOWED_HOSTS", "TWEETS_COOKIE_SECURE", "TWEETS_ADMIN_ADDR", "demo account", "fix:"} {
				if !strings.Contains(out, want) {
					t.Errorf("check --deploy output lacks %q:\n%s", want, out)
				}
			}
			if code, out, _ := runCmd(t, env, "", "check"); code != 0 || !strings.Contains(out, "database is ready") {
				t.Errorf("check without --deploy: %d %s", code, out)
			}

			// Hardened: a real key, real hosts, Secure cookies, a private
			// admin listener and no demo password.
			runCmd(t, env, "a-private-password\n", "user", "set-password", "--username", "demo", "--password-stdin")
			env["TWEETS_SECRET_KEY"] = strings.Repeat("x9", 24)
			env["TWEETS_ALLOWED_HOSTS"] = "tweets.example.com"
			env["TWEETS_COOKIE_SECURE"] = "true"
			env["TWEETS_ADMIN_ADDR"] = "127.0.0.1:9000"
			if code, out, errs := runCmd(t, env, "", "check", "--deploy"); code != 0 || !strings.Contains(out, "no problems found") {
				t.Errorf("check --deploy on a hardened configuration: exit %d\n%s%s", code, out, errs)
			}
		})
	}
}

// storeFor opens the database the environment vars name, as the binary
// would, and closes it when the test ends.
func storeFor(t *testing.T, vars map[string]string) (*config.Config, *sqlstore.Store) {
	t.Helper()
	e := env{getenv: func(k string) string { return vars[k] }}
	c, err := loadConfig(e, flagSet(e, "test", "test"), nil)
	if err != nil {
		t.Fatal(err)
	}
	store, err := openStore(context.Background(), c, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return c, store
}
