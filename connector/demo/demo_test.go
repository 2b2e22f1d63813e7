package demo

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bureau/connector"
)

var now0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newDemo(t testing.TB, seed string, c *clock, pageSize int) *Provider {
	t.Helper()
	p, err := connector.New("demo", connector.Config{Seed: seed, Now: c.now, PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Provider)
}

func jobs(t testing.TB, p *Provider, since time.Time) []connector.Job {
	t.Helper()
	var out []connector.Job
	if err := p.Jobs(context.Background(), since, func(js []connector.Job) error {
		out = append(out, js...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRegistered(t *testing.T) {
	spec, ok := connector.Lookup("demo")
	if !ok || spec.Label != "Demo estate (no credentials)" || len(spec.Fields) != 0 || spec.Help == "" {
		t.Fatalf("spec %+v", spec)
	}
	res, err := newDemo(t, "acct", &clock{now0}, 0).Test(context.Background())
	if err != nil || res.Details != "Demo estate: 5 processes, 4 robots" {
		t.Errorf("test: %+v %v", res, err)
	}
}

func TestDeterministic(t *testing.T) {
	since := now0.Add(-48 * time.Hour)
	a := jobs(t, newDemo(t, "acct-a", &clock{now0}, 0), since)
	b := jobs(t, newDemo(t, "acct-a", &clock{now0}, 7), since)
	if len(a) < 100 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed and clock: %d and %d jobs, equal %v", len(a), len(b), reflect.DeepEqual(a, b))
	}
	c := jobs(t, newDemo(t, "acct-b", &clock{now0}, 0), since)
	if reflect.DeepEqual(a, c) {
		t.Error("another seed gives the same jobs")
	}
}

func TestFailureRate(t *testing.T) {
	for _, seed := range []string{"acct-1", "acct-2", "acct-3", "acct-4", "acct-5", "acct-6", "acct-7", "acct-8", "0b9f1c2e-7d51-4c1a-9a3e-5f0d2c8b7a61"} {
		faulted, ended := 0, 0
		for _, j := range jobs(t, newDemo(t, seed, &clock{now0}, 0), now0.Add(-7*24*time.Hour)) {
			if !j.State.Terminal() {
				continue
			}
			ended++
			if j.State == connector.StateFaulted {
				faulted++
				if j.Error == "" {
					t.Errorf("%s: faulted job %s without error", seed, j.Ref)
				}
			}
		}
		rate := float64(faulted) / float64(ended)
		if rate < 0.05 || rate > 0.15 {
			t.Errorf("%s: failure rate %.3f over 7 days, want 5–15%%", seed, rate)
		}
		// A week is too few runs of the slow processes to compare them;
		// the configured rates say which one is worse.
		worse := 0
		for _, p := range newEstate(seed).processes {
			if p.failRate >= 130 {
				worse++
			} else if p.failRate > 80 || (p.steady && p.failRate > 50) {
				t.Errorf("%s: %s fails %d‰", seed, p.key, p.failRate)
			}
		}
		if worse != 1 {
			t.Errorf("%s: %d processes noticeably worse, want 1", seed, worse)
		}
	}
}

func TestJobsSince(t *testing.T) {
	c := &clock{now0}
	p := newDemo(t, "acct", c, 0)
	all := jobs(t, p, time.Time{})
	if first := all[0].CreatedAt; first.Before(now0.Add(-History)) || first.After(now0.Add(-History+time.Hour)) {
		t.Errorf("history starts %v, want about 30 days back", first)
	}
	for i, j := range all {
		if j.CreatedAt.After(now0) || (i > 0 && j.CreatedAt.Before(all[i-1].CreatedAt)) {
			t.Fatalf("job %d %s at %v: not ascending or in the future", i, j.Ref, j.CreatedAt)
		}
	}
	pivot := all[len(all)/2]
	got := jobs(t, p, pivot.CreatedAt)
	if got[0].CreatedAt != pivot.CreatedAt || !slices.ContainsFunc(got, func(j connector.Job) bool { return j.Ref == pivot.Ref }) {
		t.Errorf("since a job's creation: first %s, want it included", got[0].Ref)
	}
	got = jobs(t, p, pivot.CreatedAt.Add(time.Nanosecond))
	if slices.ContainsFunc(got, func(j connector.Job) bool { return j.Ref == pivot.Ref }) || got[0].CreatedAt.Before(pivot.CreatedAt) {
		t.Errorf("since just after a job's creation: it is still listed")
	}
	if got := jobs(t, p, now0.Add(time.Second)); len(got) != 0 {
		t.Errorf("since the future: %d jobs", len(got))
	}
	// Recent jobs are live, older ones finished.
	live := 0
	for _, j := range all {
		switch {
		case !j.State.Terminal():
			live++
			if j.CreatedAt.Before(now0.Add(-time.Hour)) {
				t.Errorf("job %s from %v still %s", j.Ref, j.CreatedAt, j.State)
			}
		case j.EndedAt == nil || j.StartedAt == nil || j.EndedAt.After(now0):
			t.Errorf("finished job %s: started %v ended %v", j.Ref, j.StartedAt, j.EndedAt)
		}
		if j.RawState == "" || j.ProcessName == "" || j.RobotRef == "" || j.Trigger == "" {
			t.Errorf("job %+v", j)
		}
	}
	if live == 0 {
		t.Error("no pending or running job at now")
	}
}

func TestPaging(t *testing.T) {
	p := newDemo(t, "acct", &clock{now0}, 50)
	var sizes []int
	seen := map[string]bool{}
	_ = p.Jobs(context.Background(), now0.Add(-24*time.Hour), func(js []connector.Job) error {
		sizes = append(sizes, len(js))
		for _, j := range js {
			if seen[j.Ref] {
				t.Errorf("job %s twice", j.Ref)
			}
			seen[j.Ref] = true
		}
		return nil
	})
	if len(sizes) < 3 || slices.ContainsFunc(sizes[:len(sizes)-1], func(n int) bool { return n != 50 }) || sizes[len(sizes)-1] > 50 {
		t.Errorf("page sizes %v", sizes)
	}
	if def := newDemo(t, "acct", &clock{now0}, 0); def.pageSize != DefaultPageSize {
		t.Errorf("default page size %d", def.pageSize)
	}
	stop := errors.New("stop")
	calls := 0
	if err := p.Jobs(context.Background(), time.Time{}, func([]connector.Job) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("stopped listing: %v after %d calls", err, calls)
	}
}

func TestJobRoundTrip(t *testing.T) {
	p := newDemo(t, "acct", &clock{now0}, 0)
	listed := jobs(t, p, now0.Add(-6*time.Hour))
	for _, want := range listed {
		got, err := p.Job(context.Background(), want.Ref)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("job %s: %+v, %v; listed %+v", want.Ref, got, err, want)
		}
	}
	k := p.estate.processes[0].slotAt(now0)
	for _, ref := range []string{
		"nope", "unknown-12", "invoice-processing-x", "invoice-processing-m1",
		"invoice-processing-" + itoa(k+2),    // not yet
		"invoice-processing-" + itoa(k-5000), // older than the history
		"invoice-processing-0" + itoa(k-3),   // not as written
	} {
		if _, err := p.Job(context.Background(), ref); !errors.Is(err, connector.ErrNotFound) {
			t.Errorf("%s: %v, want not found", ref, err)
		}
	}
}

func itoa(k int64) string { return strconv.FormatInt(k, 10) }

func TestStartRun(t *testing.T) {
	c := &clock{now0}
	p := newDemo(t, "acct-run", c, 0)
	since := c.t
	ctx := context.Background()
	job, err := p.StartRun(ctx, "claims-intake", connector.RunInput{})
	if err != nil || job.State != connector.StatePending || job.Trigger != "manual" || !strings.HasPrefix(job.Ref, "claims-intake-m") {
		t.Fatalf("started %+v, %v", job, err)
	}
	for _, step := range []struct {
		advance time.Duration
		state   connector.State
	}{{5 * time.Second, connector.StatePending}, {10 * time.Second, connector.StateRunning}, {60 * time.Second, connector.StateSuccessful}} {
		c.advance(step.advance)
		got, err := p.Job(ctx, job.Ref)
		if err != nil || got.State != step.state {
			t.Fatalf("after %v more: %s, %v; want %s", step.advance, got.State, err, step.state)
		}
		// Another provider of the same account sees it too.
		listed := jobs(t, newDemo(t, "acct-run", c, 0), since)
		i := slices.IndexFunc(listed, func(j connector.Job) bool { return j.Ref == job.Ref })
		if i < 0 || !reflect.DeepEqual(listed[i], got) {
			t.Fatalf("listed %v, read %+v", i, got)
		}
	}
	if got, _ := p.Job(ctx, job.Ref); got.EndedAt == nil || got.EndedAt.Sub(got.CreatedAt) != manualPending+manualDuration {
		t.Errorf("ended %v", got.EndedAt)
	}
	if slices.ContainsFunc(jobs(t, newDemo(t, "acct-other", c, 0), since), func(j connector.Job) bool { return j.Ref == job.Ref }) {
		t.Error("another account sees the run")
	}
	if _, err := p.StartRun(ctx, "nope", connector.RunInput{}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown process: %v", err)
	}
	if _, err := p.StartRun(ctx, "claims-intake", connector.RunInput{RobotRef: "robot-4"}); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("offline robot: %v", err)
	}
	pinned, err := p.StartRun(ctx, "claims-intake", connector.RunInput{RobotRef: "robot-2"})
	if err != nil || pinned.RobotRef != "robot-2" {
		t.Errorf("pinned robot: %+v %v", pinned, err)
	}
}

func TestRobots(t *testing.T) {
	c := &clock{now0}
	p := newDemo(t, "acct", c, 0)
	statuses := map[connector.RobotStatus]int{}
	for range 48 {
		_ = p.Robots(context.Background(), func(rs []connector.Robot) error {
			if len(rs) != 4 {
				t.Fatalf("%d robots", len(rs))
			}
			for _, r := range rs {
				statuses[r.Status]++
				if r.RawStatus == "" || r.LastSeen == nil || (r.Ref == "robot-4") != (r.Status == connector.RobotOffline) {
					t.Errorf("robot %+v", r)
				}
			}
			return nil
		})
		c.advance(17 * time.Minute)
	}
	if statuses[connector.RobotBusy] == 0 || statuses[connector.RobotAvailable] == 0 {
		t.Errorf("statuses over a day %v", statuses)
	}
}

func TestSchedules(t *testing.T) {
	p := newDemo(t, "acct", &clock{now0}, 0)
	var got []connector.Schedule
	_ = p.Schedules(context.Background(), func(ss []connector.Schedule) error { got = ss; return nil })
	if len(got) != 3 {
		t.Fatalf("%d schedules", len(got))
	}
	for _, s := range got {
		pr, _ := p.estate.process(s.ProcessRef)
		if !s.Enabled || len(strings.Fields(s.Cron)) != 6 || s.Summary == "" || s.NextRunAt == nil ||
			!s.NextRunAt.After(now0) || s.NextRunAt.Sub(now0) > pr.interval {
			t.Errorf("schedule %+v", s)
		}
	}
}

func TestCronMatchesTimetable(t *testing.T) {
	for _, tt := range []struct {
		interval, offset time.Duration
		cron, summary    string
	}{
		{15 * time.Minute, 7 * time.Minute, "0 7/15 * * * *", "Every 15 minutes"},
		{time.Hour, 25 * time.Minute, "0 25 0/1 * * *", "Every hour at :25"},
		{4 * time.Hour, 135 * time.Minute, "0 15 2/4 * * *", "Every 4 hours from 02:15"},
		{24 * time.Hour, 390 * time.Minute, "0 30 6 * * *", "Every day at 06:30"},
	} {
		p := process{interval: tt.interval, offset: tt.offset}
		if p.cron() != tt.cron || p.summary() != tt.summary {
			t.Errorf("%v+%v: %q %q", tt.interval, tt.offset, p.cron(), p.summary())
		}
		start := p.slotStart(p.slotAt(now0))
		if start.After(now0) || now0.Sub(start) >= tt.interval || start.Sub(start.Truncate(24*time.Hour))%tt.interval != tt.offset {
			t.Errorf("%v+%v: slot at %v", tt.interval, tt.offset, start)
		}
	}
}

func BenchmarkJobs30Days(b *testing.B) {
	p := newDemo(b, "bench", &clock{now0}, 0)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n = 0
		_ = p.Jobs(context.Background(), time.Time{}, func(js []connector.Job) error { n += len(js); return nil })
	}
	b.ReportMetric(float64(n), "jobs/op")
}

// The small lists page like the others, as the contract suite expects.
func TestSmallListsPage(t *testing.T) {
	p := newDemo(t, "acct", &clock{now0}, 3)
	ctx := context.Background()
	var sizes []int
	_ = p.Processes(ctx, func(ps []connector.Process) error { sizes = append(sizes, len(ps)); return nil })
	_ = p.Robots(ctx, func(rs []connector.Robot) error { sizes = append(sizes, len(rs)); return nil })
	_ = p.Schedules(ctx, func(ss []connector.Schedule) error { sizes = append(sizes, len(ss)); return nil })
	if !slices.Equal(sizes, []int{3, 2, 3, 1, 3}) {
		t.Errorf("page sizes %v, want processes 3+2, robots 3+1, schedules 3", sizes)
	}
}
