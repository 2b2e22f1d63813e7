// Package apperr holds the typed errors that domain packages return. Each
// carries a stable code (the API contract) and a kind; server/problem.go maps
// kinds to HTTP statuses in one place, so no handler picks a status by hand.
package apperr

import (
	"errors"
	"fmt"
)

// Kind is the class of failure; it decides the HTTP status.
type Kind int

const (
	KindInternal        Kind = iota
	KindBadRequest           // 400: malformed request
	KindUnauthenticated      // 401
	KindForbidden            // 403
	KindNotFound             // 404
	KindConflict             // 409
	KindGone                 // 410
	KindUnsupportedType      // 415
	KindInvalid              // 422: well-formed but breaks a rule
	KindRateLimited          // 429
	KindBadGateway           // 502: an upstream (the RPA vendor) refused or failed
)

// FieldError names one bad input field.
type FieldError struct {
	Line    int    `json:"line,omitempty"` // of an uploaded file, counted from 1
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a domain error with a stable code.
type Error struct {
	Kind       Kind
	Code       string
	Message    string
	Fields     []FieldError
	RetryAfter int            // seconds, for KindRateLimited
	Extra      map[string]any // extension members of the problem document
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind and code.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

func Invalid(code, message string) *Error   { return New(KindInvalid, code, message) }
func Conflict(code, message string) *Error  { return New(KindConflict, code, message) }
func Forbidden(code, message string) *Error { return New(KindForbidden, code, message) }
func Gone(code, message string) *Error      { return New(KindGone, code, message) }

// NotFound is the one answer for missing and invisible objects alike (ISO-04).
func NotFound() *Error {
	return New(KindNotFound, "not_found", "The requested resource does not exist.")
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the stable code of err, or "" for untyped errors.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return e.Code
	}
	return ""
}

// Fields collects field errors while validating a request.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, code, message string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message})
}

// Has reports whether the field already has an error.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was recorded. One bad field lends its code to
// the whole error (so `slug_invalid` is the answer's code); several give
// `validation_failed`, with each field's own code in the list.
func (f Fields) Err() error {
	switch len(f) {
	case 0:
		return nil
	case 1:
		return &Error{Kind: KindInvalid, Code: f[0].Code, Message: f[0].Message, Fields: f}
	}
	return &Error{Kind: KindInvalid, Code: "validation_failed", Message: "Some fields are not valid.", Fields: f}
}
