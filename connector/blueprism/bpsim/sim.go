// Package bpsim simulates a Blue Prism v7 estate: the Authentication
// Server's client-credentials token endpoint and the Blue Prism API under
// /api/v7 (processes, sessions, resources, schedules, schedule logs,
// health, user permissions), with token paging, deepObject filters and the
// three-step session start, on a clock the test moves.
//
// In a real estate the Authentication Server and the API are different
// hosts; here one handler serves both (/connect/token and /api/v7/…), so
// Settings points url and auth_url at the same address.
package bpsim

import (
	"context"
	"net/http"
	"sync"
	"time"

	"bureau/connector/simkit"
)

// Service accounts the simulator knows. The read-only one may list but
// not start sessions.
const (
	ClientID         = "bureau-sync"
	ClientSecret     = "bp-sim-7f3c9a2e51d4"
	ReadOnlyClientID = "bureau-readonly"
	ReadOnlySecret   = "bp-sim-ro-4b8e0c"
	Scope            = "bp-api bpserver"
)

// defaultTokenLifetime: the research found no documented value; one hour
// is IdentityServer's default, on which the Authentication Server is built
// (assumption).
const defaultTokenLifetime = time.Hour

// Sim is a stateful Blue Prism v7 API.
type Sim struct {
	opts   simkit.Options
	clock  *simkit.Clock
	faults *simkit.Faults
	tokens *simkit.Tokens
	mux    *http.ServeMux

	mu           sync.Mutex
	grants       map[string]grant // access token → who and what
	processes    []*process
	resources    []*resource
	schedules    []scheduleSummary
	scheduleLogs []scheduleLog
	sessions     []*session // in creation order
	nextNumber   int
	seeded       simkit.Counts
}

// New seeds an estate sized by opts.Counts, all of it before the clock's
// current time.
func New(opts simkit.Options) *Sim {
	opts = opts.WithDefaults()
	lifetime := opts.TokenLifetime
	if lifetime == 0 {
		lifetime = defaultTokenLifetime
	}
	s := &Sim{
		opts:   opts,
		clock:  opts.Clock,
		faults: &simkit.Faults{},
		tokens: simkit.NewTokens(opts.Clock, lifetime),
		grants: map[string]grant{},
	}
	s.seed()
	s.routes()
	return s
}

func (s *Sim) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /connect/token", s.token)
	m.HandleFunc("GET /api/v7/health", s.health)
	m.HandleFunc("GET /api/v7/user/permissions", s.permissions)
	m.HandleFunc("GET /api/v7/processes", s.listProcesses)
	m.HandleFunc("GET /api/v7/resources", s.listResources)
	m.HandleFunc("GET /api/v7/schedules", s.listSchedules)
	m.HandleFunc("GET /api/v7/scheduleLogs", s.listScheduleLogs)
	m.HandleFunc("GET /api/v7/scheduleLogs/{scheduleId}", s.listScheduleLogs)
	m.HandleFunc("GET /api/v7/sessions", s.listSessions)
	m.HandleFunc("POST /api/v7/sessions", s.createSession)
	m.HandleFunc("GET /api/v7/sessions/{sessionId}", s.getSession)
	m.HandleFunc("PATCH /api/v7/sessions/{sessionId}", s.updateSession)
	m.HandleFunc("DELETE /api/v7/sessions/{sessionId}", s.deleteSession)
	m.HandleFunc("GET /api/v7/sessions/{sessionId}/parameters", s.getParameters)
	m.HandleFunc("PUT /api/v7/sessions/{sessionId}/parameters", s.putParameters)
	s.mux = m
}

// ServeHTTP meets injected faults first, then authenticates every API
// call with the bearer token.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch fault, retryAfter := s.faults.Take(); fault {
	case simkit.TooManyRequests:
		tooMany(w, retryAfter)
		return
	case simkit.ServerError:
		s.serverError(w, r)
		return
	}
	if r.URL.Path == "/connect/token" {
		s.mux.ServeHTTP(w, r)
		return
	}
	g, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantKey{}, g)))
}

func (s *Sim) serverError(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/connect/token" {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	generalError(w, http.StatusInternalServerError, "An unexpected error occurred. Please contact your system administrator.")
}

// Settings point both the API and the Authentication Server at baseURL.
func (s *Sim) Settings(baseURL string) map[string]string {
	return map[string]string{"url": baseURL, "auth_url": baseURL, "client_id": ClientID, "scope": Scope}
}

func (s *Sim) Secrets() map[string]string { return map[string]string{"client_secret": ClientSecret} }

func (s *Sim) WrongSecrets() map[string]string {
	return map[string]string{"client_secret": "not-the-bp-secret"}
}

func (s *Sim) Clock() *simkit.Clock   { return s.clock }
func (s *Sim) Faults() *simkit.Faults { return s.faults }
func (s *Sim) Tokens() *simkit.Tokens { return s.tokens }
func (s *Sim) MissingJobRef() string  { return sessionID(0xffffffffffff) }
func (s *Sim) Seeded() simkit.Counts  { return s.seeded }

var _ simkit.Sim = (*Sim)(nil)
