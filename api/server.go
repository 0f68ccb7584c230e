// Package api serves the client API: the subset of Mastodon's REST API
// (with its OAuth 2 endpoints and discovery documents) that this
// product has, so that existing Mastodon apps work against it. Every
// endpoint calls the same Service methods as the pages; this package
// only reads requests and writes JSON.
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// Options are the settings the API needs.
type Options struct {
	AllowedHosts []string
	// TrustedProxies may say, in X-Forwarded-Proto, that the client
	// came over TLS: the API's absolute URLs then start with https.
	TrustedProxies []netip.Prefix
	MaxUploadBytes int64
	Version        string
}

// Server answers API requests.
type Server struct {
	svc *tweets.Service
	log *slog.Logger
	opt Options
}

// New returns the API server.
func New(svc *tweets.Service, log *slog.Logger, opt Options) *Server {
	return &Server{svc: svc, log: log, opt: opt}
}

// Prefixes are the paths the API answers under; the pages answer the
// rest (including GET /oauth/authorize, a page where the user logs in
// and consents).
var Prefixes = []string{"/api/", "/oauth/token", "/oauth/revoke", "/.well-known/nodeinfo",
	"/.well-known/oauth-authorization-server", "/.well-known/webfinger", "/.well-known/host-meta", "/nodeinfo/"}

// Handler returns the API with its middleware: host check, CORS (web
// clients on other origins call it with bearer tokens, never cookies),
// panic recovery.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = middleware.Route(mux)
	h = cors(h)
	h = middleware.CheckHost(s.log, s.opt.AllowedHosts, h)
	return s.recoverPanics(h)
}

