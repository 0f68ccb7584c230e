package tweets

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Export limits. Tweet ids only decrease from page to page, so paging
// ends anyway; the bound stops a store that ignored the cursor from
// looping for ever.
const (
	exportPageSize = 100
	exportMaxPages = 1_000_000 / exportPageSize
)

// The files of an export. Ids are strings because JavaScript numbers
// cannot hold 64 bits.
type (
	exportAccount struct {
		ID          string    `json:"id"`
		Username    string    `json:"username"`
		DisplayName string    `json:"display_name"`
		Bio         string    `json:"bio"`
		CreatedAt   time.Time `json:"created_at"`
		IsAdmin     bool      `json:"is_admin"`
	}
	exportTweet struct {
		ID        string        `json:"id"`
		Text      string        `json:"text"`
		CreatedAt time.Time     `json:"created_at"`
		Media     []exportMedia `json:"media"`
	}
	exportMedia struct {
		File        string `json:"file"` // its path in the archive
		Alt         string `json:"alt"`
		ContentType string `json:"content_type"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Size        int64  `json:"size"`
	}
	// exportFollows lists accounts by username.
	exportFollows struct {
		Following []string `json:"following"`
		Followers []string `json:"followers"`
		Blocking  []string `json:"blocking"`
		Muting    []string `json:"muting"`
	}
	// exportAction is a like, a repost or a bookmark: of which tweet,
	// and when.
	exportAction struct {
		TweetID   string    `json:"tweet_id"`
		CreatedAt time.Time `json:"created_at"`
	}
)

// Export is an account's data on its way out as a ZIP archive:
// account.json, tweets.json (newest first), follows.json, likes.json,
// reposts.json, bookmarks.json and media/<key>.
type Export struct {
	// Filename is a name for the archive, with the account and the date.
	Filename string
	// Missing lists media files that were gone when the archive was
	// written (deleted with their tweet meanwhile, or lost); the rest of
	// the archive is still worth having.
	Missing []string

	svc   *Service
	user  User
	first []Tweet
	q     TimelineQuery
}

// StartExport prepares the export of the actor's own data. It reads the
// first page of tweets at once, so that a database that is down gives an
// error before any byte of the archive is sent.
func (s *Service) StartExport(ctx context.Context, actor User) (*Export, error) {
	q := TimelineQuery{AuthorID: actor.ID, Limit: exportPageSize, IncludeSuspended: true}
	first, err := s.Store.Timeline(ctx, q)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("tweets-export-%s-%s.zip", actor.Username, s.now().Format("2006-01-02"))
	return &Export{Filename: name, svc: s, user: actor, first: first, q: q}, nil
}

// WriteTo streams the archive to w as it is made: only the list of media
// keys is held in memory, however many tweets there are.
func (x *Export) WriteTo(ctx context.Context, w io.Writer) error {
	zw := zip.NewWriter(w)
	modified := x.svc.now()
	create := func(name string, method uint16) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: modified})
	}
	writeJSON := func(name string, v any) error {
		f, err := create(name, zip.Deflate)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	u := x.user
	if err := writeJSON("account.json", exportAccount{ID: u.ID.String(), Username: u.Username, DisplayName: u.DisplayName, Bio: u.Bio,
		CreatedAt: u.CreatedAt.UTC(), IsAdmin: u.IsAdmin}); err != nil {
		return err
	}
	f, err := create("tweets.json", zip.Deflate)
	if err != nil {
		return err
	}
	media, err := x.writeTweets(ctx, f)
	if err != nil {
		return err
	}
	follows, err := x.follows(ctx)
	if err != nil {
		return err
	}
	if err := writeJSON("follows.json", follows); err != nil {
		return err
	}
	likes, reposts, bookmarks, err := x.actions(ctx)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		list []exportAction
	}{{"likes.json", likes}, {"reposts.json", reposts}, {"bookmarks.json", bookmarks}} {
		if err := writeJSON(f.name, f.list); err != nil {
			return err
		}
	}
	for _, m := range media {
		if err := x.writeFile(ctx, create, m.Key); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeTweets writes tweets.json page by page and returns the media the
// tweets carry.
func (x *Export) writeTweets(ctx context.Context, f io.Writer) ([]Media, error) {
	if _, err := io.WriteString(f, "["); err != nil {
		return nil, err
	}
	var media []Media
	page, q, sep := x.first, x.q, "\n  "
	for pages := 1; ; pages++ {
		for _, t := range page {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			// Tweets are meant to be read: keep < and & as they are.
			enc.SetEscapeHTML(false)
			enc.SetIndent("  ", "  ")
			if err := enc.Encode(toExportTweet(t)); err != nil {
				return nil, err
			}
			if _, err := io.WriteString(f, sep+strings.TrimSuffix(b.String(), "\n")); err != nil {
				return nil, err
			}
			sep = ",\n  "
			media = append(media, t.Media...)
		}
		if len(page) < q.Limit {
			break
		}
		next := page[len(page)-1].ID
		if pages >= exportMaxPages || (q.Before != 0 && next >= q.Before) {
			return nil, errors.New("export: the timeline did not end; is the cursor ignored?")
		}
		q.Before = next
		var err error
		if page, err = x.svc.Store.Timeline(ctx, q); err != nil {
			return nil, err
		}
	}
	_, err := io.WriteString(f, "\n]\n")
	return media, err
}

// follows reads both of the account's follow lists in full.
func (x *Export) follows(ctx context.Context) (exportFollows, error) {
	f := exportFollows{Following: []string{}, Followers: []string{}, Blocking: []string{}, Muting: []string{}}
	for list, read := range map[*[]string]func(context.Context, ID) ([]User, error){&f.Blocking: x.svc.Store.Blocked, &f.Muting: x.svc.Store.Muted} {
		us, err := read(ctx, x.user.ID)
		if err != nil {
			return f, err
		}
		for _, u := range us {
			*list = append(*list, u.Username)
		}
	}
	for _, followers := range []bool{false, true} {
		list, err := readAll(func(before ID) ([]FollowEntry, error) {
			return x.svc.Store.Follows(ctx, FollowQuery{Account: x.user.ID, Followers: followers, Before: before, Limit: exportPageSize})
		}, func(e FollowEntry) (ID, string) { return e.FollowID, e.User.Username })
		if err != nil {
			return f, err
		}
		if followers {
			f.Followers = list
		} else {
			f.Following = list
		}
	}
	return f, nil
}

// actions reads every like, repost and bookmark of the account.
func (x *Export) actions(ctx context.Context) (likes, reposts, bookmarks []exportAction, err error) {
	store, id := x.svc.Store, x.user.ID
	action := func(id, tweet ID, at time.Time) (ID, exportAction) {
		return id, exportAction{TweetID: tweet.String(), CreatedAt: at}
	}
	likesBy := func(before ID) ([]Like, error) { return store.LikesBy(ctx, id, before, exportPageSize) }
	repostsBy := func(before ID) ([]Repost, error) { return store.RepostsBy(ctx, id, before, exportPageSize) }
	bookmarksBy := func(before ID) ([]Bookmark, error) { return store.BookmarksBy(ctx, id, before, exportPageSize) }
	if likes, err = readAll(likesBy, func(l Like) (ID, exportAction) { return action(l.ID, l.TweetID, l.CreatedAt) }); err != nil {
		return nil, nil, nil, err
	}
	if reposts, err = readAll(repostsBy, func(r Repost) (ID, exportAction) { return action(r.ID, r.TweetID, r.CreatedAt) }); err != nil {
		return nil, nil, nil, err
	}
	bookmarks, err = readAll(bookmarksBy, func(b Bookmark) (ID, exportAction) { return action(b.ID, b.TweetID, b.CreatedAt) })
	return likes, reposts, bookmarks, err
}

// readAll pages through a list newest first (page reads the rows below
// a cursor) and returns every row as convert makes it, with the id that
// pages further.
func readAll[T, E any](page func(before ID) ([]T, error), convert func(T) (ID, E)) ([]E, error) {
	out := []E{}
	var before ID
	for pages := 0; pages < exportMaxPages; pages++ {
		rows, err := page(before)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			var e E
			before, e = convert(row)
			out = append(out, e)
		}
		if len(rows) < exportPageSize {
			break
		}
	}
	return out, nil
}

// writeFile copies one media file into the archive. Images are stored,
// not deflated: they are compressed already.
func (x *Export) writeFile(ctx context.Context, create func(string, uint16) (io.Writer, error), key string) error {
	b, err := x.svc.Blobs.Open(ctx, key)
	if errors.Is(err, ErrNotFound) {
		x.Missing = append(x.Missing, key)
		return nil
	}
	if err != nil {
		return err
	}
	defer b.Close()
	f, err := create("media/"+key, zip.Store)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, b)
	return err
}

func toExportTweet(t Tweet) exportTweet {
	e := exportTweet{ID: t.ID.String(), Text: t.Text, CreatedAt: t.CreatedAt.UTC(), Media: []exportMedia{}}
	for _, m := range t.Media {
		e.Media = append(e.Media, exportMedia{File: "media/" + m.Key, Alt: m.Alt, ContentType: m.ContentType, Width: m.Width, Height: m.Height, Size: m.Size})
	}
	return e
}
