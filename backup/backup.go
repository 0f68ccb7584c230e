// Package backup writes and restores a complete copy of a server's data:
// every row of every table and every media file that a row refers to.
// It names no table or column: it walks what sqlstore declares
// (sqlstore.Tables), blob-key columns included.
//
// An archive is a gzip-compressed tar holding, in this order:
//
//	manifest.json      what the archive holds (see Manifest)
//	db/<table>.jsonl   one JSON array per row, parents' tables first
//	media/<key>        the files, under their storage keys
//
// Values are encoded by column kind: integers as JSON numbers, times as
// RFC 3339 strings in UTC with nanoseconds, NULL as null. So a backup made
// on SQLite restores into PostgreSQL and the other way round (PostgreSQL
// keeps times to the microsecond, so finer digits are lost on the way).
//
// The manifest comes first so that a restore can refuse a backup it
// cannot use before it reads anything else; it lists a SHA-256 for every
// other file, so a damaged archive is refused rather than half-restored.
package backup

import (
	"context"
	"fmt"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// FormatVersion is the archive layout this package writes and reads.
const FormatVersion = 1

// Manifest describes an archive. It is manifest.json, the first file.
type Manifest struct {
	Format int `json:"format"`
	// TweetsVersion is the version of the binary that made the backup.
	TweetsVersion string `json:"tweets_version"`
	// SchemaVersion is the newest migration of the database backed up; a
	// restore needs a database at the same version.
	SchemaVersion int       `json:"schema_version"`
	Dialect       string    `json:"dialect"` // "sqlite" or "postgres"
	CreatedAt     time.Time `json:"created_at"`
	// Rows counts the rows of each table.
	Rows       map[string]int64 `json:"rows"`
	MediaFiles int              `json:"media_files"`
	MediaBytes int64            `json:"media_bytes"`
	// MissingMedia lists files that rows refer to but the media store did
	// not have when the backup was made (deleted with their row after
	// the database snapshot, or lost before it). They are not in the
	// archive, and a restore does not expect them.
	MissingMedia []string `json:"missing_media,omitempty"`
	// Files lists every other file of the archive, in archive order.
	Files []File `json:"files"`
}

// File is one file of an archive.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// TotalRows is the number of rows of every table together.
func (m *Manifest) TotalRows() int64 {
	var n int64
	for _, c := range m.Rows {
		n += c
	}
	return n
}

const manifestName = "manifest.json"

func tableFile(t string) string { return "db/" + t + ".jsonl" }

func mediaFile(key string) string { return "media/" + key }

// EmptyChecker is implemented by media stores that can tell whether they
// hold any file. Restore uses it to refuse a media store that is not
// empty; with a store that cannot tell, it refuses only when a file of
// the backup is already there.
type EmptyChecker interface {
	IsEmpty(ctx context.Context) (bool, error)
}

// errNotEmpty is refused without Force. It matches tweets.ErrConflict.
func errNotEmpty(what string) error {
	return tweets.Errorf(tweets.CodeConflict,
		"%s: restore into a new, migrated database and an empty media directory, or use --force to delete what is there first", what)
}

// checkTarget refuses a database or media store that already has data.
func checkTarget(ctx context.Context, store *sqlstore.Store, blobs tweets.BlobStore) error {
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return errNotEmpty("the database already has data")
	}
	if ec, ok := blobs.(EmptyChecker); ok {
		empty, err := ec.IsEmpty(ctx)
		if err != nil {
			return fmt.Errorf("check whether the media store is empty: %w", err)
		}
		if !empty {
			return errNotEmpty("the media directory already has files")
		}
	}
	return nil
}

// checkSchema refuses a backup whose rows do not fit the database.
func checkSchema(ctx context.Context, m *Manifest, store *sqlstore.Store) error {
	if m.Format != FormatVersion {
		return fmt.Errorf("this backup has format version %d, but this tweets binary reads version %d: restore it with the tweets version that made it (%s)",
			m.Format, FormatVersion, m.TweetsVersion)
	}
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case m.SchemaVersion == v:
		return nil
	case m.SchemaVersion > store.LatestVersion():
		return fmt.Errorf("the backup is of database schema version %d, newer than this tweets binary knows (%d): restore it with tweets %s or later",
			m.SchemaVersion, store.LatestVersion(), m.TweetsVersion)
	case m.SchemaVersion > v && m.SchemaVersion == store.LatestVersion():
		return fmt.Errorf("the backup is of database schema version %d but the database is at version %d: run 'tweets migrate' first",
			m.SchemaVersion, v)
	}
	return fmt.Errorf("the backup is of database schema version %d (made by tweets %s) but the database is at version %d: "+
		"restore it into a database migrated by that tweets version, then upgrade", m.SchemaVersion, m.TweetsVersion, v)
}
