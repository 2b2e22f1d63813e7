package syncer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"bureau/apperr"
	"bureau/connection"
	"bureau/connector"
)

// storeError is our own database failing, never the vendor's fault.
type storeError struct{ err error }

func (e *storeError) Error() string { return "store: " + e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// panicError is a sync that panicked; the stack goes to the log only.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// outcome turns how a sync ended into its record's status, error code and
// a message a person can act on (SYNC-09). Timeouts and shutdowns are told
// apart by the cause of the context's end, not by the error a provider
// happened to return when it saw the context end.
func (s *Syncer) outcome(ctx context.Context, err error) (status, code, message string) {
	if err == nil {
		return StatusSucceeded, "", ""
	}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errTimeout):
		return StatusTimedOut, "timeout", fmt.Sprintf("The sync did not finish within %s. What it read is stored; the next sync reads again from the last complete one.", s.timeout())
	case errors.Is(cause, errShutdown):
		return StatusCancelled, "cancelled", "Bureau was shutting down; the sync will run again after it restarts."
	case errors.Is(cause, errLostRun):
		return StatusInterrupted, "interrupted", msgInterrupted
	case ctx.Err() != nil:
		return StatusCancelled, "cancelled", "The sync was cancelled."
	}
	code, message = classify(err)
	return StatusFailed, code, message
}

// classify names a failure with a stable code: the connector's kind for a
// vendor failure, else what on our side went wrong.
func classify(err error) (code, message string) {
	var reentry *connection.NeedsReentryError
	var ce *connector.Error
	var se *storeError
	var pe *panicError
	switch {
	case errors.Is(err, connection.ErrMissing):
		return "connection_missing", "This account has no RPA connection."
	case errors.As(err, &reentry):
		return "secret_needs_reentry", sanitize(reentry.Error())
	case errors.As(err, &se):
		return "store_failed", "Bureau could not store what it read from the provider; the server log has the details."
	case errors.As(err, &pe):
		return "internal", "The sync stopped on an internal error; the server log has the details."
	case errors.As(err, &ce):
		return string(ce.Kind), sanitize(vendorMessage(ce))
	}
	if e, ok := apperr.As(err); ok {
		return e.Code, sanitize(e.Message)
	}
	// Anything else came out of the provider: a network failure.
	return string(connector.KindOf(err)), sanitize(err.Error())
}

func vendorMessage(ce *connector.Error) string {
	msg := ce.Message
	if msg == "" {
		msg = string(ce.Kind)
	}
	if ce.Status != 0 {
		msg = fmt.Sprintf("HTTP %d: %s", ce.Status, msg)
	}
	if ce.Op != "" {
		msg = ce.Op + ": " + msg
	}
	if ce.Code != "" && !strings.Contains(msg, ce.Code) {
		msg += " (" + ce.Code + ")"
	}
	return msg
}

// Connectors already strip the secrets they know of from vendor messages
// (SEC-07); this catches what a vendor or a transport error may still
// carry: credentials in URLs, bearer tokens, key=value secrets.
var (
	reUserinfo = regexp.MustCompile(`://[^/\s:@]+:[^/\s@]+@`)
	reBearer   = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`)
	reKeyValue = regexp.MustCompile(`(?i)\b(password|passwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key|apikey)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+`)
)

const maxMessage = 500

// sanitize makes an error fit for the record: no secrets, no control
// characters, at most maxMessage characters.
func sanitize(msg string) string {
	msg = reUserinfo.ReplaceAllString(msg, "://[redacted]@")
	msg = reBearer.ReplaceAllString(msg, "$1 [redacted]")
	msg = reKeyValue.ReplaceAllString(msg, "$1$2[redacted]")
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, msg)
	msg = strings.TrimSpace(msg)
	if r := []rune(msg); len(r) > maxMessage {
		msg = string(r[:maxMessage-1]) + "…"
	}
	return msg
}
