package web

import (
	"net/http"

	"github.com/tweetsdev/tweets"
)

type authPage struct {
	page
	Action   string // "login" or "signup"
	Username string
	Next     string
	Error    string
	Field    string
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		return redirect(w, r, "/")
	}
	s.render(w, r, http.StatusOK, "auth.html", authPage{page: s.newPage(w, r, "Sign up"), Action: "signup"})
	return nil
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		return redirect(w, r, localPath(r.URL.Query().Get("next")))
	}
	s.render(w, r, http.StatusOK, "auth.html", authPage{page: s.newPage(w, r, "Log in"), Action: "login", Next: localPath(r.URL.Query().Get("next"))})
	return nil
}

// authFailed shows the form again with the error, keeping the username.
func (s *Server) authFailed(w http.ResponseWriter, r *http.Request, action, title string, err error) error {
	var e *tweets.Error
	if !asDomain(err, &e) || e.Code == tweets.CodeTooLarge {
		return err
	}
	p := authPage{page: s.newPage(w, r, title), Action: action, Username: r.PostForm.Get("username"),
		Next: localPath(r.PostForm.Get("next")), Error: e.Message, Field: e.Field}
	s.render(w, r, statusOf(err), "auth.html", p)
	return nil
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ip := ClientIP(r, s.opt.TrustedProxies)
	if wait, blocked := s.signups.Blocked(r.Context(), ip); blocked {
		return s.authFailed(w, r, "signup", "Sign up", tweets.Errorf(tweets.CodeTooMany, "Too many sign-ups from your address. Try again in %s.", wait.Round(60e9)))
	}
	u, err := s.svc.SignUp(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		return s.authFailed(w, r, "signup", "Sign up", err)
	}
	s.signups.Fail(r.Context(), ip)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.flash(w, r, "Welcome to tweets, @"+u.Username+"!")
	return redirect(w, r, "/")
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	u, err := s.svc.LogIn(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"), ClientIP(r, s.opt.TrustedProxies))
	if err != nil {
		return s.authFailed(w, r, "login", "Log in", err)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.flash(w, r, "Welcome back, @"+u.Username+"!")
	return redirect(w, r, localPath(r.PostForm.Get("next")))
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u tweets.User) error {
	// A new session replaces any old one, so a session id planted before
	// log-in is worthless after it.
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.svc.EndSession(r.Context(), c.Value)
	}
	token, expires, err := s.svc.StartSession(r.Context(), u)
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, token, expires)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	s.flash(w, r, "You have logged out.")
	return redirect(w, r, "/")
}
