package middleware

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
)

// CheckHost refuses, with 400, every request for a Host that allowed does
// not list, so that a forged Host header cannot steer absolute links or
// cache keys, nor reach a server through a name it was never given.
func CheckHost(log *slog.Logger, allowed []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !HostAllowed(r.Host, allowed) {
			log.WarnContext(r.Context(), "refused host", "host", r.Host)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte("400 Bad Request: this server does not answer to the host name in the request. Add it to TWEETS_ALLOWED_HOSTS if it is yours.\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// HostAllowed reports whether host (which may carry a port) matches the
// allowed list: an exact name, ".example.com" for the domain and its
// subdomains, or "*" for any.
func HostAllowed(host string, allowed []string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "" {
		return false
	}
	for _, a := range allowed {
		a = strings.Trim(a, "[]")
		switch {
		case a == "*":
			return true
		case strings.HasPrefix(a, "."):
			if host == a[1:] || strings.HasSuffix(host, a) {
				return true
			}
		case host == a:
			return true
		}
	}
	return false
}
