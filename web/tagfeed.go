package web

import (
	"encoding/xml"
	"html/template"
	"net/http"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// siteURL is the address of this site as the request reached it, for
// the absolute URLs a feed needs. The Host has passed the allowed-hosts
// check.
func (s *Server) siteURL(r *http.Request) string {
	if middleware.IsTLS(r, s.opt.TrustedProxies) {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// tagFeed writes the Atom feed of a hashtag's newest tweets. Each
// entry's content is the tweet as HTML, with absolute links and its
// images; the XML encoder escapes that HTML once, as type="html" wants.
func (s *Server) tagFeed(w http.ResponseWriter, r *http.Request, tag string, ts []tweets.Tweet) error {
	site := s.siteURL(r)
	page := site + middleware.TagPath(tag)
	f := atomFeed{
		ID:      page,
		Title:   "#" + tag + " · tweets",
		Updated: time.Now().UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: r.Host, URI: site + "/"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: page + ".atom"},
			{Rel: "alternate", Type: "text/html", Href: page},
		},
	}
	if len(ts) > 0 {
		f.Updated = ts[0].CreatedAt.UTC().Format(time.RFC3339)
	}
	for _, t := range ts {
		profile := site + "/@" + t.Author
		permalink := profile + "/" + t.ID.String()
		content := string(middleware.TweetHTML(t.Text, site, true))
		for _, m := range t.Media {
			content += `<p><img src="` + template.HTMLEscapeString(s.mediaBase(site)+"/"+m.Key) +
				`" alt="Image attached by @` + template.HTMLEscapeString(t.Author) + `"></p>`
		}
		title := "@" + t.Author
		if excerpt := tweets.Excerpt(t.Text, 80); excerpt != "" {
			title += ": " + excerpt
		}
		when := t.CreatedAt.UTC().Format(time.RFC3339)
		f.Entries = append(f.Entries, atomEntry{
			ID:        permalink,
			Title:     title,
			Updated:   when,
			Published: when,
			Author:    &atomPerson{Name: "@" + t.Author, URI: profile},
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: permalink},
			Content:   atomText{Type: "html", Body: content},
		})
	}
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	body = append([]byte(xml.Header), body...)
	if conditional(w, r, http.StatusOK, body) {
		return nil
	}
	_, _ = w.Write(body)
	return nil
}
