package tweets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AttachedMedia is a media record with the tweet it is attached to.
type AttachedMedia struct {
	Media
	TweetID         ID
	AuthorID        ID
	AuthorSuspended bool
}

// MediaFile is an uploaded file that a viewer may fetch.
type MediaFile struct {
	Media
	// Public is false when the file is served only because of who asks
	// (an admin looking at a suspended account's file): no shared cache
	// may keep it, or others would get it from there.
	Public bool
}

// errNoMediaFile is the one answer for a key that does not exist and for
// a file that is hidden, so that a hidden file's key reveals nothing.
var errNoMediaFile = Errorf(CodeNotFound, "There is no such file: it was deleted, or the address is wrong.")

// MediaFile says whether viewer (nil when not logged in) may fetch the
// uploaded file with the key. The files of a suspended account are
// hidden with its tweets, from everyone but admins.
func (s *Service) MediaFile(ctx context.Context, viewer *User, key string) (MediaFile, error) {
	m, err := s.Store.MediaByKey(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return MediaFile{}, errNoMediaFile
	}
	if err != nil {
		return MediaFile{}, err
	}
	if !m.AuthorSuspended {
		return MediaFile{Media: m.Media, Public: true}, nil
	}
	if viewer == nil || requireAdmin(*viewer) != nil {
		return MediaFile{}, errNoMediaFile
	}
	return MediaFile{Media: m.Media}, nil
}

// OpenMedia checks the file as MediaFile does, then opens it. The caller
// closes the Blob.
func (s *Service) OpenMedia(ctx context.Context, viewer *User, key string) (Blob, MediaFile, error) {
	f, err := s.MediaFile(ctx, viewer, key)
	if err != nil {
		return nil, MediaFile{}, err
	}
	b, err := s.Blobs.Open(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return nil, MediaFile{}, errNoMediaFile
	}
	if err != nil {
		return nil, MediaFile{}, err
	}
	return b, f, nil
}

// discard deletes stored files that no row refers to: the images of a
// tweet that was never stored. A file that cannot be deleted now goes to
// the trash, for the sweep to retry.
func (s *Service) discard(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	var failed []string
	for _, k := range keys {
		if err := s.Blobs.Delete(ctx, k); err != nil {
			failed = append(failed, k)
		}
	}
	if len(failed) > 0 {
		// Should this fail too, `tweets media gc` finds the files.
		_ = s.Store.TrashMedia(ctx, failed)
	}
}

// Retries of a failed deletion wait sweepBackoff, doubling with each
// attempt up to sweepMaxBackoff.
const (
	sweepBackoff    = 10 * time.Second
	sweepMaxBackoff = time.Hour
)

// Sweep counts what one SweepMedia did.
type Sweep struct {
	Deleted, Failed int
	// LastError is the last deletion that failed, for the log.
	LastError error
}

// SweepMedia deletes up to limit files from the trash whose time has
// come: the files of deleted tweets and accounts and of replaced
// profile pictures, queued in the transaction that orphaned them. A
// failed deletion stays queued and is tried again later, backing off.
// The server calls it in the background; it is safe on many replicas at
// once (deleting a file twice is harmless).
func (s *Service) SweepMedia(ctx context.Context, limit int) (Sweep, error) {
	var sw Sweep
	due, err := s.Store.DueTrash(ctx, s.now(), limit)
	if err != nil {
		return sw, err
	}
	for _, f := range due {
		if err := s.Blobs.Delete(ctx, f.Key); err != nil {
			sw.Failed++
			sw.LastError = fmt.Errorf("delete media file %s (attempt %d): %w", f.Key, f.Attempts+1, err)
			f.Attempts++
			f.NotBefore = s.now().Add(min(sweepBackoff<<min(f.Attempts-1, 20), sweepMaxBackoff))
			f.LastError = err.Error()
			if err := s.Store.PostponeTrash(ctx, f); err != nil {
				return sw, err
			}
			continue
		}
		if err := s.Store.ForgetTrash(ctx, f.Key); err != nil {
			return sw, err
		}
		sw.Deleted++
	}
	return sw, nil
}

// ValidMediaKey reports whether key is a name the service could have
// given a media file: lower-case letters, digits and one dot, at most 64
// bytes. Every blob store refuses anything else (a slash, "..") before
// it reaches a file system or a bucket, so that a key taken from a URL
// can never name another object.
func ValidMediaKey(key string) bool {
	if len(key) == 0 || len(key) > 64 {
		return false
	}
	dots := 0
	for _, c := range key {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return dots == 1 && key[0] != '.'
}