func (s *Server) routes(mux handler) {
	// Discovery.
	mux.Handle("GET /.well-known/nodeinfo", s.public(s.nodeinfoLinks))
	mux.Handle("GET /nodeinfo/2.0", s.public(s.nodeinfo))
	mux.Handle("GET /.well-known/oauth-authorization-server", s.public(s.authServerMetadata))
	mux.Handle("GET /.well-known/webfinger", s.public(s.webfinger))
	mux.Handle("GET /.well-known/host-meta", s.public(s.hostMeta))
	mux.Handle("GET /api/v1/instance", s.public(s.instanceV1))
	mux.Handle("GET /api/v2/instance", s.public(s.instanceV2))
	// OAuth.
	mux.Handle("POST /api/v1/apps", s.public(s.createApp))
	mux.Handle("GET /api/v1/apps/verify_credentials", s.app(s.verifyApp))
	mux.Handle("POST /oauth/token", s.public(s.token))
	mux.Handle("POST /oauth/revoke", s.public(s.revoke))
	// Accounts.
	mux.Handle("GET /api/v1/accounts/verify_credentials", s.user("profile", s.verifyCredentials))
	mux.Handle("PATCH /api/v1/accounts/update_credentials", s.user("write:accounts", s.updateCredentials))
	mux.Handle("GET /api/v1/preferences", s.user("read:accounts", s.preferences))
	mux.Handle("GET /api/v1/accounts/lookup", s.public(s.lookup))
	mux.Handle("GET /api/v1/accounts/search", s.user("read:accounts", s.searchAccounts))
	mux.Handle("GET /api/v1/blocks", s.user("read:blocks", s.accountList((*tweets.Service).Blocks)))
	mux.Handle("GET /api/v1/mutes", s.user("read:mutes", s.accountList((*tweets.Service).Mutes)))
	mux.Handle("GET /api/v1/accounts/{id}/followers", s.public(s.follows(true)))
	mux.Handle("GET /api/v1/accounts/{id}/following", s.public(s.follows(false)))
	mux.Handle("GET /api/v1/accounts/relationships", s.user("read:follows", s.relationships))
	mux.Handle("GET /api/v1/accounts/{id}", s.public(s.account))
	mux.Handle("GET /api/v1/accounts/{id}/statuses", s.public(s.accountStatuses))
	mux.Handle("POST /api/v1/accounts/{id}/follow", s.user("write:follows", s.relate((*tweets.Service).Follow)))
	mux.Handle("POST /api/v1/accounts/{id}/unfollow", s.user("write:follows", s.relate((*tweets.Service).Unfollow)))
	mux.Handle("POST /api/v1/accounts/{id}/block", s.user("write:blocks", s.relate((*tweets.Service).Block)))
	mux.Handle("POST /api/v1/accounts/{id}/unblock", s.user("write:blocks", s.relate((*tweets.Service).Unblock)))
	mux.Handle("POST /api/v1/accounts/{id}/mute", s.user("write:mutes", s.relate((*tweets.Service).Mute)))
	mux.Handle("POST /api/v1/accounts/{id}/unmute", s.user("write:mutes", s.relate((*tweets.Service).Unmute)))
	// Statuses.
	mux.Handle("POST /api/v1/statuses", s.user("write:statuses", s.createStatus))
	mux.Handle("GET /api/v1/statuses/{id}", s.public(s.status))
	mux.Handle("DELETE /api/v1/statuses/{id}", s.user("write:statuses", s.deleteStatus))
	mux.Handle("GET /api/v1/statuses/{id}/context", s.public(s.context))
	mux.Handle("GET /api/v1/statuses/{id}/favourited_by", s.public(s.engagers(false)))
	mux.Handle("GET /api/v1/statuses/{id}/reblogged_by", s.public(s.engagers(true)))
	mux.Handle("PUT /api/v1/statuses/{id}", s.user("write:statuses", s.editStatus))
	mux.Handle("GET /api/v1/statuses/{id}/source", s.user("read:statuses", s.statusSource))
	mux.Handle("GET /api/v1/statuses/{id}/history", s.public(s.statusHistory))
	mux.Handle("POST /api/v1/statuses/{id}/favourite", s.user("write:favourites", s.interact((*tweets.Service).Like)))
	mux.Handle("POST /api/v1/statuses/{id}/unfavourite", s.user("write:favourites", s.interact((*tweets.Service).Unlike)))
	mux.Handle("POST /api/v1/statuses/{id}/reblog", s.user("write:statuses", s.interact((*tweets.Service).Repost)))
	mux.Handle("POST /api/v1/statuses/{id}/unreblog", s.user("write:statuses", s.interact((*tweets.Service).Unrepost)))
	mux.Handle("POST /api/v1/statuses/{id}/bookmark", s.user("write:bookmarks", s.interact((*tweets.Service).Bookmark)))
	mux.Handle("POST /api/v1/statuses/{id}/unbookmark", s.user("write:bookmarks", s.interact((*tweets.Service).Unbookmark)))
	mux.Handle("GET /api/v1/bookmarks", s.user("read:bookmarks", s.savedList((*tweets.Service).Bookmarks)))
	mux.Handle("GET /api/v1/favourites", s.user("read:favourites", s.savedList((*tweets.Service).Favourites)))
	// Timelines.
	mux.Handle("GET /api/v1/timelines/home", s.user("read:statuses", s.homeTimeline))
	mux.Handle("GET /api/v1/timelines/public", s.public(s.publicTimeline))
	mux.Handle("GET /api/v1/timelines/tag/{hashtag}", s.public(s.tagTimeline))
	mux.Handle("GET /api/v1/markers", s.user("read:statuses", s.markers))
	mux.Handle("POST /api/v1/markers", s.user("write:statuses", s.setMarkers))
	// Media.
	mux.Handle("POST /api/v1/media", s.user("write:media", s.uploadMedia))
	mux.Handle("POST /api/v2/media", s.user("write:media", s.uploadMedia))
	mux.Handle("GET /api/v1/media/{id}", s.user("write:media", s.mediaByID))
	mux.Handle("PUT /api/v1/media/{id}", s.user("write:media", s.describeMedia))
	// Live updates (server-sent events; EventSource cannot send headers,
	// so the token may come as access_token).
	mux.Handle("GET /api/v1/streaming/health", s.public(s.streamHealth))
	mux.Handle("GET /api/v1/streaming", s.public(s.websocketStream))
	for path, name := range ssePaths {
		mux.Handle("GET /api/v1/streaming/"+path, s.public(s.sse(name)))
	}
	// Notifications and search.
	mux.Handle("GET /api/v1/notifications", s.user("read:notifications", s.notifications))
	mux.Handle("GET /api/v1/notifications/{id}", s.user("read:notifications", s.notificationByID))
	mux.Handle("POST /api/v1/notifications/{id}/dismiss", s.user("write:notifications", s.dismissNotification))
	mux.Handle("POST /api/v1/notifications/dismiss", s.user("write:notifications", s.dismissNotification))
	mux.Handle("POST /api/v1/notifications/clear", s.user("write:notifications", s.clearNotifications))
	mux.Handle("GET /api/v2/search", s.public(s.search))
	s.absentRoutes(mux)
}

