package aasim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"bureau/connector/simkit"
)

// apiError is the Control Room's error body. The shape
// {"code","details","message"} is what Control Room answers carry; the
// code values used here are our own. Assumption.
type apiError struct {
	status  int
	Code    string `json:"code"`
	Details string `json:"details"`
	Message string `json:"message"`
}

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) { writeJSON(w, e.status, e) }

var (
	errUnauthenticated = &apiError{status: http.StatusUnauthorized, Code: "um.token.invalid", Message: "Authentication required: the token is missing, invalid or expired"}
	errNotFound        = &apiError{status: http.StatusNotFound, Code: "not.found", Message: "Control Room server did not find the requested URL"}
	errServer          = &apiError{status: http.StatusInternalServerError, Code: "internal.server.error", Message: "The server encountered a problem. Try again later"}
)

// routes registers every endpoint; each first meets any injected fault,
// then (unless it signs in) the token check.
func (s *Sim) routes() {
	m := http.NewServeMux()
	open := func(pattern string, h http.HandlerFunc) { m.Handle(pattern, s.withFaults(h)) }
	authed := func(pattern string, h http.HandlerFunc) { m.Handle(pattern, s.withFaults(s.requireToken(h))) }

	open("POST /v2/authentication", s.authenticate)
	open("POST /v1/authentication", s.authenticate) // before v.31; discontinued from v.33
	open("GET /v1/authentication/token", s.validateToken)
	open("POST /v1/authentication/token", s.refreshToken)
	open("POST /v2/authentication/token", s.refreshToken)

	authed("POST /v2/repository/workspaces/{workspace}/files/list", s.listFiles)
	authed("POST /v3/activity/list", s.listActivities)
	authed("GET /v3/activity/execution/{id}", s.execution)
	authed("POST /v2/devices/list", s.listDevices)
	authed("POST /v1/schedule/automations/list", s.listSchedules)
	authed("POST /v3/automations/deploy", s.deploy)
	open("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, errNotFound) })
	s.mux = m
}

func (s *Sim) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch fault, retryAfter := s.faults.Take(); fault {
		case simkit.TooManyRequests:
			// Assumption: rate limits are not published; a gateway 429
			// with Retry-After in seconds and the usual error body.
			if retryAfter > 0 {
				w.Header().Set("Retry-After", fmt.Sprint(int((retryAfter+time.Second-1)/time.Second)))
			}
			writeError(w, errorf(http.StatusTooManyRequests, "too.many.requests", "Too many requests. Try again later"))
			return
		case simkit.ServerError:
			writeError(w, errServer)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func decodeBody(r *http.Request, v any) *apiError {
	// An empty body is an empty request: lists then return everything.
	if err := json.NewDecoder(r.Body).Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return errorf(http.StatusBadRequest, "bad.request", "Malformed request body: %v", err)
	}
	return nil
}
