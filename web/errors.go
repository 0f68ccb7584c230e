package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// handlerFunc is a page handler that reports failure by returning an
// error; handle turns the error into the right status and page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := error(nil)
		if r.URL.RawQuery != "" {
			err = checkValues(r.URL.Query())
		}
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})
}

// statusOf is the shared error → status table.
func statusOf(err error) int { return middleware.Status(err) }

// setRetryAfter tells a throttled client when to come back, in whole
// seconds rounded up.
func setRetryAfter(w http.ResponseWriter, err error) {
	var e *tweets.Error
	if !errors.As(err, &e) || e.Code != tweets.CodeTooMany && e.Code != tweets.CodeUnavailable {
		return
	}
	secs := int64((max(e.RetryAfter, time.Second) + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
}

type errorPage struct {
	page
	Status    int
	Heading   string
	Message   string
	RequestID string // shown on 500 pages, to quote when reporting
}

// renderError shows an error page. Domain errors show their message;
// anything else is logged with the request id and shown as a generic 500.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := tweets.ErrorMessage(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		msg = fmt.Sprintf("The upload is larger than %d images of %s. Choose smaller images.", tweets.MaxImages, tweets.FormatBytes(s.opt.MaxUploadBytes))
	}
	if status == http.StatusServiceUnavailable {
		s.logUnavailable(r, err)
	}
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		if s.opt.Debug {
			msg += " (" + err.Error() + ")"
		}
	}
	headings := map[int]string{
		400: "Bad request", 401: "Please log in", 403: "Not allowed", 404: "Page not found", 409: "Already exists",
		413: "Too large", 422: "Please check your input", 429: "Slow down", 500: "Something went wrong",
		503: "Try again later",
	}
	setRetryAfter(w, err)
	p := errorPage{page: s.newPage(w, r, headings[status]), Status: status, Heading: headings[status], Message: msg}
	if status == http.StatusInternalServerError {
		p.RequestID = middleware.RequestID(r.Context())
	}
	s.render(w, r, status, "error.html", p)
}

// logUnavailable logs the cause of a refusal for want of a store (a full
// disk, say): the person sees what cannot be done, the operator why.
func (s *Server) logUnavailable(r *http.Request, err error) {
	s.log.WarnContext(r.Context(), "refused: a store is unavailable", "err", err, "method", r.Method, "path", r.URL.Path)
}
