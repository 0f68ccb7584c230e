// Package web serves the HTML pages: timelines, profiles, tweets, sign-up
// and log-in. Every page works without JavaScript; forms follow
// Post/Redirect/Get.
package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// Options are the settings the pages need.
type Options struct {
	SecretKey      string
	AllowedHosts   []string
	TrustedProxies []netip.Prefix
	CookieSecure   string // auto, true or false
	MaxUploadBytes int64
	Debug          bool
	// FormReadTimeout bounds how long the body of a form may take to
	// arrive, UploadReadTimeout that of a form with a file (slow links
	// must still manage to upload). Zero leaves the server's timeout.
	FormReadTimeout, UploadReadTimeout time.Duration
	// MediaAccelPrefix hands media files to nginx (see serveMedia).
	MediaAccelPrefix string
	// MediaPublicURL, when set, is where browsers fetch media files
	// straight from the store (a public bucket, https://media.example.com):
	// pages link to it, and the CSP lets images come from its origin.
	// Files are then served without the checks of /media/, so those of
	// suspended accounts stay reachable to whoever has their address.
	MediaPublicURL string
}

// Server renders the pages.
type Server struct {
	svc       *tweets.Service
	log       *slog.Logger
	opt       Options
	tmpl      *templates
	assets    *assets
	csrfKey   []byte
	crossOrig *http.CrossOriginProtection
	csp       string
}

// New checks the templates and assets and returns a Server.
func New(svc *tweets.Service, log *slog.Logger, opt Options) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	opt.MediaPublicURL = strings.TrimSuffix(opt.MediaPublicURL, "/")
	t, err := loadTemplates(a, (&Server{opt: opt}).mediaBase(""))
	if err != nil {
		return nil, err
	}
	s := &Server{
		svc: svc, log: log, opt: opt, tmpl: t, assets: a,
		csrfKey: []byte("csrf:" + opt.SecretKey),
		csp:     contentSecurityPolicy(opt.MediaPublicURL),
	}
	s.crossOrig = http.NewCrossOriginProtection()
	s.crossOrig.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, tweets.Errorf(tweets.CodeForbidden,
			"This request came from another site, so it was refused. Go back, reload the page and try again."))
	}))
	return s, nil
}

// Handler returns the pages with their middleware: host check, security
// headers, cross-origin protection and the session.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = middleware.Route(mux)
	h = s.loadSession(h)
	h = s.crossOrig.Handler(h)
	h = s.securityHeaders(h)
	h = middleware.CheckHost(s.log, s.opt.AllowedHosts, h)
	h = s.recoverPanics(h)
	return h
}

// TweetRoutes are the patterns of the pages that read or write tweets,
// whose latency tweet_request_duration_seconds tracks on its own.
var TweetRoutes = []string{"GET /{$}", "POST /tweets", "POST /tweets/{id}/delete", "GET /{handle}", "GET /{handle}/{id}"}

// router is what routes registers on: a ServeMux, or a recorder of the
// patterns.
type router interface {
	Handle(pattern string, h http.Handler)
}

// Routes lists the pattern of every page, as registered, so that tests
// can walk them all: a page added without its row in a test's table
// shows up there.
func (s *Server) Routes() []string {
	var rec patterns
	s.routes(&rec)
	return rec
}

// patterns records the patterns registered on it.
type patterns []string

func (p *patterns) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }

// Mux route table for the pages. Patterns use Go's method matching; a
// handler returns an error that handle turns into a page.
func (s *Server) routes(mux router) {
	mux.Handle("GET /{$}", s.handle(s.timeline))
	mux.Handle("POST /tweets", s.handle(s.postTweet))
	mux.Handle("POST /tweets/{id}/delete", s.handle(s.deleteTweet))
	mux.Handle("GET /public", s.handle(s.publicTimeline))
	mux.Handle("GET /notifications", s.handle(s.notifications))
	mux.Handle("GET /live", s.handle(s.live))
	mux.Handle("GET /tweets/{id}", s.handle(s.tweetByID))
	mux.Handle("GET /tweets/{id}/edit", s.handle(s.editForm))
	mux.Handle("GET /tweets/{id}/quote", s.handle(s.quoteForm))
	mux.Handle("POST /tweets/{id}/edit", s.handle(s.editTweet))
	mux.Handle("GET /{handle}/{id}/history", s.handle(s.history))
	mux.Handle("POST /tweets/{id}/{action}", s.handle(s.tweetAction))
	mux.Handle("POST /users/{name}/{action}", s.handle(s.accountAction))
	mux.Handle("GET /tweets/{id}/report", s.handle(s.reportForm))
	mux.Handle("POST /tweets/{id}/report", s.handle(s.reportTweet))
	mux.Handle("GET /signup", s.handle(s.signupPage))
	mux.Handle("POST /signup", s.handle(s.signup))
	mux.Handle("GET /login", s.handle(s.loginPage))
	mux.Handle("POST /login", s.handle(s.login))
	mux.Handle("POST /logout", s.handle(s.logout))
	mux.Handle("GET /search", s.handle(s.search))
	mux.Handle("GET /tags/{name}", s.handle(s.tag))
	mux.Handle("GET /settings", s.handle(s.settingsPage))
	mux.Handle("GET /settings/export", s.handle(s.exportData))
	s.settingsRoutes(mux)
	mux.Handle("GET /media/{key}", s.handle(s.serveMedia))
	mux.Handle("GET /oauth/authorize", s.handle(s.authorize))
	mux.Handle("POST /oauth/authorize", s.handle(s.decide))
	mux.Handle("GET /static/{file}", s.handle(s.serveStatic))
	s.adminRoutes(mux)
	mux.Handle("GET /favicon.ico", http.RedirectHandler("/static/"+s.assets.path("favicon.svg"), http.StatusMovedPermanently))
	// Profiles, their feeds and permalinks: /@name, /@name.atom and
	// /@name/ID. A wildcard must be a whole path segment, so the handlers
	// check the @ and the .atom themselves.
	mux.Handle("GET /{handle}", s.handle(s.profile))
	mux.Handle("GET /{handle}/{id}", s.handle(s.permalink))
	mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return tweets.Errorf(tweets.CodeNotFound, "There is no page at this address.")
	}))
}

// mediaBase is the URL that media keys are appended to: the public URL
// of the store when there is one, else /media on site (empty: relative).
func (s *Server) mediaBase(site string) string {
	if s.opt.MediaPublicURL != "" {
		return s.opt.MediaPublicURL
	}
	return site + "/media"
}

// contentSecurityPolicy allows only this origin's own files (no inline
// script or style, no framing, forms posting only here), and images
// from the media store's public origin when there is one.
func contentSecurityPolicy(mediaPublicURL string) string {
	img := "'self' data:"
	if u, err := url.Parse(mediaPublicURL); err == nil && u.Scheme != "" && u.Host != "" {
		img += " " + u.Scheme + "://" + u.Host
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src " + img + "; " +
		"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}
