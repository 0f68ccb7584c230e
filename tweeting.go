package tweets

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Attachment is an image sent with a tweet, and its description.
type Attachment struct {
	Upload *Upload
	Alt    string
}

// Upload is a file sent with a tweet. Its content is read only once a
// decoding slot is free, so uploads waiting for one hold the transport's
// spool on disk, not memory.
type Upload struct {
	Content io.Reader
	Size    int64 // as received; the content is still read with a limit
}

// UploadBytes wraps data held in memory as an Upload.
func UploadBytes(data []byte) *Upload {
	return &Upload{Content: bytes.NewReader(data), Size: int64(len(data))}
}

// Composed is what a post says: its text, an optional image, and the
// tweet it answers (zero for none).
type Composed struct {
	Text        string
	Images      []Attachment // at most MaxImages
	ReplyTo     ID
	ReplyPolicy ReplyPolicy // empty: ReplyEveryone
	Quote       ID          // the tweet quoted, or zero
	// MediaIDs are images uploaded ahead (UploadMedia), attached after
	// Images, in order.
	MediaIDs []ID
	// IdempotencyKey, when set, makes a retry of the same post (within a
	// day) return the tweet the first attempt stored instead of a second.
	IdempotencyKey string
}

// idempotencyWindow is how long an idempotency key is remembered.
const idempotencyWindow = 24 * time.Hour

// errDuplicatePost is storeTweet's answer when a concurrent retry with
// the same idempotency key stored its tweet first.
var errDuplicatePost = errors.New("a retry of this post was stored first")

// remembered returns the tweet an earlier attempt with the key stored.
func (s *Service) remembered(ctx context.Context, author User, key string) (Tweet, bool, error) {
	if key == "" {
		return Tweet{}, false, nil
	}
	id, err := s.Store.RememberedPost(ctx, author.ID, HashToken(key), s.now().Add(-idempotencyWindow))
	if errors.Is(err, ErrNotFound) {
		return Tweet{}, false, nil
	}
	if err != nil {
		return Tweet{}, false, err
	}
	t, err := s.Store.TweetByID(ctx, id)
	if err != nil {
		return Tweet{}, false, err // deleted since: not posted again
	}
	return t, true, nil
}

// Draft reads what a post says. The Service calls it only once it has
// admitted the attempt, so a transport reads the request body there: an
// upload refused for any reason, a body over the limit included, has
// then counted against the author's posting limit.
type Draft func() (Composed, error)

// PostTweet validates and stores a tweet by author, with an optional image.
func (s *Service) PostTweet(ctx context.Context, author User, text string, image *Upload) (Tweet, error) {
	var images []Attachment
	if image != nil {
		images = []Attachment{{Upload: image}}
	}
	return s.Post(ctx, author, func() (Composed, error) { return Composed{Text: text, Images: images}, nil })
}

// Reply posts a tweet by author in answer to the tweet parent.
func (s *Service) Reply(ctx context.Context, author User, parent ID, text string) (Tweet, error) {
	return s.Post(ctx, author, func() (Composed, error) { return Composed{Text: text, ReplyTo: parent}, nil })
}

