package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tweetsdev/tweets"
)

func TestStatus(t *testing.T) {
	for err, want := range map[error]int{
		tweets.Invalid("text", "too long"):               422,
		fmt.Errorf("wrapped: %w", tweets.ErrNotFound):    404,
		tweets.ErrConflict:                               409,
		tweets.Errorf(tweets.CodeUnauthorized, "log in"): 401,
		tweets.Errorf(tweets.CodeForbidden, "no"):        403,
		tweets.Errorf(tweets.CodeTooMany, "slow down"):   429,
		tweets.Errorf(tweets.CodeTooLarge, "big"):        413,
		tweets.Errorf(tweets.CodeUnavailable, "later"):   503,
		&http.MaxBytesError{Limit: 10}:                   413,
		errors.New("connection refused"):                 500,
	} {
		if got := Status(err); got != want {
			t.Errorf("Status(%v) = %d, want %d", err, got, want)
		}
	}
}
