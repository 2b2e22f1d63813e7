// Package robosim is a local stand-in for Robomotion's API
// (api.robomotion.io/v1/<resource>.<verb>): a static bearer API token,
// GET lists paged with page/size answering {ok, <items>, total}, errors as
// {ok:false, error:"<code>"} — with HTTP 200 for errors about the request's
// content (flow_not_found) — and flows.run starting a job that moves from
// queued to running to success or failed on the simulator's clock.
//
// Robomotion publishes little. What the docs show is reproduced as shown
// (robot, schedule and list shapes; 401 for a bad token); the rest is
// marked "assumption" and kept minimal.
package robosim

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"bureau/connector/simkit"
)

// Job statuses. running=1, success=2, failed=3 are the community
// client's codes; queued=0 and stopped=4 are assumptions.
const (
	StatusQueued  = 0
	StatusRunning = 1
	StatusSuccess = 2
	StatusFailed  = 3
	StatusStopped = 4
)

// Page sizes (assumption: Robomotion documents neither).
const (
	defaultSize = 20
	maxSize     = 100
)

const (
	goodToken = "rmo_api_7Qm2vX9kLp4tR8sW1zN6"
	badToken  = "rmo_api_revoked_0000000000000"
)

// Sim is the Robomotion simulator.
type Sim struct {
	opts   simkit.Options
	faults simkit.Faults

	flows     []flowRec
	robots    []robotRec
	schedules []scheduleRec

	mu   sync.Mutex
	rng  *rand.Rand
	jobs []*jobRec // seeded and started, in creation order
}

// New seeds a workspace whose jobs all ended before the clock's now.
func New(opts simkit.Options) *Sim {
	opts = opts.WithDefaults()
	s := &Sim{opts: opts, rng: rand.New(rand.NewPCG(7, 11))}
	s.seed()
	return s
}

func (s *Sim) Settings(baseURL string) map[string]string { return map[string]string{"url": baseURL} }
func (s *Sim) Secrets() map[string]string                { return map[string]string{"api_token": goodToken} }
func (s *Sim) WrongSecrets() map[string]string           { return map[string]string{"api_token": badToken} }
func (s *Sim) Clock() *simkit.Clock                      { return s.opts.Clock }
func (s *Sim) Faults() *simkit.Faults                    { return &s.faults }

// Tokens is nil: Robomotion's API tokens are static.
func (s *Sim) Tokens() *simkit.Tokens { return nil }
func (s *Sim) Seeded() simkit.Counts  { return s.opts.Counts }

// MissingJobRef is a well-formed job id that was never issued.
func (s *Sim) MissingJobRef() string { return "00000000-dead-4bee-8000-000000000000" }

type route struct {
	method string
	handle func(w http.ResponseWriter, r *http.Request)
}

func (s *Sim) routes() map[string]route {
	return map[string]route{
		"/v1/auth.check":                  {http.MethodGet, s.authCheck},
		"/v1/flows.list":                  {http.MethodGet, s.listFlows},
		"/v1/flows.run":                   {http.MethodPost, s.runFlow},
		"/v1/jobs.list":                   {http.MethodGet, s.listJobs},
		"/v1/jobs.get":                    {http.MethodGet, s.getJob},
		"/v1/robots.list":                 {http.MethodGet, s.listRobots},
		"/v1/users.robots.connected.list": {http.MethodGet, s.listConnected},
		"/v1/schedules.list":              {http.MethodGet, s.listSchedules},
	}
}

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch fault, retryAfter := s.faults.Take(); fault {
	case simkit.TooManyRequests:
		if retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
		}
		fail(w, http.StatusTooManyRequests, "rate_limited")
		return
	case simkit.ServerError:
		fail(w, http.StatusInternalServerError, "internal_error")
		return
	}
	// The docs: "If the credentials are not valid service returns 401".
	if simkit.Bearer(r) != goodToken {
		fail(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	rt, ok := s.routes()[r.URL.Path]
	switch {
	case !ok:
		fail(w, http.StatusNotFound, "unknown_method") // body assumed
	case r.Method != rt.method:
		fail(w, http.StatusMethodNotAllowed, "method_not_allowed") // body assumed
	default:
		rt.handle(w, r)
	}
}

func (s *Sim) authCheck(w http.ResponseWriter, _ *http.Request) {
	write(w, http.StatusOK, map[string]any{"ok": true})
}

func write(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func fail(w http.ResponseWriter, status int, code string) {
	write(w, status, map[string]any{"ok": false, "error": code})
}

// refuse answers an error about the request's content the way
// flows.run's flow_not_found is reported: HTTP 200 with ok:false.
func refuse(w http.ResponseWriter, code string) { fail(w, http.StatusOK, code) }
