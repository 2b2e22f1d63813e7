// Package uipathsim is a local UiPath Orchestrator for tests and demos:
// Automation Cloud (NewCloud) or a standalone on-premises server
// (NewOnPrem), one engine speaking the OData API of rpa-apis.md §1–§2:
// OAuth client credentials (and ROPC Account/Authenticate on-prem) with
// scopes checked per endpoint, folder headers in all four forms, data
// partitioned across folders, the OData query subset the connector needs
// ($filter, $orderby, $top ≤ 1000, $skip, $count, $expand, $select),
// ErrorResult bodies, StartJobs/StopJob, and jobs that run on the clock.
package uipathsim

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"bureau/connector/simkit"
)

// Credentials and names the simulator accepts.
const (
	Organization = "bureau-demo"
	CloudTenant  = "DefaultTenant"
	OnPremTenant = "Default"
	ClientID     = "8c0f3b52-5d6e-4b7a-9f0e-1a2b3c4d5e6f"
	ClientSecret = "sim-app-secret-Q7x!kP2"
	Username     = "admin"
	Password     = "sim-admin-password-3Rv"
)

// grantedScopes are the application scopes the simulated external app was
// given in the admin console.
var grantedScopes = []string{
	"OR.Folders", "OR.Folders.Read", "OR.Execution", "OR.Execution.Read",
	"OR.Jobs", "OR.Jobs.Read", "OR.Jobs.Write", "OR.Robots", "OR.Robots.Read",
	"OR.Machines", "OR.Machines.Read", "OR.Default",
}

type mode int

const (
	cloud mode = iota
	onPrem
)

// Sim is a simulated Orchestrator tenant.
type Sim struct {
	mode   mode
	opts   simkit.Options
	faults simkit.Faults
	tokens *simkit.Tokens
	tenant string

	mu      sync.Mutex
	grants  map[string]grant
	folders []*folder
	procs   []*release
	robots  []*robot
	scheds  []*schedule
	jobs    jobStore
	seeded  simkit.Counts
}

// grant is what one issued token may do.
type grant struct {
	scopes map[string]bool // nil: a user token, limited by roles only
	// expires is set for Account/Authenticate tokens, which live 30
	// minutes whatever the identity server's lifetime.
	expires time.Time
}

// New is NewCloud, so every vendor's simulator has a New.
func New(opts simkit.Options) *Sim { return NewCloud(opts) }

// NewCloud simulates an Automation Cloud tenant: identity at
// /identity_/connect/token, Orchestrator under /{org}/{tenant}/orchestrator_/.
func NewCloud(opts simkit.Options) *Sim { return newSim(cloud, opts) }

// NewOnPrem simulates a standalone on-premises Orchestrator: identity at
// /identity/connect/token, /api/Account/Authenticate and /odata/ at the
// root, tenant chosen by X-UIPATH-TenantName. Its payloads follow API
// version 16 (no JobError, no LastModificationTime on jobs).
func NewOnPrem(opts simkit.Options) *Sim { return newSim(onPrem, opts) }

func newSim(m mode, opts simkit.Options) *Sim {
	opts = opts.WithDefaults()
	lifetime := opts.TokenLifetime
	if lifetime == 0 {
		lifetime = time.Hour // the identity server's documented 1 hour
	}
	s := &Sim{mode: m, opts: opts, tokens: simkit.NewTokens(opts.Clock, lifetime), grants: map[string]grant{}}
	s.tenant = CloudTenant
	if m == onPrem {
		s.tenant = OnPremTenant
	}
	s.seed(opts.Counts)
	return s
}

// Settings point a uipath-cloud or uipath-onprem account at the simulator.
func (s *Sim) Settings(baseURL string) map[string]string {
	if s.mode == onPrem {
		return map[string]string{
			"url": baseURL, "deployment": "standalone", "tenant": s.tenant,
			"auth": "client_credentials", "client_id": ClientID,
		}
	}
	return map[string]string{"url": baseURL, "organization": Organization, "tenant": s.tenant, "client_id": ClientID}
}

func (s *Sim) Secrets() map[string]string { return map[string]string{"client_secret": ClientSecret} }

func (s *Sim) WrongSecrets() map[string]string {
	return map[string]string{"client_secret": "not-the-secret-0000"}
}

func (s *Sim) Clock() *simkit.Clock   { return s.opts.Clock }
func (s *Sim) Faults() *simkit.Faults { return &s.faults }
func (s *Sim) Tokens() *simkit.Tokens { return s.tokens }
func (s *Sim) MissingJobRef() string  { return "999999999" }
func (s *Sim) Seeded() simkit.Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seeded
}

// Scale replaces every job with n seeded ones (started runs included), for
// benchmarks: jobs are compact records rendered on demand, kept in Id order
// per folder so a watermark is found by binary search.
func (s *Sim) Scale(jobs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seeded.Jobs = s.seedJobs(jobs)
}

// ServeHTTP answers like Orchestrator: faults first, then routing,
// authentication, tenant, scope and folder checks, then the entity.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault, retryAfter := s.faults.Take()
	switch fault {
	case simkit.TooManyRequests:
		writeRateLimited(w, retryAfter)
		return
	case simkit.ServerError:
		writeError(w, http.StatusInternalServerError, 0, "An error has occurred.")
		return
	}
	path := r.URL.Path
	switch {
	case s.mode == cloud && path == "/identity_/connect/token",
		s.mode == onPrem && path == "/identity/connect/token":
		s.token(w, r)
	case s.mode == onPrem && path == "/api/Account/Authenticate":
		s.authenticate(w, r)
	default:
		api, ok := s.apiPath(w, path)
		if ok {
			s.orchestrator(w, r, api)
		}
	}
}

// apiPath strips the deployment's prefix: /{org}/{tenant}/orchestrator_ in
// the cloud, nothing on-prem.
func (s *Sim) apiPath(w http.ResponseWriter, path string) (string, bool) {
	if s.mode == onPrem {
		return strings.TrimPrefix(path, "/"), true
	}
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 4)
	if len(parts) < 4 || parts[2] != "orchestrator_" {
		writeError(w, http.StatusNotFound, 0, "No HTTP resource was found that matches the request URI.")
		return "", false
	}
	if !strings.EqualFold(parts[0], Organization) || !strings.EqualFold(parts[1], s.tenant) {
		// Assumption: the real cloud's answer for an unknown organization
		// or tenant is not documented; a 404 naming it is what users need.
		writeError(w, http.StatusNotFound, 0, "Tenant '"+parts[1]+"' does not exist in organization '"+parts[0]+"'.")
		return "", false
	}
	return parts[3], true
}
