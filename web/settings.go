package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

type settingsView struct {
	page
}

// settingsPage shows the account and the way to download its data.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings.html", settingsView{page: s.newPage(w, r, "Settings")})
	return nil
}

// Export limits. Tweet ids only decrease from page to page, so paging
// ends anyway; the bound stops a store that ignored the cursor from
// looping for ever.
const (
	exportPageSize = 100
	exportMaxPages = 1_000_000 / exportPageSize
	// exportWriteTime replaces the server's write timeout, which is
	// sized for pages, not for an archive of every image on a slow link.
	exportWriteTime = 30 * time.Minute
)

// The files of an export. Ids are strings because JavaScript numbers
// cannot hold 64 bits.
type (
	exportAccount struct {
		ID        string    `json:"id"`
		Username  string    `json:"username"`
		CreatedAt time.Time `json:"created_at"`
		IsAdmin   bool      `json:"is_admin"`
	}
	exportTweet struct {
		ID        string        `json:"id"`
		Text      string        `json:"text"`
		CreatedAt time.Time     `json:"created_at"`
		Media     []exportMedia `json:"media"`
	}
	exportMedia struct {
		File        string `json:"file"` // its path in the archive
		ContentType string `json:"content_type"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Size        int64  `json:"size"`
	}
	// exportFollows keeps the shape that follows will fill.
	exportFollows struct {
		Following []string `json:"following"`
		Followers []string `json:"followers"`
	}
)

// exportData sends the user's account, tweets and media as a ZIP file.
// The archive is streamed as it is made: only the list of media keys is
// held in memory, however many tweets there are.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	q := tweets.TimelineQuery{AuthorID: u.ID, Limit: exportPageSize, IncludeSuspended: true}
	// The first page is read before any byte is sent, so that a database
	// that is down gives an error page rather than a broken download.
	first, err := s.svc.Timeline(ctx, q)
	if err != nil {
		return err
	}
	now := time.Now
	if s.svc.Now != nil {
		now = s.svc.Now
	}
	name := fmt.Sprintf("tweets-export-%s-%s.zip", u.Username, now().UTC().Format("2006-01-02"))
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
	w.WriteHeader(http.StatusOK)
	if err := s.writeExport(ctx, w, *u, first, q); err != nil {
		// The headers are gone: cut the connection, so that the browser
		// reports a failed download instead of saving half an archive.
		s.log.ErrorContext(ctx, "export failed", "user", u.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// writeExport writes the archive: account.json, tweets.json (newest
// first, read page by page), follows.json, then media/<key> files.
func (s *Server) writeExport(ctx context.Context, w io.Writer, u tweets.User, page []tweets.Tweet, q tweets.TimelineQuery) error {
	zw := zip.NewWriter(w)
	modified := time.Now().UTC()
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

	if err := writeJSON("account.json", exportAccount{ID: u.ID.String(), Username: u.Username, CreatedAt: u.CreatedAt.UTC(), IsAdmin: u.IsAdmin}); err != nil {
		return err
	}
	f, err := create("tweets.json", zip.Deflate)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, "["); err != nil {
		return err
	}
	var media []tweets.Media
	sep := "\n  "
	for pages := 1; ; pages++ {
		for _, t := range page {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			// Tweets are meant to be read: keep < and & as they are.
			enc.SetEscapeHTML(false)
			enc.SetIndent("  ", "  ")
			if err := enc.Encode(toExportTweet(t)); err != nil {
				return err
			}
			if _, err := io.WriteString(f, sep+strings.TrimSuffix(b.String(), "\n")); err != nil {
				return err
			}
			sep = ",\n  "
			media = append(media, t.Media...)
		}
		if len(page) < q.Limit {
			break
		}
		next := page[len(page)-1].ID
		if pages >= exportMaxPages || (q.Before != 0 && next >= q.Before) {
			return errors.New("export: the timeline did not end; is the cursor ignored?")
		}
		q.Before = next
		if page, err = s.svc.Timeline(ctx, q); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(f, "\n]\n"); err != nil {
		return err
	}
	if err := writeJSON("follows.json", exportFollows{Following: []string{}, Followers: []string{}}); err != nil {
		return err
	}
	for _, m := range media {
		if err := s.exportFile(ctx, create, m.Key); err != nil {
			return err
		}
	}
	return zw.Close()
}

// exportFile copies one media file into the archive. Images are stored,
// not deflated: they are compressed already.
func (s *Server) exportFile(ctx context.Context, create func(string, uint16) (io.Writer, error), key string) error {
	b, err := s.svc.Blobs.Open(ctx, key)
	if errors.Is(err, tweets.ErrNotFound) {
		// Deleted with its tweet while the export ran, or lost: the
		// rest of the archive is still worth having.
		s.log.WarnContext(ctx, "export: media file missing", "key", key)
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

func toExportTweet(t tweets.Tweet) exportTweet {
	e := exportTweet{ID: t.ID.String(), Text: t.Text, CreatedAt: t.CreatedAt.UTC(), Media: []exportMedia{}}
	for _, m := range t.Media {
		e.Media = append(e.Media, exportMedia{File: "media/" + m.Key, ContentType: m.ContentType, Width: m.Width, Height: m.Height, Size: m.Size})
	}
	return e
}
