package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/middleware"
)

// errHelpShown ends a command after --help printed its usage.
var errHelpShown = errors.New("help shown")

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

// flagSet returns a flag set that reports errors as one line instead of
// printing the whole usage, and prints the usage for --help.
func flagSet(e env, name, synopsis string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error too; parse
	// prints the usage itself, for --help only.
	fs.Usage = func() {}
	help := func() {
		fmt.Fprintf(e.stdout, "Usage: tweets %s\n\nFlags (each also read from the environment variable named in brackets):\n", synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return &flags{FlagSet: fs, help: help}
}

// flags is a command's flag set and its --help printer.
type flags struct {
	*flag.FlagSet
	help func()
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flags, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return errHelpShown
		}
		return usageError{err.Error() + " (see --help)"}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (see --help)", fs.Arg(0))}
	}
	return nil
}

// loadConfig parses the flags and builds the configuration.
func loadConfig(e env, fs *flags, args []string) (*config.Config, error) {
	l := config.NewLoader(fs.FlagSet, e.getenv)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	c, err := l.Load()
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return c, nil
}

// newLogger builds the logger the configuration asks for.
func newLogger(c *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.Debug && c.LogLevel > slog.LevelDebug {
		opts.Level = slog.LevelDebug
	}
	format := c.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(middleware.LogHandler{Handler: h})
}
