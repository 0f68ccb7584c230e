package tweets

import (
	"context"
	"errors"
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
