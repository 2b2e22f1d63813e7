// Package aasim simulates an Automation Anywhere Automation 360 Control
// Room for tests and demos: API-key or password sign-in issuing 20-minute
// JWT-style tokens sent as X-Authorization, every list as a POST with the
// {filter, sort, page} body and the {page, list} envelope, string ids,
// bot deployment creating an activity that moves QUEUED →
// PENDING_EXECUTION → RUNNING → COMPLETED/RUN_FAILED on the simulator's
// clock, devices and scheduled automations.
//
// Facts not published by Automation Anywhere are marked "Assumption" where
// they are implemented.
package aasim

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"bureau/connector/simkit"
)

// The account Bureau signs in as.
const (
	APIUser     = "bureau.sync"
	APIKey      = "aaSimKey0123456789abcdefghijklmnopqrstuv" // 40 characters, as real keys are
	APIPassword = "Bureau#Sim-2026"
	wrongAPIKey = "aaSimWrong456789abcdefghijklmnopqrstuvwx"
)

// tokenLifetime is the Control Room's session length.
const tokenLifetime = 20 * time.Minute

// Sim is a stateful Control Room.
type Sim struct {
	opts   simkit.Options
	tokens *simkit.Tokens
	faults simkit.Faults
	mux    *http.ServeMux

	mu         sync.Mutex
	rng        *rand.Rand
	users      []user
	files      []record
	devices    []record
	schedules  []*schedule
	activities []*activity
	nextID     int
	seeded     simkit.Counts
}

// New builds a Control Room seeded with opts.Counts records.
func New(opts simkit.Options) *Sim {
	opts = opts.WithDefaults()
	lifetime := opts.TokenLifetime
	if lifetime == 0 {
		lifetime = tokenLifetime
	}
	s := &Sim{
		opts:   opts,
		tokens: simkit.NewTokens(opts.Clock, lifetime),
		rng:    rand.New(rand.NewPCG(360, 2019)),
		nextID: 7000,
	}
	s.seed()
	s.routes()
	return s
}

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Settings point a connection at the simulator served at baseURL.
func (s *Sim) Settings(baseURL string) map[string]string {
	return map[string]string{
		"url":            baseURL,
		"username":       APIUser,
		"auth":           "api_key",
		"run_as_user_id": s.RunAsUserID(),
	}
}

func (s *Sim) Secrets() map[string]string      { return map[string]string{"api_key": APIKey} }
func (s *Sim) WrongSecrets() map[string]string { return map[string]string{"api_key": wrongAPIKey} }
func (s *Sim) Clock() *simkit.Clock            { return s.opts.Clock }
func (s *Sim) Faults() *simkit.Faults          { return &s.faults }
func (s *Sim) Tokens() *simkit.Tokens          { return s.tokens }
func (s *Sim) Seeded() simkit.Counts           { return s.seeded }

// MissingJobRef is shaped like an activity id (deployment id, "_", 16 hex
// digits) but names none.
func (s *Sim) MissingJobRef() string {
	return "00000000-0000-4000-8000-000000000000_0000000000000000"
}

// RunAsUserID is the unattended Bot Runner user deployments run as.
func (s *Sim) RunAsUserID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.runAs {
			return u.id
		}
	}
	return ""
}

func (s *Sim) now() time.Time { return s.opts.Clock.Now() }
