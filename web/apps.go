package web

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
)

type appsPage struct {
	settingsForm
	Apps  []tweets.AuthorizedApp
	Token string // a token just created, shown once
	Name  string
}

func (s *Server) renderApps(w http.ResponseWriter, r *http.Request, status int, u *tweets.User, p appsPage) error {
	apps, err := s.svc.AuthorizedApps(r.Context(), *u)
	if err != nil {
		return err
	}
	p.page, p.Apps = s.newPage(w, r, "Apps"), apps
	if p.Token != "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, status, "settings_apps.html", p)
	return nil
}

// appsSettings lists the apps that may use the account: GET /settings/apps.
func (s *Server) appsSettings(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	return s.renderApps(w, r, http.StatusOK, u, appsPage{})
}

// revokeApp withdraws an app's access.
func (s *Server) revokeApp(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	id, err := tweets.ParseID(r.PathValue("id"))
	if err != nil {
		return tweets.Errorf(tweets.CodeNotFound, "This app holds no access to your account.")
	}
	if err := s.svc.RevokeApp(r.Context(), *u, id); err != nil {
		return err
	}
	s.flash(w, r, "The app's access is revoked.")
	return redirect(w, r, "/settings/apps")
}

// createToken makes a personal access token and shows it once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	name := r.PostForm.Get("token_name")
	scopes := r.PostForm["scope"]
	if len(scopes) == 0 {
		p := appsPage{Name: tweets.Echo(name, tweets.MaxAppNameLength)}
		p.Error, p.Field = "Choose at least one permission.", "scope"
		return s.renderApps(w, r, http.StatusUnprocessableEntity, u, p)
	}
	token, err := s.svc.CreatePersonalToken(r.Context(), *u, name, strings.Join(scopes, " "))
	if err != nil {
		var e *tweets.Error
		if !asDomain(err, &e) || (e.Code != tweets.CodeInvalid && e.Code != tweets.CodeTooMany) {
			return err
		}
		setRetryAfter(w, err)
		p := appsPage{Name: tweets.Echo(name, tweets.MaxAppNameLength)}
		p.Error, p.Field = e.Message, e.Field
		return s.renderApps(w, r, statusOf(err), u, p)
	}
	return s.renderApps(w, r, http.StatusOK, u, appsPage{Token: token})
}
