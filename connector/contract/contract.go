// Package contract is the test suite every connector passes against its
// vendor's simulator: the same behaviour, checked the same way, whatever the
// vendor's API looks like.
package contract

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/simkit"
)

// Start is when every contract simulator's clock begins.
var Start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// PageSize is small so every seeded list spans several pages.
const PageSize = 3

// NewSim builds the vendor's simulator.
type NewSim func(opts simkit.Options) simkit.Sim

// Env is one running simulator and a connector pointed at it.
type Env struct {
	Sim      simkit.Sim
	Provider connector.Provider
	Config   connector.Config
	URL      string
	sleeps   *sleeps
}

// Setup starts the simulator and builds the named provider against it.
func Setup(t *testing.T, provider string, newSim NewSim) *Env {
	t.Helper()
	sim := newSim(simkit.Options{Clock: simkit.NewClock(Start)})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	s := &sleeps{}
	cfg := connector.Config{
		Settings: sim.Settings(srv.URL),
		Secrets:  sim.Secrets(),
		Timeout:  5 * time.Second,
		Sleep:    s.sleep,
		Now:      sim.Clock().Now,
		PageSize: PageSize,
	}
	p, err := connector.New(provider, cfg)
	if err != nil {
		t.Fatalf("new %s: %v", provider, err)
	}
	return &Env{Sim: sim, Provider: p, Config: cfg, URL: srv.URL, sleeps: s}
}

