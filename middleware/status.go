package middleware

import (
	"errors"
	"net/http"

	"github.com/tweetsdev/tweets"
)

// Status maps an error to the HTTP status every transport answers with:
// pages and the API alike, so that the same refusal reads the same.
func Status(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch tweets.ErrorCode(err) {
	case tweets.CodeInvalid:
		return http.StatusUnprocessableEntity
	case tweets.CodeNotFound:
		return http.StatusNotFound
	case tweets.CodeConflict:
		return http.StatusConflict
	case tweets.CodeUnauthorized:
		return http.StatusUnauthorized
	case tweets.CodeForbidden:
		return http.StatusForbidden
	case tweets.CodeTooMany:
		return http.StatusTooManyRequests
	case tweets.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case tweets.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
