package tweets

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// PendingMediaTTL is how long an image uploaded through the API waits
// for the status that carries it; then it and its files are deleted.
const PendingMediaTTL = 24 * time.Hour

// UploadMedia stores an image ahead of the status that will carry it
// (the API's POST /api/v2/media). Each upload counts against the posting
// limit, as a tweet with an image does.
func (s *Service) UploadMedia(ctx context.Context, actor User, up *Upload, alt string) (PendingMedia, error) {
	if actor.Suspended() {
		return PendingMedia{}, errSuspended
	}
	if wait, ok := take(ctx, s.Limits.Post, actor.ID.String()); !ok {
		return PendingMedia{}, tooMany(wait, "You are uploading very fast. Try again in %s.", roundUp(wait))
	}
	alt, err := cleanAlt(alt, "The description")
	if err != nil {
		return PendingMedia{}, err
	}
	if up == nil {
		return PendingMedia{}, Invalid("file", "Send the image as the file parameter.")
	}
	m, err := s.storeImage(ctx, up, UseAttachment)
	if err != nil {
		return PendingMedia{}, withField(err, "file")
	}
	m.Alt = alt
	p := PendingMedia{ID: s.IDs.New(), UserID: actor.ID, Media: m, CreatedAt: s.now()}
	if err := s.Store.AddPendingMedia(ctx, p); err != nil {
		s.discard(ctx, m.Keys()...)
		return PendingMedia{}, err
	}
	return p, nil
}

// PendingMedia returns one of the actor's uploaded images that no status
// carries yet.
func (s *Service) PendingMedia(ctx context.Context, actor User, id ID) (PendingMedia, error) {
	ps, err := s.Store.PendingMedia(ctx, actor.ID, []ID{id})
	if ErrorCode(err) == CodeNotFound {
		return PendingMedia{}, Errorf(CodeNotFound, "Record not found: the upload is unknown, another account's, already attached or expired.")
	}
	if err != nil {
		return PendingMedia{}, err
	}
	return ps[0], nil
}

// DescribeMedia sets the description of one of the actor's pending
// images.
func (s *Service) DescribeMedia(ctx context.Context, actor User, id ID, alt string) (PendingMedia, error) {
	alt, err := cleanAlt(alt, "The description")
	if err != nil {
		return PendingMedia{}, err
	}
	if err := s.Store.SetPendingAlt(ctx, actor.ID, id, alt); err != nil {
		if ErrorCode(err) == CodeNotFound {
			return PendingMedia{}, Errorf(CodeNotFound, "Record not found: the upload is unknown, another account's, already attached or expired.")
		}
		return PendingMedia{}, err
	}
	return s.PendingMedia(ctx, actor, id)
}

// cleanAlt checks and normalizes an image description; what names it
// in a refusal ("The description of image 2").
func cleanAlt(alt, what string) (string, error) {
	if err := CheckText("alt", alt); err != nil {
		return "", err
	}
	alt = strings.TrimSpace(NormalizeTweetText(alt))
	if n := utf8.RuneCountInString(alt); n > MaxAltLength {
		return "", Invalid("alt", "%s has %d characters; the limit is %d.", what, n, MaxAltLength)
	}
	return alt, nil
}

// ExpirePendingMedia deletes uploads older than PendingMediaTTL that no
// status took, up to limit; their files go to the trash. The server
// calls it with the media sweep.
func (s *Service) ExpirePendingMedia(ctx context.Context, limit int) (int, error) {
	return s.Store.ExpirePendingMedia(ctx, s.now().Add(-PendingMediaTTL), limit)
}
