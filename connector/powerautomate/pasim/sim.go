// Package pasim simulates what Bureau uses of Microsoft Power Automate: an
// Entra ID token endpoint (client credentials, /{tenant}/oauth2/v2.0/token)
// and one environment's Dataverse Web API under /api/data/v9.2/ — WhoAmI,
// workflows (desktop and cloud flows, cloud flow definitions with
// Recurrence triggers in clientdata), flowsessions (desktop flow runs),
// flowruns (cloud flow runs), flowmachines and the RunDesktopFlow action —
// with Dataverse's OData subset: $select, $filter (comparisons joined by
// and), $orderby, $top, Prefer: odata.maxpagesize paging through
// @odata.nextLink/$skiptoken, no $skip, and its error bodies.
//
// Facts the public docs do not settle are marked "assumption" where used.
package pasim

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"bureau/connector/simkit"
)

// Credentials and names the simulator accepts.
const (
	Tenant       = "4b2e8f1c-7d3a-4c5e-9f60-1a2b3c4d5e6f"
	ClientID     = "9d8c7b6a-5f4e-4d3c-8b2a-0f1e2d3c4b5a"
	ClientSecret = "Zq8~sim.PowerAutomate-secret_0a1b2c3d4e5f"
	// ConnectionName is the desktop flows connection RunDesktopFlow
	// accepts (connectionType 1); ConnectionReference is a connection
	// reference logical name for it (connectionType 2).
	ConnectionName      = "5c0f3e9a2b7d4c18a6e4f2d1b3c5a7e9"
	ConnectionReference = "cr7a2_sharedDesktopFlows"
)

// DefaultTokenLifetime is what Entra ID usually grants (seconds: 3599).
const DefaultTokenLifetime = 3599 * time.Second

const apiPrefix = "/api/data/v9.2/"

// Sim is a Power Platform environment and its Entra ID tenant.
type Sim struct {
	opts   simkit.Options
	faults *simkit.Faults
	tokens *simkit.Tokens

	mu        sync.Mutex
	rng       *rand.Rand
	user      string
	unit      string
	org       string
	workflows []*workflow
	sessions  []*session
	runs      []*flowRun
	machines  []*machine
	starts    []time.Time // RunDesktopFlow calls in the last minute
	seeded    simkit.Counts
	missing   string
}

// New seeds an environment with opts.Counts records, all dated before the
// clock's now.
func New(opts simkit.Options) *Sim {
	opts = opts.WithDefaults()
	life := opts.TokenLifetime
	if life == 0 {
		life = DefaultTokenLifetime
	}
	s := &Sim{
		opts:   opts,
		faults: &simkit.Faults{},
		tokens: simkit.NewTokens(opts.Clock, life),
		rng:    rand.New(rand.NewPCG(0x9a5e, 0x51a7)),
	}
	s.seed()
	return s
}

// Settings point a power-automate account at the simulator: it is both the
// environment and the sign-in authority.
func (s *Sim) Settings(baseURL string) map[string]string {
	return map[string]string{
		"environment_url": baseURL,
		"authority":       baseURL,
		"tenant_id":       Tenant,
		"client_id":       ClientID,
		"flows":           "both",
		"connection_name": ConnectionName,
		"run_mode":        "unattended",
	}
}

func (s *Sim) Secrets() map[string]string { return map[string]string{"client_secret": ClientSecret} }

func (s *Sim) WrongSecrets() map[string]string {
	return map[string]string{"client_secret": "Xy7~not.the-right-secret_99"}
}

func (s *Sim) Clock() *simkit.Clock   { return s.opts.Clock }
func (s *Sim) Faults() *simkit.Faults { return s.faults }
func (s *Sim) Tokens() *simkit.Tokens { return s.tokens }
func (s *Sim) Seeded() simkit.Counts  { return s.seeded }
func (s *Sim) MissingJobRef() string  { return s.missing }
func (s *Sim) now() time.Time         { return s.opts.Clock.Now() }

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault, retryAfter := s.faults.Take()
	switch {
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
		if fault != simkit.None {
			s.entraFault(w, fault, retryAfter)
			return
		}
		s.token(w, r)
	case strings.HasPrefix(r.URL.Path, apiPrefix):
		if fault != simkit.None {
			dataverseFault(w, fault, retryAfter)
			return
		}
		if !s.tokens.Valid(simkit.Bearer(r)) {
			unauthorized(w, r)
			return
		}
		s.dataverse(w, r)
	default:
		http.NotFound(w, r)
	}
}

// guid returns the next deterministic version-4 GUID.
func (s *Sim) guid() string {
	var b [16]byte
	for i := range 2 {
		v := s.rng.Uint64()
		for j := range 8 {
			b[i*8+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0x0f])
	}
	return string(out)
}
