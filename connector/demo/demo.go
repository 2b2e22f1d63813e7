// Package demo is a built-in simulated RPA estate for trying Bureau
// without an RPA tool: five processes, four robots, three schedules and a
// steady stream of jobs over the last 30 days.
//
// Nothing is stored and nothing goes over the network. Every job is
// computed from the seed (the account id) and the clock: each process
// runs every few minutes or hours on a timetable the seed picks, and each
// run's robot, timing and outcome come from a hash of (seed, process,
// slot). Runs started from Bureau are the only state, kept per seed.
package demo

import (
	"context"
	"time"

	"bureau/connector"
)

// DefaultPageSize is the jobs per page when the config sets none.
const DefaultPageSize = 500

func init() {
	connector.Register(connector.Spec{
		Name:   "demo",
		Label:  "Demo estate (no credentials)",
		Vendor: "Demo",
		Help: "A simulated RPA estate for trying Bureau: invoice, claims, vendor, payroll and month-end processes " +
			"running on four robots, with 30 days of job history, realistic failures and live runs. " +
			"The data is generated, not read from any RPA tool, and nothing needs to be configured.",
		New: New,
	})
}

// Provider is one account's demo estate.
type Provider struct {
	seed     string
	estate   *estate
	now      func() time.Time
	pageSize int
}

// New builds the estate named by cfg.Seed.
func New(cfg connector.Config) (connector.Provider, error) {
	seed := cfg.Seed
	if seed == "" {
		seed = "demo"
	}
	d := &Provider{seed: seed, estate: newEstate(seed), now: time.Now, pageSize: cfg.PageSize}
	if cfg.Now != nil {
		d.now = cfg.Now
	}
	if d.pageSize <= 0 {
		d.pageSize = DefaultPageSize
	}
	return d, nil
}

func (d *Provider) Test(ctx context.Context) (connector.TestResult, error) {
	return connector.TestResult{Details: "Demo estate: 5 processes, 4 robots"}, nil
}

func (d *Provider) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	out := make([]connector.Process, 0, len(d.estate.processes))
	for _, p := range d.estate.processes {
		out = append(out, connector.Process{Ref: p.key, Name: p.name, Description: p.description, Folder: p.folder})
	}
	return pages(out, d.pageSize, fn)
}

// Robots reports the production robots busy while one of their jobs runs
// and available otherwise; the developer robot is offline, last seen the
// day before yesterday.
func (d *Provider) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	now := d.now().UTC()
	busy := d.busyRobots(now)
	out := make([]connector.Robot, 0, len(robots))
	for i, r := range robots {
		rb := connector.Robot{Ref: r.ref, Name: r.name, Machine: r.machine, Status: connector.RobotAvailable}
		seen := now
		switch {
		case r.offline:
			rb.Status = connector.RobotOffline
			seen = now.Truncate(24*time.Hour).AddDate(0, 0, -2).Add(17*time.Hour + 42*time.Minute)
		case busy[i]:
			rb.Status = connector.RobotBusy
		}
		rb.RawStatus, rb.LastSeen = string(rb.Status), &seen
		out = append(out, rb)
	}
	return pages(out, d.pageSize, fn)
}

// busyRobots looks at the runs that may be running now: those begun
// within the longest run's duration.
func (d *Provider) busyRobots(now time.Time) []bool {
	busy := make([]bool, len(robots))
	for _, p := range d.estate.processes {
		for k := p.slotAt(now.Add(-p.maxDur - 2*time.Minute)); k <= p.slotAt(now); k++ {
			r := d.estate.slotRun(p, k)
			if !now.Before(r.started) && now.Before(r.ended) && !r.created.After(now) {
				busy[r.robot] = true
			}
		}
	}
	for _, r := range manualRuns(d, now.Add(-manualPending-manualDuration)) {
		if !now.Before(r.started) && now.Before(r.ended) {
			busy[r.robot] = true
		}
	}
	return busy
}

// Schedules are the timetables of the three scheduled processes; the
// other two are fed by work queues.
func (d *Provider) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	now := d.now()
	var out []connector.Schedule
	for _, p := range d.estate.processes {
		if p.trigger != "schedule" {
			continue
		}
		next := p.slotStart(p.slotAt(now) + 1)
		out = append(out, connector.Schedule{
			Ref: "schedule-" + p.key, Name: p.name + " timetable", ProcessRef: p.key, ProcessName: p.name,
			Enabled: true, Cron: p.cron(), Summary: p.summary(), Timezone: "UTC", NextRunAt: &next,
		})
	}
	return pages(out, d.pageSize, fn)
}

// pages hands items to fn size at a time, as every provider pages.
func pages[T any](items []T, size int, fn func([]T) error) error {
	for len(items) > 0 {
		n := min(size, len(items))
		if err := fn(items[:n:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}
