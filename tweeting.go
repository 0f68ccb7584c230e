package tweets

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"strings"
)

// Upload is a file sent with a tweet.
type Upload struct {
	Data []byte
}

// PostTweet validates and stores a tweet by author, with an optional image.
func (s *Service) PostTweet(ctx context.Context, author User, text string, image *Upload) (Tweet, error) {
	if author.Suspended() {
		return Tweet{}, errSuspended
	}
	text = NormalizeTweetText(text)
	if err := ValidateTweetText(text, image != nil); err != nil {
		return Tweet{}, err
	}
	t := Tweet{AuthorID: author.ID, Author: author.Username, Text: text, CreatedAt: s.now()}
	if image != nil {
		m, err := s.storeImage(ctx, image)
		if err != nil {
			return Tweet{}, err
		}
		t.Media = []Media{m}
	}
	// IDs from two replicas can collide within a millisecond: try again
	// with a new one.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		t.ID = s.IDs.New()
		if err = s.Store.CreateTweet(ctx, t); !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err != nil {
		for _, m := range t.Media {
			_ = s.Blobs.Delete(context.WithoutCancel(ctx), m.Key)
		}
		return Tweet{}, err
	}
	s.publish(ctx, Event{Kind: EventTweetPosted, Tweet: t})
	return t, nil
}

func (s *Service) storeImage(ctx context.Context, up *Upload) (Media, error) {
	if s.MaxUploadBytes > 0 && int64(len(up.Data)) > s.MaxUploadBytes {
		return Media{}, &Error{Code: CodeTooLarge, Field: "image", Message: "The image is larger than " + FormatBytes(s.MaxUploadBytes) + "."}
	}
	info, err := s.Images.Inspect(up.Data)
	if err != nil {
		return Media{}, err
	}
	key := randomKey() + info.Extension
	if err := s.Blobs.Put(ctx, key, bytes.NewReader(up.Data), info.ContentType); err != nil {
		return Media{}, err
	}
	return Media{Key: key, ContentType: info.ContentType, Width: info.Width, Height: info.Height, Size: int64(len(up.Data))}, nil
}

// DeleteTweet deletes a tweet. Only its author may.
func (s *Service) DeleteTweet(ctx context.Context, actor User, id ID) error {
	t, err := s.Store.TweetByID(ctx, id)
	if err != nil {
		return err
	}
	if t.AuthorID != actor.ID {
		return Errorf(CodeForbidden, "You can delete only your own tweets.")
	}
	return s.removeTweet(ctx, t)
}

// removeTweet deletes a tweet, then its files.
func (s *Service) removeTweet(ctx context.Context, t Tweet) error {
	if err := s.Store.DeleteTweet(ctx, t.ID); err != nil {
		return err
	}
	// The row is gone, so the files are unreachable: a failure here
	// leaves an orphan, never a broken tweet.
	for _, m := range t.Media {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), m.Key)
	}
	s.publish(ctx, Event{Kind: EventTweetDeleted, Tweet: t})
	return nil
}

// randomKey returns 130 random bits in lower-case base32: unguessable,
// and safe in file names and URLs.
func randomKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// FormatBytes renders a size for people: 8 MiB, 512 KiB, 100 bytes.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return itoa(n>>10) + " KiB"
	default:
		return itoa(n) + " bytes"
	}
}

func itoa(n int64) string { return ID(n).String() }
