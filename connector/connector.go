// Package connector is what Bureau knows about RPA tools in general: the
// Provider interface every vendor package implements, the normalised
// records it yields, the job-state vocabulary of SPEC §4, typed errors, and
// the registry of providers with the settings each one needs.
//
// Vendor knowledge (paths, auth, paging, field names) lives only in the
// vendor packages under connector/<vendor>.
package connector

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Provider is one account's connection to its RPA tool. Lists are streamed
// a page at a time through fn, in the vendor's own page size, so a sync
// never holds a whole estate in memory; returning an error from fn stops
// the listing and is returned as is.
type Provider interface {
	// Test proves the connection works end to end (auth, URL, tenant,
	// scope) and says what it found, e.g. "3 folders".
	Test(ctx context.Context) (TestResult, error)
	Processes(ctx context.Context, fn func([]Process) error) error
	// Jobs lists jobs created (or, where the vendor can filter on it,
	// changed) at or after since; the zero time lists every job. It may
	// yield a job more than once and may include some older ones; callers
	// upsert on Ref.
	Jobs(ctx context.Context, since time.Time, fn func([]Job) error) error
	Robots(ctx context.Context, fn func([]Robot) error) error
	Schedules(ctx context.Context, fn func([]Schedule) error) error
	// StartRun starts one job of the process and returns it as the
	// vendor reports it (usually pending).
	StartRun(ctx context.Context, processRef string, in RunInput) (Job, error)
	// Job reads one job; an unknown ref is ErrNotFound.
	Job(ctx context.Context, ref string) (Job, error)
}

// TestResult is what a successful Test found.
type TestResult struct {
	Details string `json:"details"`
}

// RunInput is what a manual run passes to the vendor.
type RunInput struct {
	// Arguments are the process's input arguments, passed in the vendor's
	// own encoding.
	Arguments map[string]any
	// RobotRef pins the run to one robot when the vendor supports it.
	RobotRef string
}

// Process is a runnable automation: a UiPath release, a Blue Prism process,
// an Automation Anywhere bot, a Power Automate flow, a Robomotion flow.
type Process struct {
	Ref         string `json:"ref"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Folder is where the vendor keeps it (UiPath folder, Blue Prism
	// group, repository path), for display.
	Folder string          `json:"folder,omitempty"`
	Raw    json.RawMessage `json:"raw,omitempty"`
}

// Job is one execution of a process.
type Job struct {
	Ref         string `json:"ref"`
	ProcessRef  string `json:"process_ref"`
	ProcessName string `json:"process_name,omitempty"`
	RobotRef    string `json:"robot_ref,omitempty"`
	RobotName   string `json:"robot_name,omitempty"`
	State       State  `json:"state"`
	// RawState is the vendor's own state, kept beside the normalised one.
	RawState  string     `json:"raw_state"`
	CreatedAt time.Time  `json:"created_at"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// UpdatedAt is the vendor's last-modified time, or the latest of the
	// times above when the vendor has none.
	UpdatedAt time.Time `json:"updated_at"`
	// Trigger is how it started: manual, schedule, queue, api, … (vendor
	// words, lower case).
	Trigger string          `json:"trigger,omitempty"`
	Error   string          `json:"error,omitempty"`
	Raw     json.RawMessage `json:"raw,omitempty"`
}

// Robot is whatever runs jobs: a UiPath robot or session, a Blue Prism
// resource, an Automation Anywhere device, a Power Automate machine.
type Robot struct {
	Ref       string          `json:"ref"`
	Name      string          `json:"name"`
	Status    RobotStatus     `json:"status"`
	RawStatus string          `json:"raw_status"`
	Machine   string          `json:"machine,omitempty"`
	LastSeen  *time.Time      `json:"last_seen,omitempty"`
	Raw       json.RawMessage `json:"raw,omitempty"`
}

// RobotStatus is the normalised robot status.
type RobotStatus string

const (
	RobotAvailable RobotStatus = "available"
	RobotBusy      RobotStatus = "busy"
	RobotOffline   RobotStatus = "offline"
	RobotUnknown   RobotStatus = "unknown"
)

// Schedule is a vendor trigger that starts a process on a timetable.
type Schedule struct {
	Ref         string `json:"ref"`
	Name        string `json:"name"`
	ProcessRef  string `json:"process_ref,omitempty"`
	ProcessName string `json:"process_name,omitempty"`
	Enabled     bool   `json:"enabled"`
	// Cron is the vendor's cron expression when it has one (UiPath's and
	// Robomotion's carry seconds), else empty.
	Cron string `json:"cron,omitempty"`
	// Summary says when it runs in words ("Every day at 09:00").
	Summary   string          `json:"summary,omitempty"`
	Timezone  string          `json:"timezone,omitempty"`
	NextRunAt *time.Time      `json:"next_run_at,omitempty"`
	Raw       json.RawMessage `json:"raw,omitempty"`
}

// Config is what a provider is built from: the account's saved settings,
// its opened secrets, and the plumbing tests replace.
type Config struct {
	Settings map[string]string
	Secrets  map[string]string
	// HTTP is the client to use; nil means a client built from the
	// settings (timeout, custom CA, skip-verify).
	HTTP *http.Client
	// Timeout bounds every single vendor call; zero means DefaultTimeout.
	Timeout time.Duration
	// Sleep waits between retries; nil means a context-aware time.Sleep.
	// Tests record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for token expiry; nil means time.Now.
	Now func() time.Time
	// PageSize overrides the vendor's page size (tests use small pages
	// to prove paging); zero means the provider's default.
	PageSize int
	// Seed names the estate of the demo provider (the account id), so
	// each trial account gets its own.
	Seed string
}

// DefaultTimeout bounds one vendor call.
const DefaultTimeout = 30 * time.Second

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Setting returns a non-secret setting, or def when it is empty.
func (c Config) Setting(key, def string) string {
	if v := c.Settings[key]; v != "" {
		return v
	}
	return def
}
