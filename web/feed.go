package web

import (
	"bytes"
	"encoding/xml"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// feedSuffix ends the address of a profile's Atom feed: /@name.atom.
const feedSuffix = ".atom"

// feedSize is how many of the newest tweets a feed carries.
const feedSize = 20

// profileFeed serves /@name.atom: the newest tweets of an account as an
// Atom feed, with absolute addresses on the host and scheme the request
// came by (the host is one that the allowed-hosts check let through).
func (s *Server) profileFeed(w http.ResponseWriter, r *http.Request) error {
	name, err := handleName(r)
	if err != nil {
		return err
	}
	name = strings.TrimSuffix(name, feedSuffix)
	u, err := s.svc.UserByUsername(r.Context(), name)
	if err != nil {
		return err
	}
	if u.Username != name {
		return redirect(w, r, "/@"+u.Username+feedSuffix)
	}
	ts, err := s.svc.Timeline(r.Context(), tweets.TimelineQuery{AuthorID: u.ID, Limit: feedSize})
	if err != nil {
		return err
	}
	scheme := "http"
	if middleware.IsTLS(r, s.opt.TrustedProxies) {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	profile := base + "/@" + u.Username
	f := atomFeed{
		ID:      profile,
		Title:   u.Name() + " on tweets",
		Updated: atomTime(u.CreatedAt),
		Author:  atomPerson{Name: u.Name(), URI: profile},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: profile + feedSuffix},
			{Rel: "alternate", Type: "text/html", Href: profile},
		},
	}
	if len(ts) > 0 {
		f.Updated = atomTime(ts[0].CreatedAt)
	}
	for _, t := range ts {
		permalink := profile + "/" + t.ID.String()
		f.Entries = append(f.Entries, atomEntry{
			ID:        permalink,
			Title:     entryTitle(t),
			Updated:   atomTime(t.CreatedAt),
			Published: atomTime(t.CreatedAt),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: permalink},
			Content:   atomText{Type: "html", Body: entryHTML(base, s.mediaBase(base), t)},
		})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if conditional(w, r, http.StatusOK, buf.Bytes()) {
		return nil
	}
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func entryTitle(t tweets.Tweet) string {
	if t.Text == "" || tweets.IsBlank(t.Text) {
		return "An image by @" + t.Author
	}
	return tweets.Excerpt(t.Text, 80)
}

// entryHTML is a tweet as the HTML that an entry's content carries: the
// text escaped once here (the XML encoder escapes the whole once more),
// line breaks kept, and the images.
func entryHTML(base, mediaBase string, t tweets.Tweet) string {
	var b strings.Builder
	if t.Text != "" {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(t.Text), "\n", "<br>\n"))
		b.WriteString("</p>")
	}
	for _, m := range t.Media {
		b.WriteString(`<p><img src="` + html.EscapeString(mediaBase+"/"+m.Key) + `" alt="Image attached by @` +
			html.EscapeString(t.Author) + `"></p>`)
	}
	return b.String()
}