// grant is who calls: the token's app and user, or nothing.
type grant struct {
	tweets.TokenGrant
	ok bool // a valid token came with the request
}

// viewer is the user the request acts for, or nil.
func (g grant) viewer() *tweets.User {
	if !g.ok {
		return nil
	}
	return g.User
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, g grant) error

// Access says who may call an endpoint.
type Access int

// The kinds of access.
const (
	// Public endpoints take anyone; a token, when sent, must be valid,
	// and says who is reading (for blocks and what they liked).
	Public Access = iota
	// AnyToken endpoints take an app's token or a user's.
	AnyToken
	// UserToken endpoints take a user's token with the endpoint's scope.
	UserToken
)

// Endpoint is one route of the API and who may call it.
type Endpoint struct {
	Pattern string // as net/http's ServeMux reads it: "GET /api/v1/..."
	Access  Access
	// Scope is what a UserToken endpoint's token needs.
	Scope string
}

// handler is what routes registers on: a ServeMux, or a recorder of
// the endpoints.
type handler interface {
	Handle(pattern string, h http.Handler)
}

// Endpoints lists every route with its access, so that tests can walk
// them all: a route added without its check shows up there.
func (s *Server) Endpoints() []Endpoint {
	var rec recorder
	s.routes(&rec)
	return rec
}

type recorder []Endpoint

func (rec *recorder) Handle(pattern string, h http.Handler) {
	if g, ok := h.(guarded); ok {
		*rec = append(*rec, Endpoint{Pattern: pattern, Access: g.access, Scope: g.scope})
	} else {
		*rec = append(*rec, Endpoint{Pattern: pattern})
	}
}

// guarded is an endpoint behind its access check.
type guarded struct {
	s      *Server
	access Access
	scope  string
	h      handlerFunc
}

// public serves an endpoint anyone may call.
func (s *Server) public(h handlerFunc) http.Handler { return guarded{s, Public, "", h} }

// app serves an endpoint that needs a token of any kind.
func (s *Server) app(h handlerFunc) http.Handler { return guarded{s, AnyToken, "", h} }

// user serves an endpoint that needs a user's token with the scope
// (profile is granted by read and read:accounts too).
func (s *Server) user(scope string, h handlerFunc) http.Handler {
	return guarded{s, UserToken, scope, h}
}

func (gd guarded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := gd.s
	var g grant
	if tok, ok := bearer(r); ok {
		tg, err := s.svc.Grant(r.Context(), tok)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		g = grant{TokenGrant: tg, ok: true}
	}
	if !s.throttle(w, r, g) {
		return
	}
	switch {
	case gd.access != Public && !g.ok:
		s.fail(w, r, tweets.Errorf(tweets.CodeUnauthorized, "The access token is missing: send it in an Authorization: Bearer header."))
		return
	case gd.access == UserToken && g.User == nil:
		s.fail(w, r, tweets.Errorf(tweets.CodeForbidden, "This method requires an authenticated user."))
		return
	case gd.scope != "" && !allows(g.Scopes, gd.scope):
		s.fail(w, r, tweets.Errorf(tweets.CodeForbidden, "This action is outside the authorized scopes: it needs %s.", gd.scope))
		return
	}
	if err := gd.h(w, r, g); err != nil {
		s.fail(w, r, err)
	}
}

