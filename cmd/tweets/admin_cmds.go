package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCmd(_ context.Context, e env, args []string) error {
	fs := flagSet(e, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "tweets", buildVersion())
	return nil
}

// migrate applies the pending migrations. Like serve, it waits up to
// TWEETS_DB_WAIT for the database to answer, so that a migration job
// started together with the database does not fail on its first try.
func migrate(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "migrate", "migrate [flags]")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, c, newLogger(c, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database schema is at version %d (%s)\n", v, store.Dialect())
	return nil
}

// openMigrated opens the database, waiting up to TWEETS_DB_WAIT for it
// to answer, and applies the pending migrations.
func openMigrated(ctx context.Context, c *config.Config, log *slog.Logger) (*sqlstore.Store, error) {
	var store *sqlstore.Store
	err := retryDatabase(ctx, c.DBWait, log, func(ctx context.Context) (err error) {
		store, err = openStore(ctx, c, 15*time.Second)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx, log); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func userCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, "Usage: tweets user <create|set-password|set-admin> --username NAME [flags]\n\n"+
			"  create        create an account (password from --password-file or --password-stdin)\n"+
			"  set-password  replace an account's password and log out its sessions\n"+
			"  set-admin     grant or (with --admin=false) revoke the admin flag\n\n"+
			"Run 'tweets user <subcommand> --help' for every flag.")
		if len(args) == 0 {
			return usageError{"say which: create, set-password or set-admin"}
		}
		return errHelpShown
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create", "set-password", "set-admin":
	default:
		return usageError{fmt.Sprintf("unknown subcommand %q: use create, set-password or set-admin", sub)}
	}
	fs := flagSet(e, "user "+sub, "user "+sub+" --username NAME [flags]")
	username := fs.String("username", "", "the account's username")
	admin := fs.Bool("admin", sub == "set-admin", "the admin flag to set")
	pwFile := fs.String("password-file", "", "read the password from this file")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *username == "" {
		return usageError{"--username is required"}
	}
	readPassword := func() (string, error) {
		switch {
		case *pwFile != "" && *pwStdin:
			return "", usageError{"give --password-file or --password-stdin, not both"}
		case *pwFile != "":
			b, err := os.ReadFile(*pwFile)
			if err != nil {
				return "", fmt.Errorf("read the password: %w", err)
			}
			return strings.TrimRight(string(b), "\r\n"), nil
		case *pwStdin:
			line, err := bufio.NewReader(e.stdin).ReadString('\n')
			if err != nil && line == "" {
				return "", errors.New("no password on standard input")
			}
			return strings.TrimRight(line, "\r\n"), nil
		}
		return "", usageError{"give the password with --password-file FILE or --password-stdin"}
	}

	store, err := openStore(ctx, c, 15*time.Second)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Ping(ctx); err != nil {
		return err
	}
	svc, err := newService(ctx, c, store)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		u, err := svc.OperatorCreateUser(ctx, *username, pw, *admin)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created @%s (id %s, admin %v)\n", u.Username, u.ID, u.IsAdmin)
	case "set-password":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		u, err := svc.OperatorSetPassword(ctx, *username, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of @%s changed; its sessions were logged out\n", u.Username)
	case "set-admin":
		u, err := svc.OperatorSetAdmin(ctx, *username, *admin)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "@%s admin: %v\n", u.Username, u.IsAdmin)
	}
	return nil
}