// Post validates and stores the tweet that draft reads. Every attempt
// counts against the author's posting limit, refused ones too: each may
// cost an upload and an image decode.
func (s *Service) Post(ctx context.Context, author User, draft Draft) (Tweet, error) {
	if author.Suspended() {
		return Tweet{}, errSuspended
	}
	if wait, ok := take(ctx, s.Limits.Post, author.ID.String()); !ok {
		return Tweet{}, tooMany(wait, "You are posting very fast. Try again in %s.", roundUp(wait))
	}
	c, err := draft()
	if err != nil {
		return Tweet{}, err
	}
	if t, ok, err := s.remembered(ctx, author, c.IdempotencyKey); err != nil || ok {
		return t, err
	}
	text, images := c.Text, c.Images
	if n := len(images) + len(c.MediaIDs); n > MaxImages {
		return Tweet{}, Invalid("image", "A tweet can carry at most %d images; this one has %d.", MaxImages, n)
	}
	for i := range images {
		if images[i].Alt, err = cleanAlt(images[i].Alt, fmt.Sprintf("The description of image %d", i+1)); err != nil {
			return Tweet{}, err
		}
	}
	pending, err := s.Store.PendingMedia(ctx, author.ID, c.MediaIDs)
	if ErrorCode(err) == CodeNotFound {
		return Tweet{}, Invalid("media_ids", "An uploaded image is unknown, another account's, already attached or expired: upload it again.")
	}
	if err != nil {
		return Tweet{}, err
	}
	var parent Tweet
	if c.ReplyTo != 0 {
		if parent, err = s.visibleTweet(ctx, author, c.ReplyTo); err != nil {
			if ErrorCode(err) == CodeNotFound {
				return Tweet{}, Invalid("text", "The tweet you are replying to was deleted.")
			}
			return Tweet{}, err
		}
		if err := s.mayReply(ctx, author, parent); err != nil {
			return Tweet{}, err
		}
	}
	policy, err := ParseReplyPolicy(string(c.ReplyPolicy))
	if err != nil {
		return Tweet{}, err
	}
	var quoted Tweet
	if c.Quote != 0 {
		if quoted, err = s.visibleTweet(ctx, author, c.Quote); err != nil {
			if ErrorCode(err) == CodeNotFound {
				return Tweet{}, Invalid("text", "The tweet you are quoting was deleted.")
			}
			return Tweet{}, err
		}
	}
	if err := ValidateTweetText(text, len(images)+len(pending) > 0); err != nil {
		return Tweet{}, err
	}
	t := Tweet{AuthorID: author.ID, Author: author.Username, Text: NormalizeTweetText(text), CreatedAt: s.now(),
		ReplyTo: parent.ID, ReplyToAuthor: parent.Author, ReplyToAuthorID: parent.AuthorID, ReplyPolicy: policy, Quote: quoted.ID}
	if quoted.ID != 0 {
		t.Quoted = &QuotedTweet{ID: quoted.ID, Author: quoted.Author, Text: quoted.Text, CreatedAt: quoted.CreatedAt}
	}
	for n, a := range images {
		m, err := s.storeImage(ctx, a.Upload, UseAttachment)
		if err != nil {
			// The images stored so far belong to no tweet: take them back.
			s.discardMedia(ctx, t.Media)
			if e := (*Error)(nil); errors.As(err, &e) && len(images) > 1 {
				return Tweet{}, &Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("Image %d: %s", n+1, e.Message), RetryAfter: e.RetryAfter}
			}
			return Tweet{}, err
		}
		m.Alt = a.Alt
		t.Media = append(t.Media, m)
	}
	uploaded := len(t.Media) // stored here; the pending ones are not this post's to delete
	var claim []ID
	for _, p := range pending {
		t.Media, claim = append(t.Media, p.Media), append(claim, p.ID)
	}

	// IDs from two replicas can collide within a millisecond: try again
	// with a new one.
	for attempt := 0; attempt < 3; attempt++ {
		t.ID = s.IDs.New()
		if err = s.storeTweet(ctx, t, parent, quoted, claim, c.IdempotencyKey); !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err != nil {
		s.discardMedia(ctx, t.Media[:uploaded])
		if errors.Is(err, errDuplicatePost) {
			first, _, err := s.remembered(ctx, author, c.IdempotencyKey)
			return first, err
		}
		return Tweet{}, err
	}
	s.publish(ctx, Event{Kind: EventTweetPosted, Tweet: t})
	return t, nil
}

// maxMentionNotices bounds the accounts one tweet can notify.
const maxMentionNotices = 10

