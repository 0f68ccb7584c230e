package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates holds one parsed set per page: the layout, the shared
// partials and the page itself.
type templates struct {
	pages map[string]*template.Template
}

func loadTemplates(a *assets) (*templates, error) {
	funcs := template.FuncMap{
		"static":    func(name string) string { return "/static/" + a.path(name) },
		"timeISO":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"timeHuman": func(t time.Time) string { return t.UTC().Format("Jan 2, 2006 · 15:04 UTC") },
		"timeAgo":   timeAgo,
		"dayName":   func(t time.Time) string { return t.UTC().Format("Mon Jan 2") },
		"mediaURL":  func(m tweets.Media) string { return "/media/" + m.Key },
		"maxLength": func() int { return tweets.MaxTweetLength },
		"linkLen":   func() int { return tweets.LinkLength },
		"richText":  richText,
		"tagPath":   tagPath,
		"item": func(u *tweets.User, csrf string, t tweets.Tweet) tweetItem {
			return tweetItem{User: u, CSRF: csrf, Tweet: t}
		},
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		set, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		t.pages[base] = set
	}
	return t, nil
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	set, ok := s.tmpl.pages[name]
	var buf bytes.Buffer
	var err error
	if !ok {
		err = fmt.Errorf("no template %s", name)
	} else {
		err = set.ExecuteTemplate(&buf, "layout", data)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "render failed", "template", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("500 Internal Server Error\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// tweetItem is what the "tweet" partial shows: one tweet, and who is
// looking (for the delete button).
type tweetItem struct {
	User  *tweets.User
	CSRF  string
	Tweet tweets.Tweet
}

// page is what every page's layout needs.
type page struct {
	Title string
	User  *tweets.User
	CSRF  string
	Flash string
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title string) page {
	return page{Title: title, User: currentUser(r), CSRF: s.csrfToken(w, r), Flash: s.takeFlash(w, r)}
}

func timeAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 365*24*time.Hour:
		return t.UTC().Format("Jan 2")
	}
	return t.UTC().Format("Jan 2, 2006")
}
