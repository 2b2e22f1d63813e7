// Package simkit holds what every vendor simulator shares: a clock the test
// moves, injectable faults (429, 5xx, latency), an access-token issuer with
// a lifetime on that clock, and the Sim interface the contract suite and
// cmd/rpasim drive. The vendor-specific parts (paths, bodies, casing,
// paging) live in each connector/<vendor>/<vendor>sim package.
package simkit

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Sim is a stateful local server speaking one vendor's API.
type Sim interface {
	http.Handler
	// Settings are the connection settings that point a Bureau account
	// at this simulator served at baseURL.
	Settings(baseURL string) map[string]string
	// Secrets are credentials the simulator accepts.
	Secrets() map[string]string
	// WrongSecrets are credentials it refuses, the way the vendor does.
	WrongSecrets() map[string]string
	Clock() *Clock
	Faults() *Faults
	// Tokens is nil for vendors with static API tokens.
	Tokens() *Tokens
	// Seeded says how many records of each kind the simulator holds
	// before any run is started.
	Seeded() Counts
	// MissingJobRef is a well-formed job reference that does not exist.
	MissingJobRef() string
}

// Counts of seeded records.
type Counts struct {
	Processes, Jobs, Robots, Schedules int
}

// Options size and time a simulator. Zero values mean the defaults.
type Options struct {
	Clock *Clock
	// Seed sizes; defaults: 6 processes, 40 jobs, 4 robots, 3 schedules.
	Counts Counts
	// TokenLifetime of issued access tokens (default: the vendor's own).
	TokenLifetime time.Duration
	// RunPending and RunDuration time a started run: pending, then
	// running, then finished (defaults 5 s and 30 s).
	RunPending, RunDuration time.Duration
}

// WithDefaults fills the zero fields.
func (o Options) WithDefaults() Options {
	if o.Clock == nil {
		o.Clock = RealClock()
	}
	if o.Counts == (Counts{}) {
		o.Counts = Counts{Processes: 6, Jobs: 40, Robots: 4, Schedules: 3}
	}
	if o.RunPending == 0 {
		o.RunPending = 5 * time.Second
	}
	if o.RunDuration == 0 {
		o.RunDuration = 30 * time.Second
	}
	return o
}

// RunState is where a started run is at t: "pending", "running" or
// "done" (the vendor's final state is the simulator's choice).
func (o Options) RunState(started, now time.Time) string {
	switch {
	case now.Before(started.Add(o.RunPending)):
		return "pending"
	case now.Before(started.Add(o.RunPending + o.RunDuration)):
		return "running"
	default:
		return "done"
	}
}

// Clock is the simulator's time: real, or moved by the test.
type Clock struct {
	mu   sync.Mutex
	now  time.Time
	real bool
}

// NewClock is a manual clock starting at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start.UTC()} }

// RealClock follows the wall clock.
func RealClock() *Clock { return &Clock{real: true} }

func (c *Clock) Now() time.Time {
	if c.real {
		return time.Now().UTC()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves a manual clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Faults are failures the next requests will meet.
type Faults struct {
	mu         sync.Mutex
	n429       int
	retryAfter time.Duration
	n5xx       int
	latency    time.Duration
}

// Fault is what a request should meet now.
type Fault int

const (
	None Fault = iota
	TooManyRequests
	ServerError
)

// Inject429 makes the next n requests answer 429 with Retry-After
// (omitted when retryAfter is 0).
func (f *Faults) Inject429(n int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n429, f.retryAfter = n, retryAfter
}

// Inject5xx makes the next n requests fail with a server error.
func (f *Faults) Inject5xx(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n5xx = n
}

// SetLatency delays every request by d.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// Reset clears every fault.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n429, f.n5xx, f.latency = 0, 0, 0
}

// Take consumes the next fault (429s first), after sleeping the latency.
func (f *Faults) Take() (Fault, time.Duration) {
	f.mu.Lock()
	latency := f.latency
	fault, ra := None, time.Duration(0)
	switch {
	case f.n429 > 0:
		f.n429--
		fault, ra = TooManyRequests, f.retryAfter
	case f.n5xx > 0:
		f.n5xx--
		fault = ServerError
	}
	f.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}
	return fault, ra
}

// Tokens issues opaque access tokens that expire on the clock.
type Tokens struct {
	Clock    *Clock
	Lifetime time.Duration

	mu     sync.Mutex
	issued map[string]time.Time
	count  int
}

// NewTokens issues tokens living lifetime on clock.
func NewTokens(clock *Clock, lifetime time.Duration) *Tokens {
	return &Tokens{Clock: clock, Lifetime: lifetime, issued: map[string]time.Time{}}
}

// Issue returns a new token and its lifetime in seconds.
func (t *Tokens) Issue() (string, int) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.issued[tok] = t.Clock.Now().Add(t.Lifetime)
	t.count++
	return tok, int(t.Lifetime / time.Second)
}

// Valid reports whether tok was issued and has not expired.
func (t *Tokens) Valid(tok string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.issued[tok]
	return ok && t.Clock.Now().Before(exp)
}

// RevokeAll invalidates every issued token (as a vendor restart or a
// rotated signing key would).
func (t *Tokens) RevokeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.issued = map[string]time.Time{}
}

// Issued counts the tokens issued so far.
func (t *Tokens) Issued() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// Bearer returns the token of an "Authorization: Bearer …" header.
func Bearer(r *http.Request) string {
	const p = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) > len(p) && (h[:len(p)] == p || h[:len(p)] == "bearer ") {
		return h[len(p):]
	}
	return ""
}
