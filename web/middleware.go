package web

import (
	"context"
	"net/http"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if middleware.IsTLS(r, s.opt.TrustedProxies) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "panic", p, "path", r.URL.Path)
				s.renderError(w, r, errPanic)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

var errPanic = &panicError{}

type panicError struct{}

func (*panicError) Error() string { return "panic while serving the request" }

type ctxKey int

const userKey ctxKey = iota

// loadSession puts the logged-in user, if any, in the request context.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil {
			u, err := s.svc.SessionUser(r.Context(), c.Value)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), userKey, &u))
			case tweets.ErrorCode(err) == tweets.CodeNotFound:
				s.clearCookie(w, r, sessionCookie) // expired or logged out elsewhere
			default:
				s.renderError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// currentUser returns the logged-in user, or nil.
func currentUser(r *http.Request) *tweets.User {
	u, _ := r.Context().Value(userKey).(*tweets.User)
	return u
}

// requireUser returns the logged-in user or an error that sends the
// browser to the log-in page.
func requireUser(r *http.Request) (*tweets.User, error) {
	if u := currentUser(r); u != nil {
		return u, nil
	}
	return nil, tweets.Errorf(tweets.CodeUnauthorized, "Log in first.")
}
