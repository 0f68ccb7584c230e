package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
)

// back answers a like, repost or follow form: to the page it came from
// (a local path only), or to fallback.
func back(w http.ResponseWriter, r *http.Request, fallback string) error {
	next := r.PostForm.Get("next")
	if next == "" {
		next = fallback
	}
	return redirect(w, r, localPath(next))
}

// tweetActions are the like and repost buttons under a tweet, by the
// last part of their address.
var tweetActions = map[string]func(svc *tweets.Service, r *http.Request, u tweets.User, id tweets.ID) error{
	"like": func(svc *tweets.Service, r *http.Request, u tweets.User, id tweets.ID) error {
		return svc.Like(r.Context(), u, id)
	},
	"unlike": func(svc *tweets.Service, r *http.Request, u tweets.User, id tweets.ID) error {
		return svc.Unlike(r.Context(), u, id)
	},
	"repost": func(svc *tweets.Service, r *http.Request, u tweets.User, id tweets.ID) error {
		return svc.Repost(r.Context(), u, id)
	},
	"unrepost": func(svc *tweets.Service, r *http.Request, u tweets.User, id tweets.ID) error {
		return svc.Unrepost(r.Context(), u, id)
	},
}

// tweetAction handles POST /tweets/{id}/{action}.
func (s *Server) tweetAction(w http.ResponseWriter, r *http.Request) error {
	act, ok := tweetActions[r.PathValue("action")]
	if !ok {
		return tweets.Errorf(tweets.CodeNotFound, "There is no page at this address.")
	}
	u, id, err := s.userPostOn(w, r)
	if err != nil {
		return err
	}
	if err := act(s.svc, r, *u, id); err != nil {
		return err
	}
	return back(w, r, "/")
}

// accountActions are the buttons on a profile, by the last part of
// their address.
var accountActions = map[string]func(svc *tweets.Service, r *http.Request, u tweets.User, name string) (tweets.User, error){
	"follow": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Follow(r.Context(), u, n)
	},
	"unfollow": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Unfollow(r.Context(), u, n)
	},
	"block": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Block(r.Context(), u, n)
	},
	"unblock": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Unblock(r.Context(), u, n)
	},
	"mute": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Mute(r.Context(), u, n)
	},
	"unmute": func(svc *tweets.Service, r *http.Request, u tweets.User, n string) (tweets.User, error) {
		return svc.Unmute(r.Context(), u, n)
	},
}

// accountAction handles POST /users/{name}/{action}.
func (s *Server) accountAction(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	act, ok := accountActions[r.PathValue("action")]
	if !ok {
		return tweets.Errorf(tweets.CodeNotFound, "There is no page at this address.")
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	target, err := act(s.svc, r, *u, r.PathValue("name"))
	if err != nil {
		return err
	}
	return back(w, r, "/@"+target.Username)
}

type followPage struct {
	page
	Account   tweets.User
	Followers bool // followers, or the accounts followed
	Entries   []tweets.FollowEntry
	Older     string
}

func (s *Server) followList(w http.ResponseWriter, r *http.Request, followers bool) error {
	name, err := handleName(r)
	if err != nil {
		return err
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	u, es, err := s.svc.FollowList(r.Context(), name, followers, cursor)
	if err != nil {
		return err
	}
	title := "People @" + u.Username + " follows"
	if followers {
		title = "People who follow @" + u.Username
	}
	p := followPage{page: s.newPage(w, r, title), Account: u, Followers: followers, Entries: es}
	if n := len(es); n > 0 {
		p.Older = olderLink(r.URL, n, tweets.FollowPageSize, es[n-1].FollowID)
	}
	s.render(w, r, http.StatusOK, "follows.html", p)
	return nil
}

// followersURL is the address of an account's followers (or following)
// list, for templates.
func followersURL(username string, followers bool) string {
	kind := "following"
	if followers {
		kind = "followers"
	}
	return (&url.URL{Path: "/@" + username + "/" + kind}).String()
}

type notificationsPage struct {
	page
	Groups []tweets.NotificationGroup
	Older  string
}

// notifications lists what others did that concerns the reader; seeing
// the first page marks them seen.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	groups, next, err := s.svc.Notifications(r.Context(), *u, cursor)
	if err != nil {
		return err
	}
	p := notificationsPage{page: s.newPage(w, r, "Notifications"), Groups: groups}
	if next != 0 {
		p.Older = "/notifications?before=" + next.String()
	}
	s.render(w, r, http.StatusOK, "notifications.html", p)
	return nil
}

// tweetByID sends /tweets/ID to the tweet's permalink, for links that
// know the id only (notifications).
func (s *Server) tweetByID(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.Tweet(r.Context(), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/@"+t.Author+"/"+t.ID.String(), http.StatusFound)
	return nil
}

type editPage struct {
	page
	Tweet tweets.Tweet
	Text  string
	Error string
}

// editForm shows the author a form to change a tweet's text.
func (s *Server) editForm(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.EditableTweet(r.Context(), *u, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "edit.html", editPage{page: s.newPage(w, r, "Edit your tweet"), Tweet: t, Text: t.Text})
	return nil
}

// editTweet saves an edit, or shows the form again with the error and
// the text kept.
func (s *Server) editTweet(w http.ResponseWriter, r *http.Request) error {
	u, id, err := s.userPostOn(w, r)
	if err != nil {
		return err
	}
	t, err := s.svc.EditTweet(r.Context(), *u, id, r.PostForm.Get("text"))
	var e *tweets.Error
	if err != nil && asDomain(err, &e) && (e.Code == tweets.CodeInvalid || e.Code == tweets.CodeTooMany) {
		old, terr := s.svc.Tweet(r.Context(), id)
		if terr != nil {
			return terr
		}
		setRetryAfter(w, err)
		s.render(w, r, statusOf(err), "edit.html", editPage{page: s.newPage(w, r, "Edit your tweet"), Tweet: old,
			Text: tweets.EchoTweet(r.PostForm.Get("text")), Error: e.Message})
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(w, r, "Tweet edited.")
	return redirect(w, r, "/@"+t.Author+"/"+t.ID.String())
}

type historyPage struct {
	page
	Tweet    tweets.Tweet
	Versions []tweets.Version
}

// history lists a tweet's earlier texts.
func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	name, err := handleName(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, vs, err := s.svc.History(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	if !strings.EqualFold(t.Author, name) {
		return tweets.Errorf(tweets.CodeNotFound, "This tweet does not exist, or was deleted.")
	}
	s.render(w, r, http.StatusOK, "history.html", historyPage{page: s.newPage(w, r, "Edit history"), Tweet: t, Versions: vs})
	return nil
}

type quotePage struct {
	page
	Compose composeForm
}

// quoteForm shows the compose form with the tweet to quote.
func (s *Server) quoteForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.svc.VisibleTweet(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "quote.html", quotePage{page: s.newPage(w, r, "Quote a tweet"), Compose: composeForm{Show: true, Quote: &t}})
	return nil
}
