package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates holds one parsed set per page: the layout, the shared
// partials and the page itself.
type templates struct {
	pages map[string]*template.Template
	// tweets writes the tweet partial, for the pages that list tweets.
	tweets tweetWriter
}

// loadTemplates parses every page. Media links go to mediaBase/key:
// /media through this server, or the bucket's public URL.
func loadTemplates(a *assets, mediaBase string) (*templates, error) {
	funcs := templateFuncs(a, mediaBase)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}, tweets: tweetWriter{mediaBase: mediaBase}}
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

// templateFuncs are the functions the templates call.
func templateFuncs(a *assets, mediaBase string) template.FuncMap {
	return template.FuncMap{
		"static":      func(name string) string { return "/static/" + a.path(name) },
		"timeISO":     timeISO,
		"timeHuman":   timeHuman,
		"timeAgo":     timeAgo,
		"dayName":     func(t time.Time) string { return t.UTC().Format("Mon Jan 2") },
		"mediaURL":    func(key string) string { return mediaBase + "/" + key },
		"placeholder": placeholder,
		"avatar":      newAvatar,
		"maxLength":   func() int { return tweets.MaxTweetLength },
		"followsURL":  followersURL,
		"excerpt":     func(s string) string { return tweets.Excerpt(s, 80) },
		"linkLen":     func() int { return tweets.LinkLength },
		"maxImages":   func() int { return tweets.MaxImages },
		"maxAlt":      func() int { return tweets.MaxAltLength },
		"moreImages":  func() []int { return []int{2, 3, 4} },
		"inc":         func(i int) int { return i + 1 },
		"richText":    func(text string) template.HTML { return middleware.TweetHTML(text, "", false) },
		"tagPath":     middleware.TagPath,
		"tweetHTML":   tweetWriter{mediaBase: mediaBase}.html,
		"unseen":      unseenLabel,
		"item": func(u *tweets.User, csrf string, t tweets.Tweet) tweetItem {
			return tweetItem{User: u, CSRF: csrf, Tweet: t}
		},
	}
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
	if conditional(w, r, status, buf.Bytes()) {
		return
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// tweetItem is what the "tweet" partial shows: one tweet, and who is
// looking (for the delete button).
type tweetItem struct {
	User  *tweets.User
	CSRF  string
	Tweet tweets.Tweet
	Back  string // where the like and repost forms return to
}

// page is what every page's layout needs.
type page struct {
	Title string
	User  *tweets.User
	CSRF  string
	Flash string
	// Here is the page's own address, where its forms send the browser
	// back to.
	Here string
	// Unseen counts the reader's new notifications, for the navigation.
	Unseen int
	Feed   string   // the address of the page's Atom feed, if it has one
	Live   liveInfo // the timeline static/live.js keeps up to date, if any

	tweets tweetWriter
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title string) page {
	here := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		here = "/"
	}
	p := page{Title: title, User: currentUser(r), CSRF: s.csrfToken(w, r), Flash: s.takeFlash(w, r), Here: here,
		tweets: s.tmpl.tweets}
	if p.User != nil {
		// A page without the count is better than no page.
		p.Unseen, _ = s.svc.UnseenNotifications(r.Context(), *p.User)
	}
	return p
}

// Item is what the tweet partial needs to show t on this page.
func (p page) Item(t tweets.Tweet) tweetItem {
	return tweetItem{User: p.User, CSRF: p.CSRF, Tweet: t, Back: p.Here}
}

// TweetList shows a list of tweets, each as the tweet partial would, in
// one call: a page's twenty calls of the partial through the template
// cost more than writing the tweets.
func (p page) TweetList(ts []tweets.Tweet) template.HTML {
	var b strings.Builder
	b.Grow(len(ts) * 2048)
	for _, t := range ts {
		b.WriteString("\n  ")
		p.tweets.write(&b, p.Item(t))
	}
	return template.HTML(b.String()) // #nosec G203 -- the tweet writer escapes every value it writes
}

// unseenLabel is the navigation's count of unseen notifications.
func unseenLabel(n int) string {
	if n >= tweets.UnseenCap {
		return strconv.Itoa(tweets.UnseenCap-1) + "+"
	}
	return strconv.Itoa(n)
}

// timeISO and timeHuman write a moment for machines and for people.
func timeISO(t time.Time) string   { return t.UTC().Format(time.RFC3339) }
func timeHuman(t time.Time) string { return t.UTC().Format("Jan 2, 2006 · 15:04 UTC") }

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
