package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
)

// authorizePage asks the logged-in user whether an app may act for them.
type authorizePage struct {
	page
	App    tweets.App
	Scopes tweets.Scopes
	Req    tweets.AuthRequest
	State  string
	// Code is shown instead of the question, for an out-of-band client.
	Code string
}

func authRequest(v url.Values) tweets.AuthRequest {
	return tweets.AuthRequest{ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), Scope: v.Get("scope"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method")}
}

// authorize shows GET /oauth/authorize: after log-in, the app's name and
// what it asks for, with Authorize and Deny. A request that names no
// registered app or a redirect URI it did not register is refused here,
// never sent on to that URI.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	q := r.URL.Query()
	if rt := q.Get("response_type"); rt != "code" {
		return tweets.Invalid("response_type", "Only response_type=code is supported.")
	}
	req := authRequest(q)
	app, scopes, err := s.svc.CheckAuthRequest(r.Context(), req)
	if err != nil {
		return err
	}
	s.allowRedirectTo(w, req.RedirectURI)
	s.render(w, r, http.StatusOK, "oauth.html", authorizePage{page: s.newPage(w, r, "Authorize "+app.Name),
		App: app, Scopes: scopes, Req: req, State: q.Get("state")})
	return nil
}

// allowRedirectTo widens the page's form-action to the app's redirect
// URI, where the answer to its form is sent: browsers check a form's
// redirects against the CSP of the page that holds the form.
func (s *Server) allowRedirectTo(w http.ResponseWriter, redirectURI string) {
	if redirectURI == tweets.OutOfBand {
		return
	}
	u, err := url.Parse(redirectURI)
	if err != nil {
		return
	}
	// An app's own scheme is its alone; http and https are everyone's,
	// so for them only the host is allowed: never "https:" (a URI without
	// a host) or a wildcard ("https://*"), which would allow every site.
	source := u.Scheme + ":"
	if u.Scheme == "http" || u.Scheme == "https" {
		if u.Host == "" {
			return
		}
		source = u.Scheme + "://" + u.Host
	}
	if strings.ContainsAny(source, " ;,'\"*") {
		return
	}
	w.Header().Set("Content-Security-Policy", strings.Replace(s.csp, "form-action 'self'", "form-action 'self' "+source, 1))
}

// decide answers the question: POST /oauth/authorize sends the browser
// back to the app with a code (or, for an out-of-band app, shows it), or
// with access_denied.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) error {
	u, err := s.postedBy(w, r)
	if err != nil {
		return err
	}
	req := authRequest(r.PostForm)
	state := r.PostForm.Get("state")
	back := func(params url.Values) error {
		if state != "" {
			params.Set("state", state)
		}
		to := req.RedirectURI
		if strings.Contains(to, "?") {
			to += "&" + params.Encode()
		} else {
			to += "?" + params.Encode()
		}
		http.Redirect(w, r, to, http.StatusFound) // #nosec G710 -- a redirect URI the app registered: CheckAuthRequest refused any other
		return nil
	}
	if r.PostForm.Get("decision") != "authorize" {
		if _, _, err := s.svc.CheckAuthRequest(r.Context(), req); err != nil {
			return err
		}
		if req.RedirectURI == tweets.OutOfBand {
			return redirect(w, r, "/")
		}
		return back(url.Values{"error": {"access_denied"}, "error_description": {"The user refused."}})
	}
	code, err := s.svc.GrantCode(r.Context(), *u, req)
	if err != nil {
		return err
	}
	if req.RedirectURI == tweets.OutOfBand {
		app, scopes, _ := s.svc.CheckAuthRequest(r.Context(), req)
		s.render(w, r, http.StatusOK, "oauth.html", authorizePage{page: s.newPage(w, r, "Authorization code"),
			App: app, Scopes: scopes, Req: req, Code: code})
		return nil
	}
	return back(url.Values{"code": {code}})
}
