package web

import (
	"net/http"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
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
	p := authPage{page: s.newPage(w, r, title), Action: action, Username: tweets.Echo(r.PostForm.Get("username"), tweets.MaxUsernameLength),
		Next: localPath(r.PostForm.Get("next")), Error: e.Message, Field: e.Field}
	setRetryAfter(w, err)
	s.render(w, r, statusOf(err), "auth.html", p)
	return nil
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ip := middleware.ClientIP(r, s.opt.TrustedProxies)
	u, err := s.svc.SignUp(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"), ip)
	if err != nil {
		return s.authFailed(w, r, "signup", "Sign up", err)
	}
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
	attempt := tweets.LogInAttempt{Username: r.PostForm.Get("username"), Password: r.PostForm.Get("password"),
		ClientIP: middleware.ClientIP(r, s.opt.TrustedProxies)}
	if c, err := r.Cookie(deviceCookie); err == nil {
		attempt.Device = c.Value
	}
	u, device, err := s.svc.LogIn(r.Context(), attempt)
	if err != nil {
		return s.authFailed(w, r, "login", "Log in", err)
	}
	if device != "" {
		// Long-lived: it is what lets this browser in while someone
		// else is guessing the account's password.
		s.setCookie(w, r, deviceCookie, device, time.Now().Add(365*24*time.Hour))
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.flash(w, r, "Welcome back, @"+u.Username+"!")
	return redirect(w, r, localPath(r.PostForm.Get("next")))
}

// startSession logs u in. A new session replaces any old one, and a new
// CSRF seed any old one, so that neither a session id nor a CSRF seed
// planted before log-in is worth anything after it.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u tweets.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.svc.EndSession(r.Context(), c.Value)
	}
	token, expires, err := s.svc.StartSessionFrom(r.Context(), u, r.UserAgent())
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, token, expires)
	s.newCSRFSeed(w, r)
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
	s.newCSRFSeed(w, r)
	s.flash(w, r, "You have logged out.")
	return redirect(w, r, "/")
}
