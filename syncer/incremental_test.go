package syncer

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
	"bureau/store"
)

// uipathEnv is a UiPath Automation Cloud simulator on a manual clock, a
// connector pointed at it, and a syncer on the same clock.
type uipathEnv struct {
	sim      *uipathsim.Sim
	clock    *simkit.Clock
	provider connector.Provider
}

func newUiPath(t testing.TB, opts simkit.Options, pageSize int) *uipathEnv {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = simkit.NewClock(t0)
	}
	sim := uipathsim.NewCloud(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	p, err := connector.New("uipath-cloud", connector.Config{Settings: sim.Settings(srv.URL), Secrets: sim.Secrets(),
		Now: opts.Clock.Now, PageSize: pageSize, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &uipathEnv{sim: sim, clock: opts.Clock, provider: p}
}

// hiding is a provider whose job list can be made to miss changes, as a
// vendor that filters its list by creation time only does.
type hiding struct {
	connector.Provider
	hide atomic.Bool
}

func (h *hiding) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	if h.hide.Load() && !since.IsZero() {
		return nil
	}
	return h.Provider.Jobs(ctx, since, fn)
}

// changedJobs counts the jobs the sync at now added or changed (the
// robots' last-seen times move with the clock, so the total says more).
func changedJobs(t *testing.T, s *Syncer, now time.Time) int {
	t.Helper()
	return count(t, s.DB, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1' AND updated_at = ?`, store.Time(now))
}

type jobRow struct{ state, rawState string }

func jobOf(t *testing.T, s *Syncer, ref string) jobRow {
	t.Helper()
	var r jobRow
	if err := s.DB.R.QueryRow(`SELECT state, raw_state FROM jobs WHERE account_id = 'a1' AND ref = ?`, ref).Scan(&r.state, &r.rawState); err != nil {
		t.Fatalf("job %s: %v", ref, err)
	}
	return r
}

// An incremental sync picks up only what is new or changed: a run started
// on the vendor arrives as one new job, then as the same job finished.
func TestIncrementalSyncPicksUpNewAndChangedJobs(t *testing.T) {
	for _, tc := range []struct {
		name string
		hide bool // the listing misses the change: the open-job re-read must catch it
	}{{"listing", false}, {"re-read of open jobs", true}} {
		t.Run(tc.name, func(t *testing.T) {
			u := newUiPath(t, simkit.Options{RunPending: 5 * time.Second, RunDuration: 30 * time.Second}, 7)
			p := &hiding{Provider: u.provider}
			s := &Syncer{DB: openDB(t), Now: u.clock.Now, Log: quietLog(), NewProvider: only(p), Timeout: 30 * time.Second}
			ctx := context.Background()

			first, err := s.Run(ctx, "t1", "a1", TriggerCron, "")
			seeded := u.sim.Seeded()
			if err != nil || first.Status != StatusSucceeded || first.Counts.Jobs != seeded.Jobs || first.Counts.Processes != seeded.Processes {
				t.Fatalf("first sync: %+v %v (seeded %+v)", first, err, seeded)
			}
			baseline := count(t, s.DB, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`)

			var ref string
			if err := s.DB.R.QueryRow(`SELECT ref FROM processes WHERE account_id = 'a1' ORDER BY ref LIMIT 1`).Scan(&ref); err != nil {
				t.Fatal(err)
			}
			u.clock.Advance(10 * time.Minute)
			started, err := u.provider.StartRun(ctx, ref, connector.RunInput{})
			if err != nil {
				t.Fatal(err)
			}
			u.clock.Advance(time.Second)
			second, err := s.Run(ctx, "t1", "a1", TriggerCron, "")
			if err != nil || second.Status != StatusSucceeded {
				t.Fatalf("second sync: %+v %v", second, err)
			}
			if n := changedJobs(t, s, u.clock.Now()); n != 1 || count(t, s.DB, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`) != baseline+1 {
				t.Fatalf("second sync changed %d jobs, want the 1 new job", n)
			}
			if second.Counts.Jobs >= seeded.Jobs {
				t.Fatalf("second sync read %d jobs: not incremental", second.Counts.Jobs)
			}
			if j := jobOf(t, s, started.Ref); j.state != "pending" {
				t.Fatalf("new job is %+v, want pending", j)
			}

			p.hide.Store(tc.hide)
			u.clock.Advance(5 * time.Minute) // the run has finished on the vendor
			third, err := s.Run(ctx, "t1", "a1", TriggerCron, "")
			if err != nil || third.Status != StatusSucceeded {
				t.Fatalf("third sync: %+v %v", third, err)
			}
			if n := changedJobs(t, s, u.clock.Now()); n != 1 {
				t.Fatalf("third sync changed %d jobs, want the 1 that finished", n)
			}
			if j := jobOf(t, s, started.Ref); j.state != "successful" && j.state != "faulted" && j.state != "stopped" {
				t.Fatalf("job is %+v, want finished", j)
			}
			fourth, err := s.Run(ctx, "t1", "a1", TriggerCron, "")
			if err != nil || fourth.Changed != 0 {
				t.Fatalf("fourth sync: %+v %v; nothing changed on the vendor", fourth, err)
			}
		})
	}
}

// Open jobs the listing misses are read back at most MaxRereads a run, the
// next run carrying on where the last one stopped, so thousands of
// suspended jobs never make a sync time out, and each is checked in turn.
func TestOpenJobRereadsAreBoundedAndRotate(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	f := &fake{}
	for _, ref := range []string{"j1", "j2", "j3", "j4", "j5"} {
		f.jobs = append(f.jobs, connector.Job{Ref: ref, ProcessRef: "p1", State: connector.StateSuspended, RawState: "Suspended", CreatedAt: t0.Add(-time.Hour)})
	}
	var reads atomic.Int32
	f.before = func(ctx context.Context, op string) error {
		if op == "job" {
			reads.Add(1)
		}
		return nil
	}
	p := &hiding{Provider: f}
	s, _ := newSyncer(db, clock, only(p))
	s.MaxRereads = 2
	if run, err := s.Run(context.Background(), "t1", "a1", TriggerCron, ""); err != nil || run.Counts.Jobs != 5 || reads.Load() != 0 {
		t.Fatalf("first sync: %+v %v, %d reads (open jobs just listed need none)", run, err, reads.Load())
	}
	p.hide.Store(true) // from now on the listing misses every change
	for i := range f.jobs {
		f.jobs[i].State, f.jobs[i].RawState = connector.StateSuccessful, "Successful"
	}
	open := func() int {
		return count(t, db, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1' AND state = 'suspended'`)
	}
	for i, want := range []int{3, 1, 0} {
		clock.Advance(5 * time.Minute)
		before := reads.Load()
		if _, err := s.Run(context.Background(), "t1", "a1", TriggerCron, ""); err != nil {
			t.Fatal(err)
		}
		if got := reads.Load() - before; got > 2 {
			t.Fatalf("run %d read %d jobs, over its budget of 2", i+2, got)
		}
		if got := open(); got != want {
			t.Fatalf("after run %d: %d jobs still suspended, want %d", i+2, got, want)
		}
	}
}
