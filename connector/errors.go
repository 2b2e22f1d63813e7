package connector

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind says what went wrong with a vendor call, in terms a person can act
// on. Each kind has a stable code for the API.
type Kind string

const (
	KindAuth        Kind = "auth_failed"        // credentials refused
	KindForbidden   Kind = "forbidden"          // authenticated, not allowed (scope, role, licence)
	KindNotFound    Kind = "not_found"          // no such process, job, folder, tenant
	KindRateLimited Kind = "rate_limited"       // 429 after our retries
	KindUnavailable Kind = "vendor_unavailable" // 5xx, timeout, connection refused, TLS
	KindInvalid     Kind = "invalid_request"    // the vendor refused the request as malformed
	KindConfig      Kind = "config_invalid"     // our settings are unusable (bad URL, missing secret)
)

// Error is a failed vendor call. Message is the vendor's own words (already
// stripped of anything secret), so Test Connection can show them.
type Error struct {
	Kind Kind
	// Status is the HTTP status the vendor answered, 0 when none.
	Status int
	// Message is the vendor's message, or ours when the vendor said nothing.
	Message string
	// Code is the vendor's error code when it has one (UiPath ErrorCode,
	// Dataverse 0x8004…, Robomotion's error string).
	Code string
	// RetryAfter is how long the vendor asked us to wait (rate limits).
	RetryAfter time.Duration
	// Op names the call: "list jobs", "token".
	Op  string
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString(string(e.Kind))
	if e.Status != 0 {
		b.WriteString(" (HTTP " + strconv.Itoa(e.Status) + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" {
		b.WriteString(" [" + e.Code + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, connector.ErrAuth) and friends work.
func (e *Error) Is(target error) bool {
	k, ok := target.(kindError)
	return ok && Kind(k) == e.Kind
}

type kindError Kind

func (k kindError) Error() string { return string(k) }

// Sentinels for errors.Is.
var (
	ErrAuth        error = kindError(KindAuth)
	ErrForbidden   error = kindError(KindForbidden)
	ErrNotFound    error = kindError(KindNotFound)
	ErrRateLimited error = kindError(KindRateLimited)
	ErrUnavailable error = kindError(KindUnavailable)
	ErrInvalid     error = kindError(KindInvalid)
	ErrConfig      error = kindError(KindConfig)
)

// KindOf returns the kind of err, or KindUnavailable for anything that is
// not an *Error (a network failure is the vendor being unreachable).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnavailable
}

// Transient reports whether retrying later may succeed.
func Transient(err error) bool {
	k := KindOf(err)
	return k == KindRateLimited || k == KindUnavailable
}

// KindForStatus maps an HTTP status to a kind.
func KindForStatus(status int) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return KindAuth
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500 || status == http.StatusRequestTimeout:
		return KindUnavailable
	default:
		return KindInvalid
	}
}

// HTTPError builds the error for a vendor's non-2xx answer.
func HTTPError(op string, resp *http.Response, message, code string) *Error {
	e := &Error{Op: op, Kind: KindForStatus(resp.StatusCode), Status: resp.StatusCode, Message: message, Code: code}
	if e.Kind == KindRateLimited {
		e.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// Errorf builds an error of the given kind with our own message.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// RetryAfter parses a Retry-After header: seconds or an HTTP date. Zero
// when absent or unparsable.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Redact removes every secret value from msg, so a vendor that echoes a
// credential back (SEC-07) does not put it on screen or in a log.
func Redact(msg string, secrets map[string]string) string {
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}
