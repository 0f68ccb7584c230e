package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// Cookie names.
const (
	sessionCookie = "tweets_session"
	csrfCookie    = "tweets_csrf"
	flashCookie   = "tweets_flash"
	deviceCookie  = "tweets_device"
)

// maxFormBytes bounds a form without uploads.
const maxFormBytes = 64 << 10

// errCSRF is the refusal of a form whose token does not match.
var errCSRF = tweets.Errorf(tweets.CodeForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")

// csrfSeedLen is the length of the CSRF cookie's value: 24 random bytes
// in base64. A shorter or malformed seed (planted by an attacker, say) is
// never accepted.
const csrfSeedLen = 32

// csrfToken returns the token that forms carry: an HMAC of a random
// per-browser seed kept in a cookie and, once logged in, of the session
// token too. A page on another site can neither read the cookies nor
// compute the HMAC, so it cannot forge the field; and a seed planted in
// a browser is worthless once its owner logs in. This backs up
// http.CrossOriginProtection for browsers that send neither
// Sec-Fetch-Site nor Origin.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	seed := ""
	if c, err := r.Cookie(csrfCookie); err == nil && validSeed(c.Value) {
		seed = c.Value
	} else {
		seed = s.newCSRFSeed(w, r)
	}
	return s.signCSRF(seed, s.csrfSession(r))
}

// newCSRFSeed sets a fresh seed cookie: for a new browser, and at log-in
// and log-out, so that tokens from before never work after.
func (s *Server) newCSRFSeed(w http.ResponseWriter, r *http.Request) string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	seed := base64.RawURLEncoding.EncodeToString(b[:])
	s.setCookie(w, r, csrfCookie, seed, time.Time{})
	return seed
}

func validSeed(seed string) bool {
	if len(seed) != csrfSeedLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(seed)
	return err == nil
}

// csrfSession is the session token that tokens are bound to: the session
// cookie of a logged-in request, empty otherwise.
func (s *Server) csrfSession(r *http.Request) string {
	if currentUser(r) == nil {
		return ""
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) signCSRF(seed, session string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(seed))
	m.Write([]byte{0})
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) checkCSRF(r *http.Request, token string) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || token == "" || !validSeed(c.Value) ||
		!hmac.Equal([]byte(token), []byte(s.signCSRF(c.Value, s.csrfSession(r)))) {
		return errCSRF
	}
	return nil
}

// readFor shortens how long the body of this request may take to arrive:
// a form is small, so a client trickling it in is holding a connection,
// not sending data.
func readFor(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
	}
}

// checkValues refuses form values that cannot be stored, before any
// handler sees them.
func checkValues(vs url.Values) error {
	for name, list := range vs {
		if err := tweets.CheckText(name, name); err != nil {
			return err
		}
		for _, v := range list {
			if err := tweets.CheckText(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseForm reads a url-encoded form of at most maxFormBytes and checks
// its values and its CSRF token.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	readFor(w, s.opt.FormReadTimeout)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tweets.Errorf(tweets.CodeTooLarge, "The form is too large.")
		}
		return tweets.Errorf(tweets.CodeInvalid, "The form could not be read.")
	}
	if err := s.checkCSRF(r, r.PostForm.Get("csrf")); err != nil {
		return err
	}
	return checkValues(r.PostForm)
}

// imageFields are the compose form's file inputs and their alt texts.
var imageFields = [tweets.MaxImages][2]string{{"image", "alt"}, {"image2", "alt2"}, {"image3", "alt3"}, {"image4", "alt4"}}

// parseUploads reads a multipart form with up to MaxImages files of
// maxUpload bytes each (plus room for the other fields) and checks its
// values and CSRF token. It returns the images sent, in the form's
// order, with their alt texts, and a function that the caller must
// defer: it deletes the spooled files. (net/http deletes them only for
// the request the server made, and the handlers see a copy that carries
// the session.)
func (s *Server) parseUploads(w http.ResponseWriter, r *http.Request) ([]tweets.Attachment, func(), error) {
	up, done, err := s.parseMultipart(w, r, tweets.MaxImages)
	if err != nil || up == nil {
		return nil, done, err
	}
	var out []tweets.Attachment
	for _, field := range imageFields {
		for _, hdr := range r.MultipartForm.File[field[0]] {
			u, err := up.open(field[0], hdr)
			if err != nil {
				return nil, done, err
			}
			if u != nil {
				out = append(out, tweets.Attachment{Upload: u, Alt: r.PostFormValue(field[1])})
			}
		}
	}
	return out, done, nil
}

// uploads opens the files of a parsed multipart form, and closes them
// with the form's cleanup.
type uploads struct{ opened []multipart.File }

// open opens one file of the form; an empty file input gives nil.
func (u *uploads) open(field string, hdr *multipart.FileHeader) (*tweets.Upload, error) {
	if hdr.Size == 0 && hdr.Filename == "" {
		return nil, nil
	}
	f, err := hdr.Open()
	if err != nil {
		return nil, tweets.Invalid(field, "The file could not be read.")
	}
	u.opened = append(u.opened, f)
	return &tweets.Upload{Content: f, Size: hdr.Size}, nil
}

// file opens the first file of the named input, or gives nil.
func (u *uploads) file(r *http.Request, field string) (*tweets.Upload, error) {
	if hs := r.MultipartForm.File[field]; len(hs) > 0 {
		return u.open(field, hs[0])
	}
	return nil, nil
}

// parseMultipart reads a form that may carry up to files files (or a
// plain form, giving nil uploads) and checks its values and CSRF token.
// The caller defers done, which closes and deletes the spooled files.
func (s *Server) parseMultipart(w http.ResponseWriter, r *http.Request, files int) (*uploads, func(), error) {
	done := func() {}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, done, s.parseForm(w, r)
	}
	readFor(w, s.opt.UploadReadTimeout)
	// The body may exceed the file limits by a little, so that a file
	// just over one gets a precise message on the form, with the text kept.
	r.Body = http.MaxBytesReader(w, r.Body, int64(files)*s.opt.MaxUploadBytes+1<<20)
	err := r.ParseMultipartForm(1 << 20) // #nosec G120 -- the body is bounded by MaxBytesReader above
	up := &uploads{}
	if r.MultipartForm != nil {
		form := r.MultipartForm
		done = func() {
			for _, f := range up.opened {
				f.Close()
			}
			_ = form.RemoveAll()
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, done, err
		}
		return nil, done, tweets.Errorf(tweets.CodeInvalid, "The form could not be read.")
	}
	if err := s.checkCSRF(r, r.PostFormValue("csrf")); err != nil {
		return nil, done, err
	}
	if err := checkValues(r.PostForm); err != nil {
		return nil, done, err
	}
	return up, done, nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when the client's connection is (or is configured as) TLS.
// A zero expires makes a browser-session cookie.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{ // #nosec G124 -- Secure follows the client's scheme (TWEETS_COOKIE_SECURE)
		Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(r), Expires: expires,
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, // #nosec G124 -- as setCookie
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
}

func (s *Server) secureCookies(r *http.Request) bool {
	switch s.opt.CookieSecure {
	case "true":
		return true
	case "false":
		return false
	}
	return middleware.IsTLS(r, s.opt.TrustedProxies)
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
	http.Redirect(w, r, to, http.StatusSeeOther) // #nosec G710 -- callers pass site paths or localPath's
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
	// Checked again as written: "/%2fevil.example/ " has no host, but
	// its path is written anew ("%2f" decoded, the space escaped) as
	// "//evil.example/%20", which a browser reads as another site.
	out := u.RequestURI()
	if strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "/"
	}
	return out
}
