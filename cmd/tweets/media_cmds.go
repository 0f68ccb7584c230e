package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
)

// mediaCmd groups the media store's maintenance: for now, gc.
func mediaCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, "Usage: tweets media gc [--dry-run] [--min-age DURATION] [flags]\n\n"+
			"  gc  delete stored media files that no tweet or profile refers to\n\n"+
			"Run 'tweets media gc --help' for every flag.")
		if len(args) == 0 {
			return usageError{"say which: gc"}
		}
		return errHelpShown
	}
	if args[0] != "gc" {
		return usageError{fmt.Sprintf("unknown subcommand %q: use gc", args[0])}
	}
	fs := flagSet(e, "media gc", "media gc [--dry-run] [--min-age DURATION]\n\n"+
		"Lists every file of the media store (the directory, or the S3 bucket) and deletes\n"+
		"those that no row refers to and that are older than --min-age. Safe while the\n"+
		"server runs: a file being posted is younger than --min-age.")
	dryRun := fs.Bool("dry-run", false, "only report what would be deleted")
	minAge := fs.Duration("min-age", time.Hour, "spare files younger than this (uploads in progress); at least 1m")
	c, err := loadConfig(e, fs, args[1:])
	if err != nil {
		return err
	}
	if *minAge < time.Minute {
		return usageError{fmt.Sprintf("--min-age %s is too short: a file being posted has no row yet for up to a minute; give 1m or more", *minAge)}
	}
	store, err := openStore(ctx, c, 15*time.Second)
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := newService(ctx, c, store)
	if err != nil {
		return err
	}
	verb := "deleted"
	if *dryRun {
		verb = "would delete"
	}
	last := time.Now()
	r, err := svc.CollectGarbage(ctx, tweets.GCOptions{DryRun: *dryRun, MinAge: *minAge, Progress: func(r tweets.GCReport) {
		if time.Since(last) >= time.Second {
			fmt.Fprintf(e.stderr, "checked %d files: %d kept, %s %d (%s)\n", r.Checked, r.Referenced+r.Young, verb, r.Orphans, backup.HumanBytes(r.OrphanBytes))
			last = time.Now()
		}
	}})
	fmt.Fprintf(e.stdout, "checked %d files: %d referenced, %d younger than %s kept; %s %d orphaned files (%s)\n",
		r.Checked, r.Referenced, r.Young, *minAge, verb, r.Orphans-r.Failed, backup.HumanBytes(r.OrphanBytes))
	if r.Partial > 0 {
		fmt.Fprintf(e.stdout, "%s %d partly written files left by a crash (%s)\n", verb, r.Partial, backup.HumanBytes(r.PartialBytes))
	}
	return err
}
