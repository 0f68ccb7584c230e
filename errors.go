package tweets

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error so that every transport can map it to a status
// without knowing where it came from.
type Code int

// Error codes. Their HTTP meaning is assigned by the transports.
const (
	CodeInternal     Code = iota // anything unexpected; never shown to users
	CodeInvalid                  // the input breaks a rule; the message says which
	CodeNotFound                 // the thing does not exist (or is hidden)
	CodeConflict                 // the thing already exists
	CodeUnauthorized             // the caller must log in
	CodeForbidden                // the caller may not do this
	CodeTooMany                  // the caller is being throttled
	CodeTooLarge                 // the payload is larger than allowed
	// CodeUnavailable: a store the action needs cannot take it now (its
	// disk full or read-only, its server unreachable); the same request
	// can succeed later. The message says what cannot be done.
	CodeUnavailable
)

// Sentinel errors that storage adapters return, so that callers can test
// with errors.Is whatever the database.
var (
	ErrNotFound = &Error{Code: CodeNotFound, Message: "Not found."}
	ErrConflict = &Error{Code: CodeConflict, Message: "It already exists."}
)

// ErrMediaUnavailable refuses an image when the media store cannot take
// files now: its disk full or read-only, its server unreachable. A blob
// store wraps it around the cause, so that the person is told to try
// later and the log says why.
var ErrMediaUnavailable = &Error{Code: CodeUnavailable, Field: "image", RetryAfter: time.Minute,
	Message: "Images cannot be stored right now. Try again in a few minutes."}

// Error is a domain error: a code and a message that is safe to show to the
// person who made the request.
type Error struct {
	Code    Code
	Message string
	// Field names the input the message is about, when there is one
	// (forms show the message next to it; the API returns it).
	Field string
	// RetryAfter says when a throttled caller may try again (CodeTooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrNotFound) true for any not-found error, so
// that adapters can add a more precise message and callers still match.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t == ErrNotFound || t == ErrConflict)
}

// Errorf returns a domain error with a formatted, user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a CodeInvalid error about one input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the safe message of the first domain error in err's
// chain, or a generic text: internal details never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// Wrap annotates *errp with a formatted context when it is non-nil. It is
// meant to be deferred once per function with a named error result, so
// that every error leaving the function says where it came from.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
