package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// Cookie names.
const (
	sessionCookie = "tweets_session"
	csrfCookie    = "tweets_csrf"
	flashCookie   = "tweets_flash"
)

// maxFormBytes bounds a form without uploads.
const maxFormBytes = 64 << 10

// errCSRF is the refusal of a form whose token does not match.
var errCSRF = tweets.Errorf(tweets.CodeForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")

// csrfToken returns the token that forms carry: an HMAC of a random
// per-browser value kept in a cookie. A page on another site can neither
// read the cookie nor compute the HMAC, so it cannot forge the field.
// This backs up http.CrossOriginProtection for browsers that send
// neither Sec-Fetch-Site nor Origin.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	seed := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		seed = c.Value
	} else {
		var b [24]byte
		_, _ = rand.Read(b[:])
		seed = base64.RawURLEncoding.EncodeToString(b[:])
		s.setCookie(w, r, csrfCookie, seed, time.Time{})
	}
	return s.signCSRF(seed)
}

func (s *Server) signCSRF(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) checkCSRF(r *http.Request, token string) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || token == "" || !hmac.Equal([]byte(token), []byte(s.signCSRF(c.Value))) {
		return errCSRF
	}
	return nil
}

// parseForm reads a url-encoded form of at most maxFormBytes and checks
// its CSRF token.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tweets.Errorf(tweets.CodeTooLarge, "The form is too large.")
		}
		return tweets.Errorf(tweets.CodeInvalid, "The form could not be read.")
	}
	return s.checkCSRF(r, r.PostForm.Get("csrf"))
}

// parseUpload reads a multipart form with at most one file of
// maxUpload bytes (plus room for the other fields) and checks its CSRF
// token. It returns the named file's content, or nil when none was sent.
func (s *Server) parseUpload(w http.ResponseWriter, r *http.Request, field string) ([]byte, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := s.parseForm(w, r); err != nil {
			return nil, err
		}
		return nil, nil
	}
	// The body may exceed the file limit by a little, so that a file
	// just over it gets a precise message on the form, with the text kept.
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxUploadBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, tweets.Errorf(tweets.CodeInvalid, "The form could not be read.")
	}
	if err := s.checkCSRF(r, r.PostFormValue("csrf")); err != nil {
		return nil, err
	}
	f, hdr, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, tweets.Invalid(field, "The file could not be read.")
	}
	defer f.Close()
	if hdr.Size == 0 && hdr.Filename == "" {
		return nil, nil // the browser sent an empty file input
	}
	if hdr.Size > s.opt.MaxUploadBytes {
		return nil, &tweets.Error{Code: tweets.CodeTooLarge, Field: field,
			Message: "The image is larger than " + tweets.FormatBytes(s.opt.MaxUploadBytes) + ". Choose a smaller one."}
	}
	return io.ReadAll(f)
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when the client's connection is (or is configured as) TLS.
// A zero expires makes a browser-session cookie.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(r), Expires: expires,
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
}

func (s *Server) secureCookies(r *http.Request) bool {
	switch s.opt.CookieSecure {
	case "true":
		return true
	case "false":
		return false
	}
	return s.isTLS(r)
}

// flash stores a one-time message for the next page (Post/Redirect/Get).
func (s *Server) flash(w http.ResponseWriter, r *http.Request, msg string) {
	s.setCookie(w, r, flashCookie, url.QueryEscape(msg), time.Time{})
}

// takeFlash returns the pending message, if any, and clears it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	s.clearCookie(w, r, flashCookie)
	msg, _ := url.QueryUnescape(c.Value)
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

// redirect answers a successful POST with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath accepts only a path on this site as a redirect target, so a
// crafted ?next= cannot send users elsewhere.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return u.RequestURI()
}