// storeTweet stores t; in the same transaction, a reply tells the author
// of parent, a quote the author of quoted, and mentions the accounts
// mentioned (those that do not block the author).
func (s *Service) storeTweet(ctx context.Context, t, parent, quoted Tweet, claim []ID, key string) error {
	if t.ReplyTo == 0 && t.Quote == 0 && len(Mentions(t.Text)) == 0 && len(claim) == 0 && key == "" {
		return s.Store.CreateTweet(ctx, t)
	}
	return s.Store.Atomic(ctx, func(tx Store) error {
		if key != "" {
			err := tx.RememberPost(ctx, t.AuthorID, HashToken(key), t.ID, t.CreatedAt)
			if errors.Is(err, ErrConflict) {
				return errDuplicatePost
			}
			if err != nil {
				return err
			}
		}
		if err := tx.ClaimPendingMedia(ctx, claim); err != nil {
			return err
		}
		if err := tx.CreateTweet(ctx, t); err != nil {
			return err
		}
		if t.ReplyTo != 0 {
			if err := s.notify(ctx, tx, parent.AuthorID, NotifyReply, t.AuthorID, t.ID); err != nil {
				return err
			}
		}
		if t.Quote != 0 {
			if err := s.notify(ctx, tx, quoted.AuthorID, NotifyQuote, t.AuthorID, t.ID); err != nil {
				return err
			}
		}
		// The accounts CreateTweet found mentioned, less those that block
		// the author.
		mentioned, err := tx.Mentioned(ctx, t.ID, maxMentionNotices)
		if err != nil {
			return err
		}
		for _, u := range mentioned {
			if u == parent.AuthorID {
				continue // told of the reply already
			}
			if err := s.notify(ctx, tx, u, NotifyMention, t.AuthorID, t.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// mayReply enforces the reply policy the author of parent chose.
func (s *Service) mayReply(ctx context.Context, author User, parent Tweet) error {
	if author.ID == parent.AuthorID {
		return nil
	}
	switch parent.ReplyPolicy {
	case ReplyFollowing:
		rel, err := s.Store.Relationship(ctx, parent.AuthorID, author.ID)
		if err != nil {
			return err
		}
		if !rel.Following {
			return Errorf(CodeForbidden, "Only people @%s follows can reply to this tweet.", parent.Author)
		}
	case ReplyMentioned:
		for _, m := range Mentions(parent.Text) {
			if m == NormalizeUsername(author.Username) {
				return nil
			}
		}
		return Errorf(CodeForbidden, "Only people this tweet mentions can reply to it.")
	}
	return nil
}

// precheckBytes is how much of an upload is read before it waits for a
// decoding slot: enough for the header of every format we accept.
const precheckBytes = 64 << 10

// storeImage reads, checks and stores an upload inside a decoding slot,
// which bounds the memory that uploads and decodes take at once. Its
// header is checked first, so a refused image does not wait for a slot.
func (s *Service) storeImage(ctx context.Context, up *Upload, use ImageUse) (Media, error) {
	tooLarge := &Error{Code: CodeTooLarge, Field: "image", Message: "The image is larger than " + FormatBytes(s.MaxUploadBytes) + ". Choose a smaller one."}
	if s.MaxUploadBytes > 0 && up.Size > s.MaxUploadBytes {
		return Media{}, tooLarge
	}
	head := make([]byte, precheckBytes)
	n, err := io.ReadFull(up.Content, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return Media{}, Invalid("image", "The image could not be read. Try again.")
	}
	head = head[:n]
	if err := s.Images.Precheck(head); err != nil {
		return Media{}, err
	}
	leave, err := s.Decoding.Enter(ctx)
	if err != nil {
		return Media{}, err
	}
	defer leave()
	r := io.MultiReader(bytes.NewReader(head), up.Content)
	if s.MaxUploadBytes > 0 {
		r = io.LimitReader(r, s.MaxUploadBytes+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return Media{}, Invalid("image", "The image could not be read. Try again.")
	}
	if s.MaxUploadBytes > 0 && int64(len(data)) > s.MaxUploadBytes {
		return Media{}, tooLarge
	}
	p, err := s.Images.Process(data, use)
	if err != nil {
		return Media{}, err
	}
	m := Media{ContentType: p.ContentType, Width: p.Width, Height: p.Height, Blurhash: p.Blurhash}
	if m.Key, m.Size, err = s.putRendition(ctx, p.ImageInfo, p.Encode); err != nil {
		return Media{}, err
	}
	if p.Thumb != nil {
		m.Thumb = Thumb{ContentType: p.Thumb.ContentType, Width: p.Thumb.Width, Height: p.Thumb.Height}
		if m.Thumb.Key, _, err = s.putRendition(ctx, p.Thumb.ImageInfo, p.Thumb.Encode); err != nil {
			s.discard(ctx, m.Key)
			return Media{}, err
		}
	}
	return m, nil
}

// discardMedia discards the files of images that no stored tweet has.
func (s *Service) discardMedia(ctx context.Context, ms []Media) {
	var keys []string
	for _, m := range ms {
		keys = append(keys, m.Keys()...)
	}
	s.discard(ctx, keys...)
}

// putRendition stores what encode writes under a new key, as it is
// encoded: the upload as sent, metadata and all, is never stored.
func (s *Service) putRendition(ctx context.Context, info ImageInfo, encode func(io.Writer) error) (string, int64, error) {
	pr, pw := io.Pipe()
	out := &counter{w: pw}
	go func() { pw.CloseWithError(encode(out)) }()
	key := randomKey() + info.Extension
	err := s.Blobs.Put(ctx, key, pr, info.ContentType)
	pr.CloseWithError(err) // lets the encoder stop if storing failed
	if err != nil {
		// A remote store may have kept the file though its answer was
		// lost (the connection cut after the upload): queue the key for
		// deletion, which the sweep does once the store answers (a file
		// that is not there deletes as a success). Should this fail too,
		// `tweets media gc` finds the file.
		_ = s.Store.TrashMedia(context.WithoutCancel(ctx), []string{key})
		return "", 0, err
	}
	return key, out.n, nil
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
	if err := s.Store.DeleteTweet(ctx, t.ID); err != nil {
		return err
	}
	s.tweetRemoved(ctx, t)
	return nil
}

// tweetRemoved announces a tweet whose row is gone. Its files went to
// the trash in the same transaction, for SweepMedia to delete: never
// before the commit (a rollback would bring back a tweet without its
// files), and never lost to a crash after it.
func (s *Service) tweetRemoved(ctx context.Context, t Tweet) {
	s.publish(ctx, Event{Kind: EventTweetDeleted, Tweet: t})
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

// maxEditNotices bounds the accounts one edit tells.
const maxEditNotices = 1000

// EditTweet replaces the text of actor's own tweet. The earlier text is
// kept and shown as the tweet's history, and the accounts that liked or
// reposted it are told, in the same transaction. An edit counts against
// the posting limit, as a post does.
func (s *Service) EditTweet(ctx context.Context, actor User, id ID, text string) (Tweet, error) {
	t, err := s.EditableTweet(ctx, actor, id)
	if err != nil {
		return Tweet{}, err
	}
	if wait, ok := take(ctx, s.Limits.Post, actor.ID.String()); !ok {
		return Tweet{}, tooMany(wait, "You are posting very fast. Try again in %s.", roundUp(wait))
	}
	if err := ValidateTweetText(text, len(t.Media) > 0); err != nil {
		return Tweet{}, err
	}
	text = NormalizeTweetText(text)
	if text == t.Text {
		return t, nil
	}
	now := s.now()
	err = s.Store.Atomic(ctx, func(tx Store) error {
		if err := tx.EditTweet(ctx, id, text, now); err != nil {
			return err
		}
		engaged, err := tx.Engaged(ctx, id, maxEditNotices)
		if err != nil {
			return err
		}
		for _, u := range engaged {
			if err := s.notify(ctx, tx, u, NotifyEdit, actor.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Tweet{}, err
	}
	t.Text, t.EditedAt = text, now
	s.publish(ctx, Event{Kind: EventTweetEdited, Tweet: t})
	return t, nil
}

// EditableTweet returns a tweet that actor may edit: only their own.
func (s *Service) EditableTweet(ctx context.Context, actor User, id ID) (Tweet, error) {
	if actor.Suspended() {
		return Tweet{}, errSuspended
	}
	t, err := s.Store.TweetByID(ctx, id)
	if err != nil {
		return Tweet{}, err
	}
	if t.AuthorID != actor.ID {
		return Tweet{}, Errorf(CodeForbidden, "You can edit only your own tweets.")
	}
	return t, nil
}

// History returns a tweet's earlier texts, oldest first, with the tweet.
func (s *Service) History(ctx context.Context, viewer *User, id ID) (Tweet, []Version, error) {
	th, err := s.Thread(ctx, viewer, id)
	if err != nil {
		return Tweet{}, nil, err
	}
	vs, err := s.Store.Versions(ctx, id)
	return th.Tweet, vs, err
}

// Quote posts a tweet by author quoting the tweet quoted.
func (s *Service) Quote(ctx context.Context, author User, quoted ID, text string) (Tweet, error) {
	return s.Post(ctx, author, func() (Composed, error) { return Composed{Text: text, Quote: quoted}, nil })
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
