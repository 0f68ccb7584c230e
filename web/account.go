package web

import (
	"net/http"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// settingsRoutes are the pages where users change their own accounts.
// Each form shows a refusal on itself (422, or 429 when throttled), with
// what was typed kept, passwords excepted.
func (s *Server) settingsRoutes(mux router) {
	mux.Handle("GET /settings/profile", s.handle(s.profileSettings))
	mux.Handle("POST /settings/profile", s.handle(s.saveProfile))
	mux.Handle("POST /settings/pictures", s.handle(s.savePictures))
	mux.Handle("GET /settings/password", s.handle(s.passwordSettings))
	mux.Handle("POST /settings/password", s.handle(s.changePassword))
	mux.Handle("GET /settings/sessions", s.handle(s.sessionSettings))
	mux.Handle("GET /settings/apps", s.handle(s.appsSettings))
	mux.Handle("POST /settings/apps/{id}/revoke", s.handle(s.revokeApp))
	mux.Handle("POST /settings/apps/tokens", s.handle(s.createToken))
	mux.Handle("POST /settings/sessions/{hash}/end", s.handle(s.endSession))
	mux.Handle("GET /settings/delete", s.handle(s.deleteSettings))
	mux.Handle("POST /settings/delete", s.handle(s.deleteAccount))
}

// settingsForm is a settings page with a form: the error of the last
// attempt, if any, and the field it is about.
type settingsForm struct {
	page
	Error string
	Field string
}

// showRefusal renders the page named name again, data, with err's
// message on its form. An error that a form cannot show (a bad CSRF
// token, a server error) comes back for the error page.
func (s *Server) showRefusal(w http.ResponseWriter, r *http.Request, err error, name string, form *settingsForm, data any) error {
	var e *tweets.Error
	if !asDomain(err, &e) || (e.Code != tweets.CodeInvalid && e.Code != tweets.CodeTooMany && e.Code != tweets.CodeTooLarge) {
		return err
	}
	setRetryAfter(w, err)
	form.Error, form.Field = e.Message, e.Field
	s.render(w, r, statusOf(err), name, data)
	return nil
}

// postedBy starts every settings POST: the logged-in user, once the form
// and its CSRF token are checked.
func (s *Server) postedBy(w http.ResponseWriter, r *http.Request) (*tweets.User, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	return u, s.parseForm(w, r)
}

// sessionToken is the token of the browser's session cookie, if any.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

type profileSettingsPage struct {
	settingsForm
	DisplayName string
	Bio         string
}

func (s *Server) profileSettings(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_profile.html", profileSettingsPage{
		settingsForm: settingsForm{page: s.newPage(w, r, "Edit profile")}, DisplayName: u.DisplayName, Bio: u.Bio})
	return nil
}

func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	name, bio := r.PostForm.Get("display_name"), r.PostForm.Get("bio")
	saved, err := s.svc.UpdateProfile(r.Context(), *u, tweets.Profile{DisplayName: name, Bio: bio})
	if err != nil {
		p := profileSettingsPage{settingsForm: settingsForm{page: s.newPage(w, r, "Edit profile")},
			DisplayName: tweets.Echo(name, tweets.MaxDisplayNameLength), Bio: tweets.Echo(bio, tweets.MaxBioLength)}
		return s.showRefusal(w, r, err, "settings_profile.html", &p.settingsForm, &p)
	}
	s.flash(w, r, "Your profile is saved.")
	return redirect(w, r, "/@"+saved.Username)
}

// savePictures stores a new avatar or header, or removes one. The form
// is multipart, without JavaScript: a file input and a "remove" box for
// each picture.
func (s *Server) savePictures(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	up, done, err := s.parseMultipart(w, r, 2)
	defer done()
	if err != nil {
		return err
	}
	var p tweets.Pictures
	if up != nil {
		if p.Avatar, err = up.file(r, "avatar"); err != nil {
			return err
		}
		if p.Header, err = up.file(r, "header"); err != nil {
			return err
		}
	}
	p.RemoveAvatar, p.RemoveHeader = r.PostForm.Get("remove_avatar") != "", r.PostForm.Get("remove_header") != ""
	saved, err := s.svc.UpdatePictures(r.Context(), *u, p)
	if err != nil {
		page := profileSettingsPage{settingsForm: settingsForm{page: s.newPage(w, r, "Edit profile")},
			DisplayName: u.DisplayName, Bio: u.Bio}
		return s.showRefusal(w, r, err, "settings_profile.html", &page.settingsForm, &page)
	}
	if p.Avatar == nil && p.Header == nil && !p.RemoveAvatar && !p.RemoveHeader {
		s.flash(w, r, "No picture was chosen: nothing changed.")
		return redirect(w, r, "/settings/profile")
	}
	s.flash(w, r, "Your pictures are saved.")
	return redirect(w, r, "/@"+saved.Username)
}

func (s *Server) passwordSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_password.html", settingsForm{page: s.newPage(w, r, "Change password")})
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	err = s.svc.ChangePassword(r.Context(), *u, tweets.PasswordChange{
		Current: r.PostForm.Get("current_password"), New: r.PostForm.Get("new_password"), Confirm: r.PostForm.Get("confirm_password"),
		ClientIP: middleware.ClientIP(r, s.opt.TrustedProxies), Session: sessionToken(r)})
	if err != nil {
		p := settingsForm{page: s.newPage(w, r, "Change password")}
		return s.showRefusal(w, r, err, "settings_password.html", &p, &p)
	}
	s.flash(w, r, "Your password is changed, and your other sessions are logged out.")
	return redirect(w, r, "/settings")
}

type sessionsPage struct {
	page
	Sessions []tweets.ActiveSession
}

func (s *Server) sessionSettings(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	ss, err := s.svc.Sessions(r.Context(), *u, sessionToken(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_sessions.html", sessionsPage{page: s.newPage(w, r, "Sessions"), Sessions: ss})
	return nil
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	if err := s.svc.EndOwnSession(r.Context(), *u, r.PathValue("hash"), sessionToken(r)); err != nil {
		return err
	}
	s.flash(w, r, "The session is logged out.")
	return redirect(w, r, "/settings/sessions")
}

func (s *Server) deleteSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_delete.html", settingsForm{page: s.newPage(w, r, "Delete account")})
	return nil
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	err = s.svc.DeleteAccount(r.Context(), *u, r.PostForm.Get("password"), middleware.ClientIP(r, s.opt.TrustedProxies))
	if err != nil {
		p := settingsForm{page: s.newPage(w, r, "Delete account")}
		return s.showRefusal(w, r, err, "settings_delete.html", &p, &p)
	}
	s.clearCookie(w, r, sessionCookie)
	s.newCSRFSeed(w, r)
	s.flash(w, r, "Your account @"+u.Username+" is deleted, with all your tweets. Goodbye!")
	return redirect(w, r, "/")
}
