package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/sqlstore"
)

// backupCmd writes a backup of the database and the media to a file or
// to standard output. It reads a snapshot, so the server may keep
// running.
func backupCmd(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "backup", "backup --out FILE [flags]\n\n"+
		"Writes every row of the database and every media file of its tweets to FILE,\n"+
		"a .tar.gz, from a consistent snapshot: the server may keep running.")
	out := fs.String("out", "", "write the backup to `FILE`; - writes it to standard output")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	switch {
	case *out == "":
		return usageError{"--out is required: name the backup file, or give - for standard output"}
	case *out == "-" && isTerminal(e.stdout):
		return usageError{"standard output is a terminal: redirect it to a file, or name one with --out FILE"}
	}
	store, blobs, err := openBackupTarget(ctx, c)
	if err != nil {
		return err
	}
	defer store.Close()
	opt := backup.WriteOptions{Version: buildVersion(), Progress: e.stderr}
	if *out == "-" {
		_, err := backup.Write(ctx, e.stdout, store, blobs, opt)
		return err
	}
	m, err := writeBackupFile(*out, func(w io.Writer) (*backup.Manifest, error) {
		return backup.Write(ctx, w, store, blobs, opt)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s and %s from %s, schema version %d\n",
		*out, backup.Count(m.TotalRows(), "row"), backup.Count(int64(m.MediaFiles), "media file"), m.Dialect, m.SchemaVersion)
	return nil
}

// writeBackupFile writes to path.tmp and renames it into place once it
// is complete and synced, so that path is never half a backup. The file
// is private: it holds password and session hashes.
func writeBackupFile(path string, write func(io.Writer) (*backup.Manifest, error)) (m *backup.Manifest, err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // #nosec G304 -- the operator's --out
	if err != nil {
		return nil, fmt.Errorf("create the backup file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if m, err = write(bw); err != nil {
		return nil, err
	}
	if err = bw.Flush(); err != nil {
		return nil, fmt.Errorf("write the backup file: %w", err)
	}
	if err = f.Sync(); err != nil {
		return nil, fmt.Errorf("write the backup file: %w", err)
	}
	if err = f.Close(); err != nil {
		return nil, fmt.Errorf("write the backup file: %w", err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("move the backup file into place: %w", err)
	}
	return m, nil
}

// restoreCmd loads a backup into an empty database and media directory,
// or with --force replaces what they hold.
func restoreCmd(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "restore", "restore [--force] [flags] FILE\n\n"+
		"Loads a backup made by 'tweets backup' (FILE, or - for standard input) into the\n"+
		"configured database and media directory. The database must be migrated to the\n"+
		"backup's schema version ('tweets migrate'), and both must be empty unless\n"+
		"--force is given. Stop the server first when using --force.")
	force := fs.Bool("force", false, "replace what is there: delete every row (in the restore's transaction) and, once the restore succeeds, the media of the deleted tweets")
	file, args := splitFileArg(args, "force")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return usageError{"name the backup file to restore, last: tweets restore [--force] [flags] FILE (- reads standard input)"}
	}
	r := e.stdin
	if file != "-" {
		f, err := os.Open(file) // #nosec G304 G703 -- the operator's archive
		if err != nil {
			return fmt.Errorf("open the backup: %w", err)
		}
		defer f.Close()
		r = bufio.NewReaderSize(f, 1<<20)
	}
	store, blobs, err := openBackupTarget(ctx, c)
	if err != nil {
		return err
	}
	defer store.Close()
	// A new database gets its schema first, so that restoring onto a
	// fresh machine is one command; the archive's schema version is
	// still checked against it.
	if err := store.Migrate(ctx, nil); err != nil {
		return err
	}
	m, err := backup.Restore(ctx, r, store, blobs, backup.RestoreOptions{Force: *force, Progress: e.stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s and %s into %s, from a backup of %s made by tweets %s at %s\n",
		backup.Count(m.TotalRows(), "row"), backup.Count(int64(m.MediaFiles), "media file"), store.Dialect(), m.Dialect, m.TweetsVersion,
		m.CreatedAt.Format("2006-01-02 15:04 UTC"))
	return nil
}

// openBackupTarget opens the configured database, checked to be
// migrated, and media store.
func openBackupTarget(ctx context.Context, c *config.Config) (*sqlstore.Store, tweets.BlobStore, error) {
	store, err := openStore(ctx, c, 15*time.Second)
	if err != nil {
		return nil, nil, err
	}
	if err := store.Ping(ctx); err != nil {
		store.Close()
		return nil, nil, err
	}
	svc, err := newService(ctx, c, store)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	blobs := svc.Blobs
	return store, blobs, nil
}

// splitFileArg takes the file argument off the end of args. Go's flag
// package stops at the first argument that is not a flag, so the file
// comes last; but a last argument that is the value of the flag before
// it (every flag but boolFlags takes one) is no file.
func splitFileArg(args []string, boolFlags ...string) (file string, rest []string) {
	n := len(args)
	if n == 0 {
		return "", args
	}
	last := args[n-1]
	if last != "-" && strings.HasPrefix(last, "-") {
		return "", args
	}
	if n >= 2 {
		prev := args[n-2]
		name := strings.TrimLeft(prev, "-")
		isFlag := strings.HasPrefix(prev, "-") && prev != "-" && prev != "--"
		takesValue := !strings.Contains(name, "=") && name != "h" && name != "help"
		for _, b := range boolFlags {
			takesValue = takesValue && name != b
		}
		if isFlag && takesValue {
			return "", args
		}
	}
	return last, args[:n-1]
}

// isTerminal reports whether w is a terminal (a character device other
// than /dev/null), where a binary archive would be garbage.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}
