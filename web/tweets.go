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
	Profile *tweets.ProfileView // set on profile pages
	Tweets  []tweets.Tweet
	Older   string // URL of the next page, empty on the last
	Compose composeForm
}

type composeForm struct {
	Show    bool
	ReplyTo tweets.ID     // the tweet answered, on a thread's reply form
	Quote   *tweets.Tweet // the tweet quoted, on the quote form
	// Alts keeps the image descriptions typed, after a refusal (files
	// cannot be sent back to a browser; their descriptions can).
	Alts  [tweets.MaxImages]string
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
		// Not echoed: the cursor is any length the URL may be.
		return 0, tweets.Errorf(tweets.CodeInvalid, "The page cursor (before=) is not valid.")
	}
	return id, nil
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	return s.renderTimeline(w, r, http.StatusOK, composeForm{})
}

// renderTimeline shows / : the home timeline of a logged-in user, the
// public one to everyone else.
func (s *Server) renderTimeline(w http.ResponseWriter, r *http.Request, status int, form composeForm) error {
	u := currentUser(r)
	if u == nil {
		return s.renderPublic(w, r, "/")
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.Timeline(r.Context(), tweets.TimelineQuery{Home: u.ID, Viewer: u.ID, Before: cursor, Limit: tweets.TimelinePageSize})
	if err != nil {
		return err
	}
	form.Show = true
	p := timelinePage{page: s.newPage(w, r, "Home"), Heading: "Home", Tweets: ts, Compose: form, Older: olderPage(&url.URL{Path: "/"}, ts)}
	p.Live = liveMarker("home", cursor, ts)
	s.render(w, r, status, "timeline.html", p)
	return nil
}

// publicTimeline shows every tweet, newest first, at /public.
func (s *Server) publicTimeline(w http.ResponseWriter, r *http.Request) error {
	return s.renderPublic(w, r, "/public")
}

func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, path string) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	q := tweets.TimelineQuery{Before: cursor, Limit: tweets.TimelinePageSize}
	if u := currentUser(r); u != nil {
		q.Viewer = u.ID
	}
	ts, err := s.svc.Timeline(r.Context(), q)
	if err != nil {
		return err
	}
	p := timelinePage{page: s.newPage(w, r, "Latest tweets"), Heading: "Latest tweets", Tweets: ts, Older: olderPage(&url.URL{Path: path}, ts)}
	p.Live = liveMarker("public", cursor, ts)
	s.render(w, r, http.StatusOK, "timeline.html", p)
	return nil
}

// olderPage links to the timeline page after ts, or is empty when ts is
// short (the last page).
func olderPage(page *url.URL, ts []tweets.Tweet) string {
	if len(ts) == 0 {
		return ""
	}
	return olderLink(page, len(ts), tweets.TimelinePageSize, ts[len(ts)-1].Item)
}

