package web

import (
	"net/http"
	"net/url"

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

// tweetAction handles the like, unlike, repost and unrepost forms.
func (s *Server) tweetAction(act func(svc *tweets.Service) func(r *http.Request, u tweets.User, id tweets.ID) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, id, err := s.userPostOn(w, r)
		if err != nil {
			return err
		}
		if err := act(s.svc)(r, *u, id); err != nil {
			return err
		}
		return back(w, r, "/")
	}
}

func like(svc *tweets.Service) func(*http.Request, tweets.User, tweets.ID) error {
	return func(r *http.Request, u tweets.User, id tweets.ID) error { return svc.Like(r.Context(), u, id) }
}

func unlike(svc *tweets.Service) func(*http.Request, tweets.User, tweets.ID) error {
	return func(r *http.Request, u tweets.User, id tweets.ID) error { return svc.Unlike(r.Context(), u, id) }
}

func repost(svc *tweets.Service) func(*http.Request, tweets.User, tweets.ID) error {
	return func(r *http.Request, u tweets.User, id tweets.ID) error { return svc.Repost(r.Context(), u, id) }
}

func unrepost(svc *tweets.Service) func(*http.Request, tweets.User, tweets.ID) error {
	return func(r *http.Request, u tweets.User, id tweets.ID) error { return svc.Unrepost(r.Context(), u, id) }
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