// Run is the contract: every connector must pass it against its simulator.
func Run(t *testing.T, provider string, newSim NewSim) {
	ctx := context.Background()

	t.Run("test connection succeeds and says what it found", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		res, err := e.Provider.Test(ctx)
		if err != nil {
			t.Fatalf("test: %v", err)
		}
		if strings.TrimSpace(res.Details) == "" {
			t.Error("test: empty details")
		}
	})

	t.Run("wrong secret surfaces the vendor's own error", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		cfg := e.Config
		cfg.Secrets = e.Sim.WrongSecrets()
		p, err := connector.New(provider, cfg)
		if err != nil {
			t.Fatalf("new: %v", err)
		}
		_, err = p.Test(ctx)
		var ce *connector.Error
		if !errors.As(err, &ce) {
			t.Fatalf("test with wrong secret: want *connector.Error, got %v", err)
		}
		if ce.Kind != connector.KindAuth && ce.Kind != connector.KindForbidden {
			t.Errorf("kind = %s, want auth_failed or forbidden (%v)", ce.Kind, err)
		}
		if strings.TrimSpace(ce.Message) == "" {
			t.Error("no vendor message")
		}
		for _, s := range cfg.Secrets {
			if len(s) >= 4 && strings.Contains(err.Error(), s) {
				t.Errorf("error shows the secret: %v", err)
			}
		}
	})

	t.Run("every list spans several pages and yields every record", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		want := e.Sim.Seeded()
		check := func(name string, pages int, refs []string, want int) {
			t.Helper()
			if len(refs) != want {
				t.Errorf("%s: %d records, want %d", name, len(refs), want)
			}
			if want > PageSize && pages < 2 {
				t.Errorf("%s: %d pages for %d records with page size %d", name, pages, want, PageSize)
			}
			seen := map[string]bool{}
			for _, r := range refs {
				if r == "" || seen[r] {
					t.Errorf("%s: empty or repeated ref %q", name, r)
				}
				seen[r] = true
			}
		}
		pages, refs := 0, []string{}
		must(t, e.Provider.Processes(ctx, func(ps []connector.Process) error {
			pages++
			for _, p := range ps {
				refs = append(refs, p.Ref)
				if p.Name == "" {
					t.Errorf("process %s has no name", p.Ref)
				}
			}
			return nil
		}))
		check("processes", pages, refs, want.Processes)

		pages, refs = 0, nil
		must(t, e.Provider.Robots(ctx, func(rs []connector.Robot) error {
			pages++
			for _, r := range rs {
				refs = append(refs, r.Ref)
				if r.Name == "" || r.RawStatus == "" {
					t.Errorf("robot %s: name %q raw status %q", r.Ref, r.Name, r.RawStatus)
				}
				if !slices.Contains([]connector.RobotStatus{connector.RobotAvailable, connector.RobotBusy, connector.RobotOffline, connector.RobotUnknown}, r.Status) {
					t.Errorf("robot %s: status %q", r.Ref, r.Status)
				}
			}
			return nil
		}))
		check("robots", pages, refs, want.Robots)

		pages, refs = 0, nil
		must(t, e.Provider.Schedules(ctx, func(ss []connector.Schedule) error {
			pages++
			for _, s := range ss {
				refs = append(refs, s.Ref)
				if s.Name == "" {
					t.Errorf("schedule %s has no name", s.Ref)
				}
			}
			return nil
		}))
		check("schedules", pages, refs, want.Schedules)

		pages, refs = 0, nil
		states := map[connector.State]bool{}
		must(t, e.Provider.Jobs(ctx, time.Time{}, func(js []connector.Job) error {
			pages++
			for _, j := range js {
				refs = append(refs, j.Ref)
				checkJob(t, j)
				states[j.State] = true
			}
			return nil
		}))
		check("jobs", pages, refs, want.Jobs)
		if !states[connector.StateSuccessful] || !states[connector.StateFaulted] {
			t.Errorf("seeded jobs should include successes and failures, got states %v", states)
		}
	})

	t.Run("a stopped listing returns the callback's error", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		stop := errors.New("stop")
		calls := 0
		err := e.Provider.Jobs(ctx, time.Time{}, func([]connector.Job) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("err %v after %d calls, want stop after 1", err, calls)
		}
	})

	t.Run("jobs since a watermark are only the new ones", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		e.Sim.Clock().Advance(time.Minute)
		since := e.Sim.Clock().Now()
		if got := jobs(t, e, since); len(got) != 0 {
			t.Fatalf("before any run: %d jobs since the watermark, want 0 (%v)", len(got), refsOf(got))
		}
		e.Sim.Clock().Advance(time.Second)
		started := startRun(t, e)
		got := jobs(t, e, since)
		if len(got) != 1 || got[0].Ref != started.Ref {
			t.Fatalf("after one run: jobs since watermark %v, want [%s]", refsOf(got), started.Ref)
		}
	})

	t.Run("a started run moves to a final state and appears in the list", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		job := startRun(t, e)
		if job.State != connector.StatePending && job.State != connector.StateRunning {
			t.Errorf("started job state %s (%s), want pending or running", job.State, job.RawState)
		}
		e.Sim.Clock().Advance(2 * time.Minute)
		got, err := e.Provider.Job(ctx, job.Ref)
		if err != nil {
			t.Fatalf("read job %s: %v", job.Ref, err)
		}
		checkJob(t, got)
		if !got.State.Terminal() || got.EndedAt == nil {
			t.Errorf("after 2 minutes: state %s (%s), ended %v; want a final state", got.State, got.RawState, got.EndedAt)
		}
		listed := jobs(t, e, time.Time{})
		i := slices.IndexFunc(listed, func(j connector.Job) bool { return j.Ref == job.Ref })
		if i < 0 {
			t.Fatalf("started job %s not in the job list", job.Ref)
		}
		if listed[i].State != got.State {
			t.Errorf("listed state %s, read state %s", listed[i].State, got.State)
		}
	})

	t.Run("an expired or revoked token is replaced", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		tokens := e.Sim.Tokens()
		if tokens == nil {
			t.Skip("the vendor uses a static API token")
		}
		processes(t, e)
		n := tokens.Issued()
		e.Sim.Clock().Advance(tokens.Lifetime + time.Second)
		processes(t, e)
		if tokens.Issued() != n+1 {
			t.Errorf("after expiry: %d tokens issued, want %d", tokens.Issued(), n+1)
		}
		tokens.RevokeAll()
		processes(t, e)
		if tokens.Issued() != n+2 {
			t.Errorf("after revocation: %d tokens issued, want %d", tokens.Issued(), n+2)
		}
	})

	t.Run("429 is retried after Retry-After, then reported", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		processes(t, e) // authenticate first: the faults are for the list call
		e.Sim.Faults().Inject429(2, 7*time.Second)
		processes(t, e)
		if got := e.sleeps.count(7 * time.Second); got != 2 {
			t.Errorf("waited 7s %d times, want 2 (waits: %v)", got, e.sleeps.all())
		}
		e.Sim.Faults().Inject429(100, 7*time.Second)
		err := e.Provider.Processes(ctx, func([]connector.Process) error { return nil })
		var ce *connector.Error
		if !errors.As(err, &ce) || ce.Kind != connector.KindRateLimited || ce.RetryAfter != 7*time.Second {
			t.Errorf("persistent 429: %v, want rate_limited with retry after 7s", err)
		}
	})

	t.Run("5xx is retried for reads, then reported as unavailable", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		processes(t, e)
		e.Sim.Faults().Inject5xx(1)
		processes(t, e)
		e.Sim.Faults().Inject5xx(100)
		err := e.Provider.Processes(ctx, func([]connector.Process) error { return nil })
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("persistent 5xx: %v, want vendor_unavailable", err)
		}
	})

	t.Run("an unknown job is not found, in the vendor's words", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		_, err := e.Provider.Job(ctx, e.Sim.MissingJobRef())
		var ce *connector.Error
		if !errors.As(err, &ce) || ce.Kind != connector.KindNotFound || strings.TrimSpace(ce.Message) == "" {
			t.Errorf("missing job: %v, want not_found with a message", err)
		}
	})

	t.Run("a slow vendor hits the timeout", func(t *testing.T) {
		e := Setup(t, provider, newSim)
		processes(t, e)
		cfg := e.Config
		cfg.Timeout = 100 * time.Millisecond
		p, err := connector.New(provider, cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.Sim.Faults().SetLatency(400 * time.Millisecond)
		defer e.Sim.Faults().Reset()
		_, err = p.Test(ctx)
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("slow vendor: %v, want vendor_unavailable", err)
		}
	})
}

