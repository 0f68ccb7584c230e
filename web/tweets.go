package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
)

type timelinePage struct {
	page
	Heading string
	Profile *tweets.User // set on profile pages
	Tweets  []tweets.Tweet
	Older   string // URL of the next page, empty on the last
	Compose composeForm
}

type composeForm struct {
	Show  bool
	Text  string
	Error string
	Field string
}

func asDomain(err error, target **tweets.Error) bool { return errors.As(err, target) }

// before reads the ?before= cursor.
func before(r *http.Request) (tweets.ID, error) {
	v := r.URL.Query().Get("before")
	if v == "" {
		return 0, nil
	}
	id, err := tweets.ParseID(v)
	if err != nil {
		return 0, tweets.Errorf(tweets.CodeInvalid, "The page cursor %q is not valid.", v)
	}
	return id, nil
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	return s.renderTimeline(w, r, http.StatusOK, composeForm{})
}

func (s *Server) renderTimeline(w http.ResponseWriter, r *http.Request, status int, form composeForm) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.Timeline(r.Context(), tweets.TimelineQuery{Before: cursor, Limit: tweets.TimelinePageSize})
	if err != nil {
		return err
	}
	form.Show = currentUser(r) != nil
	p := timelinePage{page: s.newPage(w, r, "Home"), Heading: "Latest tweets", Tweets: ts, Compose: form, Older: olderPage(&url.URL{Path: "/"}, ts)}
	s.render(w, r, status, "timeline.html", p)
	return nil
}

// olderPage links to the timeline page after ts, or is empty when ts is
// short (the last page).
func olderPage(page *url.URL, ts []tweets.Tweet) string {
	if len(ts) == 0 {
		return ""
	}
	return olderLink(page, len(ts), tweets.TimelinePageSize, ts[len(ts)-1].ID)
}

func (s *Server) postTweet(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	done := func() {}
	defer func() { done() }()
	_, err = s.svc.Post(r.Context(), *u, func() (string, *tweets.Upload, error) {
		up, cleanup, err := s.parseUpload(w, r, "image")
		done = cleanup
		return r.PostFormValue("text"), up, err
	})
	if err != nil {
		return s.composeFailed(w, r, err)
	}
	s.flash(w, r, "Tweet posted successfully!")
	return redirect(w, r, "/")
}

// composeFailed shows the timeline again with the error next to the
// form and the text as typed (up to a little over the limit), so nothing
// is lost.
func (s *Server) composeFailed(w http.ResponseWriter, r *http.Request, err error) error {
	var e *tweets.Error
	if !asDomain(err, &e) || e.Code == tweets.CodeForbidden {
		return err
	}
	r.URL.RawQuery = ""
	setRetryAfter(w, err)
	// Only a form already read: reading it here would spool an upload
	// that the request was refused before reading (a throttled post).
	text := tweets.EchoTweet(r.PostForm.Get("text"))
	return s.renderTimeline(w, r, statusOf(err), composeForm{Text: text, Error: e.Message, Field: e.Field})
}

func (s *Server) deleteTweet(w http.ResponseWriter, r *http.Request) error {
	u, id, err := s.userPostOn(w, r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteTweet(r.Context(), *u, id); err != nil {
		return err
	}
	s.flash(w, r, "Tweet deleted.")
	return redirect(w, r, "/")
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (tweets.ID, error) { return tweets.ParseID(r.PathValue("id")) }

// userPostOn starts every logged-in form POST about one thing named in
// the path: it returns the user and the id once the form and its CSRF
// token are checked.
func (s *Server) userPostOn(w http.ResponseWriter, r *http.Request) (*tweets.User, tweets.ID, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, 0, err
	}
	if err := s.parseForm(w, r); err != nil {
		return nil, 0, err
	}
	id, err := pathID(r)
	return u, id, err
}

// handleName returns the username of an /@name path segment.
func handleName(r *http.Request) (string, error) {
	h := r.PathValue("handle")
	if !strings.HasPrefix(h, "@") || len(h) < 2 {
		return "", tweets.Errorf(tweets.CodeNotFound, "There is no page at this address.")
	}
	return h[1:], nil
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	name, err := handleName(r)
	if err != nil {
		return err
	}
	u, err := s.svc.UserByUsername(r.Context(), name)
	if err != nil {
		return err
	}
	if u.Username != name {
		return redirect(w, r, "/@"+u.Username) // one canonical address
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.Timeline(r.Context(), tweets.TimelineQuery{AuthorID: u.ID, Before: cursor, Limit: tweets.TimelinePageSize})
	if err != nil {
		return err
	}
	p := timelinePage{page: s.newPage(w, r, "@"+u.Username), Heading: "@" + u.Username, Profile: &u, Tweets: ts, Older: olderPage(&url.URL{Path: "/@" + u.Username}, ts)}
	s.render(w, r, http.StatusOK, "timeline.html", p)
	return nil
}

type tweetPage struct {
	page
	Tweet tweets.Tweet
}

func (s *Server) permalink(w http.ResponseWriter, r *http.Request) error {
	name, err := handleName(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.Tweet(r.Context(), id)
	if err != nil {
		return err
	}
	if !strings.EqualFold(t.Author, name) {
		return tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	s.render(w, r, http.StatusOK, "tweet.html", tweetPage{page: s.newPage(w, r, "@"+t.Author+": "+tweets.Excerpt(t.Text, 50)), Tweet: t})
	return nil
}