func (s *Server) postTweet(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	done := func() {}
	defer func() { done() }()
	t, err := s.svc.Post(r.Context(), *u, func() (tweets.Composed, error) {
		images, cleanup, err := s.parseUploads(w, r)
		done = cleanup
		if err != nil {
			return tweets.Composed{}, err
		}
		c := tweets.Composed{Text: r.PostFormValue("text"), Images: images, ReplyPolicy: tweets.ReplyPolicy(r.PostFormValue("reply_policy"))}
		if v := r.PostFormValue("quote_id"); v != "" {
			if c.Quote, err = tweets.ParseID(v); err != nil {
				return tweets.Composed{}, tweets.Invalid("text", "The tweet you are quoting was deleted.")
			}
		}
		if v := r.PostFormValue("reply_to"); v != "" {
			if c.ReplyTo, err = tweets.ParseID(v); err != nil {
				return tweets.Composed{}, tweets.Invalid("text", "The tweet you are replying to was deleted.")
			}
		}
		return c, nil
	})
	if err != nil {
		return s.composeFailed(w, r, err)
	}
	if t.ReplyTo != 0 {
		s.flash(w, r, "Reply posted.")
		return redirect(w, r, "/@"+t.ReplyToAuthor+"/"+t.ReplyTo.String())
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
	if e.Code == tweets.CodeUnavailable {
		s.logUnavailable(r, err)
	}
	// Only a form already read: reading it here would spool an upload
	// that the request was refused before reading (a throttled post).
	text := tweets.EchoTweet(r.PostForm.Get("text"))
	form := composeForm{Text: text, Error: e.Message, Field: e.Field}
	for i, f := range imageFields {
		form.Alts[i] = tweets.Echo(r.PostForm.Get(f[1]), tweets.MaxAltLength)
	}
	// A refused quote comes back with the tweet it quotes.
	if quoted, qerr := tweets.ParseID(r.PostForm.Get("quote_id")); qerr == nil {
		if t, terr := s.svc.VisibleTweet(r.Context(), currentUser(r), quoted); terr == nil {
			form.Show, form.Quote = true, &t
			s.render(w, r, statusOf(err), "quote.html", quotePage{page: s.newPage(w, r, "Quote a tweet"), Compose: form})
			return nil
		}
	}
	// A refused reply comes back on its thread, if the thread is there.
	if parent, perr := tweets.ParseID(r.PostForm.Get("reply_to")); perr == nil {
		if t, terr := s.svc.Tweet(r.Context(), parent); terr == nil {
			return s.renderThread(w, r, statusOf(err), t.Author, t.ID, form)
		}
	}
	return s.renderTimeline(w, r, statusOf(err), form)
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
	if strings.HasSuffix(r.PathValue("handle"), feedSuffix) {
		return s.profileFeed(w, r)
	}
	name, err := handleName(r)
	if err != nil {
		return err
	}
	prof, err := s.svc.Profile(r.Context(), currentUser(r), name)
	if err != nil {
		return err
	}
	u := prof.User
	if u.Username != name {
		return redirect(w, r, "/@"+u.Username) // one canonical address
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	q := tweets.TimelineQuery{AuthorID: u.ID, Before: cursor, Limit: tweets.TimelinePageSize}
	if v := currentUser(r); v != nil {
		q.Viewer = v.ID
	}
	ts, err := s.svc.Timeline(r.Context(), q)
	if err != nil {
		return err
	}
	title := "@" + u.Username
	if u.DisplayName != "" {
		title = u.DisplayName + " (@" + u.Username + ")"
	}
	p := timelinePage{page: s.newPage(w, r, title), Heading: u.Name(), Profile: &prof, Tweets: ts, Older: olderPage(&url.URL{Path: "/@" + u.Username}, ts)}
	p.Feed = "/@" + u.Username + feedSuffix
	s.render(w, r, http.StatusOK, "timeline.html", p)
	return nil
}

type tweetPage struct {
	page
	Thread  tweets.Thread
	Compose composeForm
}

func (s *Server) permalink(w http.ResponseWriter, r *http.Request) error {
	// /@name/followers and /@name/following share the pattern: a
	// literal second segment would clash with /media/{key}.
	switch r.PathValue("id") {
	case "followers":
		return s.followList(w, r, true)
	case "following":
		return s.followList(w, r, false)
	}
	name, err := handleName(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.renderThread(w, r, http.StatusOK, name, id, composeForm{})
}

// renderThread shows a tweet with its conversation and, for a logged-in
// reader, a reply form (with form's error and text after a refusal).
func (s *Server) renderThread(w http.ResponseWriter, r *http.Request, status int, name string, id tweets.ID, form composeForm) error {
	th, err := s.svc.Thread(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	t := th.Tweet
	if !strings.EqualFold(t.Author, name) {
		return tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	form.Show, form.ReplyTo = th.CanReply, t.ID
	p := tweetPage{page: s.newPage(w, r, "@"+t.Author+": "+tweets.Excerpt(t.Text, 50)), Thread: th, Compose: form}
	p.Here = "/@" + t.Author + "/" + t.ID.String()
	s.render(w, r, status, "tweet.html", p)
	return nil
}