func checkJob(t *testing.T, j connector.Job) {
	t.Helper()
	if j.Ref == "" || j.ProcessRef == "" || j.RawState == "" || !j.State.Valid() || j.CreatedAt.IsZero() {
		t.Errorf("job %+v: ref, process ref, raw state, valid state and created time are required", j)
	}
	if j.State.Terminal() && j.EndedAt == nil {
		t.Errorf("job %s is %s but has no end time", j.Ref, j.State)
	}
	if j.State == connector.StateFaulted && j.Error == "" {
		t.Errorf("faulted job %s has no error", j.Ref)
	}
}

func startRun(t *testing.T, e *Env) connector.Job {
	t.Helper()
	ps := processes(t, e)
	if len(ps) == 0 {
		t.Fatal("no processes to run")
	}
	job, err := e.Provider.StartRun(context.Background(), ps[0].Ref, connector.RunInput{})
	if err != nil {
		t.Fatalf("start run of %s: %v", ps[0].Ref, err)
	}
	if job.Ref == "" {
		t.Fatal("started job has no ref")
	}
	return job
}

func processes(t *testing.T, e *Env) []connector.Process {
	t.Helper()
	var out []connector.Process
	must(t, e.Provider.Processes(context.Background(), func(ps []connector.Process) error {
		out = append(out, ps...)
		return nil
	}))
	return out
}

func jobs(t *testing.T, e *Env, since time.Time) []connector.Job {
	t.Helper()
	byRef := map[string]connector.Job{}
	var order []string
	must(t, e.Provider.Jobs(context.Background(), since, func(js []connector.Job) error {
		for _, j := range js {
			if _, ok := byRef[j.Ref]; !ok {
				order = append(order, j.Ref)
			}
			byRef[j.Ref] = j
		}
		return nil
	}))
	out := make([]connector.Job, 0, len(order))
	for _, r := range order {
		out = append(out, byRef[r])
	}
	return out
}

func refsOf(js []connector.Job) []string {
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = j.Ref
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) count(d time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, x := range s.d {
		if x == d {
			n++
		}
	}
	return n
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}
