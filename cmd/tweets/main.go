// Command tweets is the microblogging server and its administration tool.
//
//	tweets [serve]        run the web server (the default)
//	tweets migrate        apply database migrations
//	tweets user ...       create users, set passwords and admin flags
//	tweets seed           fill the database with generated data for benchmarks
//	tweets version        print the version
//
// Every command takes --help.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is what a command reads from its surroundings; tests supply their
// own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (the default command)", serve},
		{"migrate", "apply pending database migrations and exit", migrate},
		{"user", "manage accounts: create, set-password, set-admin", userCmd},
		{"backup", "write a backup of the database and media to a file", backupCmd},
		{"restore", "load a backup into an empty database and media directory", restoreCmd},
		{"media", "maintain the media store: gc deletes files no row refers to", mediaCmd},
		{"seed", "fill the database with generated accounts and tweets for benchmarks", seedCmd},
		{"check", "check the configuration and database; --deploy lists unsafe production settings", check},
		{"healthcheck", "probe a running server's /readyz; exit 0 if ready, 1 if not", healthcheck},
		{"version", "print the version and exit", versionCmd},
	}
}

// run executes one command line and returns the exit status: 0 on
// success, 1 when the command failed, 2 for a usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		usage(stdout)
		return 0
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, e, args)
			switch {
			case err == nil, err == errHelpShown:
				return 0
			case err == errProblems:
				return 1
			case isUsage(err):
				fmt.Fprintf(stderr, "tweets %s: %v\n", name, err)
				return 2
			default:
				fmt.Fprintf(stderr, "tweets %s: %v\n", name, oneLine(err))
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "tweets: unknown command %q: run 'tweets help' for the list\n", name)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tweets: a self-hostable microblog.\n\nUsage: tweets <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'tweets <command> --help' for a command's flags. Every flag can also be set by its environment variable.")
}

// oneLine keeps an error message to one line, as the command line
// promises.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