// throttle counts the request against its account's limit (its
// address's, without a user's token), tells the client where it stands
// in Mastodon's headers, and answers 429 when it is over.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, g grant) bool {
	key := "ip:" + middleware.ClientIP(r, s.opt.TrustedProxies)
	if g.User != nil {
		key = "user:" + g.User.ID.String()
	}
	q, ok, err := s.svc.ThrottleAPI(r.Context(), key)
	if ok {
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(q.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(q.Remaining))
		h.Set("X-RateLimit-Reset", time.Now().Add(q.Reset).UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// allows is Scopes.Allows, with profile (read your own account) granted
// also by what grants reading accounts.
func allows(sc tweets.Scopes, scope string) bool {
	if scope == "profile" {
		return sc.Allows("profile") || sc.Allows("read:accounts")
	}
	return sc.Allows(scope)
}

// bearer reads the access token from the Authorization header or, for
// the streaming endpoints only (a browser's EventSource cannot send
// headers), the access_token parameter.
func bearer(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") && tok != "" {
			return strings.TrimSpace(tok), true
		}
		return "", false
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/streaming") {
		if tok := r.URL.Query().Get("access_token"); tok != "" {
			return tok, true
		}
		// Mastodon's web client sends it as the WebSocket subprotocol.
		if tok := r.Header.Get("Sec-WebSocket-Protocol"); tok != "" && !strings.ContainsAny(tok, " ,") {
			return tok, true
		}
	}
	return "", false
}

// apiError is Mastodon's error body.
type apiError struct {
	Error       string            `json:"error"`
	Description string            `json:"error_description,omitempty"`
	Details     map[string]string `json:"details,omitempty"`
}

// fail answers with err as JSON; unexpected errors are logged and told
// as a generic message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := middleware.Status(err)
	body := apiError{Error: tweets.ErrorMessage(err)}
	var e *tweets.Error
	switch {
	case errors.As(err, &e):
		if e.Code == tweets.CodeUnavailable {
			s.log.Warn("api request refused: a store is unavailable", "err", err, "method", r.Method, "path", r.URL.Path)
		}
		if e.Field != "" {
			body.Details = map[string]string{e.Field: e.Message}
		}
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
	case status == http.StatusRequestEntityTooLarge:
		body.Error = "The request is too large."
	default:
		s.log.Error("api request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		body.Error = "Something went wrong on our side. Try again in a moment."
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tweets", error="invalid_token"`)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONStatus(w, status, "application/json; charset=utf-8", v)
}

// writeJSONAs answers 200 with v, under another JSON media type.
func writeJSONAs(w http.ResponseWriter, contentType string, v any) {
	writeJSONStatus(w, http.StatusOK, contentType, v)
}

func writeJSONStatus(w http.ResponseWriter, status int, contentType string, v any) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// cors lets web clients on other origins call the API. Tokens travel in
// a header, never in cookies, so allowing every origin exposes nothing
// a page could not already read with the token it holds.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Idempotency-Key")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("api handler panicked", "panic", v, "path", r.URL.Path)
				writeJSON(w, http.StatusInternalServerError, apiError{Error: "Something went wrong on our side. Try again in a moment."})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// baseURL is the site's address as the client reached it.
func (s *Server) baseURL(r *http.Request) string {
	if middleware.IsTLS(r, s.opt.TrustedProxies) {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// parseID reads an id from the path; anything else is not found.
func parseID(r *http.Request, name string) (tweets.ID, error) {
	id, err := tweets.ParseID(r.PathValue(name))
	if err != nil {
		return 0, tweets.Errorf(tweets.CodeNotFound, "Record not found.")
	}
	return id, nil
}
