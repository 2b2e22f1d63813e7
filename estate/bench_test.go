package estate

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"bureau/connector"
	"bureau/store"
)

// benchJobs is the estate size the read paths must stay fast on.
const benchJobs = 100_000

// seedBench writes benchJobs jobs over 60 days on 40 processes and 20
// robots, about one in ten faulted, through the sync's own upserts.
func seedBench(b *testing.B) *fixture {
	b.Helper()
	f := newFixture(b)
	var ps []connector.Process
	for p := range 40 {
		ps = append(ps, connector.Process{Ref: fmt.Sprintf("p%02d", p), Name: fmt.Sprintf("Process %02d", p)})
	}
	f.processes(acme, ps...)
	states := []connector.State{connector.StateSuccessful, connector.StateSuccessful, connector.StateSuccessful, connector.StateSuccessful,
		connector.StateSuccessful, connector.StateSuccessful, connector.StateSuccessful, connector.StateSuccessful,
		connector.StateFaulted, connector.StateStopped}
	step := 60 * day / benchJobs
	for start := 0; start < benchJobs; start += 5000 {
		js := make([]connector.Job, 0, 5000)
		for i := start; i < start+5000; i++ {
			j := job(fmt.Sprintf("j%06d", i), fmt.Sprintf("p%02d", i%40), states[i*7%10], f.now.Add(-time.Duration(i)*step))
			j.RobotRef = fmt.Sprintf("r%02d", i%20)
			js = append(js, j)
		}
		f.jobs(acme, js...)
	}
	// A rarely run process whose 20 jobs are the only suspended ones: the
	// worst case for a filter, which cannot stop early.
	var rare []connector.Job
	for i := range 20 {
		rare = append(rare, job(fmt.Sprintf("rare%02d", i), "rare", connector.StateSuspended, f.now.Add(-time.Duration(i)*3*day)))
	}
	f.jobs(acme, rare...)
	return f
}

// BenchmarkEstateReads measures the account pages on 100,000 jobs: the
// jobs list's first page, a page 90,000 rows deep (through its cursor), the
// same with a state filter, the processes list and the 30-day dashboard.
func BenchmarkEstateReads(b *testing.B) {
	f := seedBench(b)
	ctx := context.Background()
	var created, id string
	if err := f.db.R.QueryRow(`SELECT created_at, id FROM jobs WHERE account_id = 'a1'
		ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 90000`).Scan(&created, &id); err != nil {
		b.Fatal(err)
	}
	deep := Page{Limit: 50, Cursor: store.EncodeCursor(created, id)}
	listJobs := func(b *testing.B, flt JobFilter, page Page) {
		js, _, err := ListJobs(ctx, f.db, "t1", "a1", all, flt, page)
		if err != nil || len(js) == 0 {
			b.Fatalf("%d jobs, %v", len(js), err)
		}
	}
	b.Run("jobs/first-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{}, Page{Limit: 50})
		}
	})
	b.Run("jobs/deep-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{}, deep)
		}
	})
	b.Run("jobs/faulted-first-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{States: []string{"faulted"}}, Page{Limit: 50})
		}
	})
	b.Run("jobs/one-process-deep-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{ProcessID: f.processID(acme, "p07")}, deep)
		}
	})
	b.Run("jobs/rare-state-first-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{States: []string{"suspended"}}, Page{Limit: 50})
		}
	})
	b.Run("jobs/rare-states-first-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{States: []string{"suspended", "pending"}}, Page{Limit: 50})
		}
	})
	b.Run("jobs/faulted-or-stopped-deep-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{States: []string{"faulted", "stopped"}}, deep)
		}
	})
	b.Run("jobs/rare-process-first-page", func(b *testing.B) {
		for b.Loop() {
			listJobs(b, JobFilter{ProcessID: f.processID(acme, "rare")}, Page{Limit: 50})
		}
	})
	au, _ := f.person("au@acme.example", "account_user", "a1", "active")
	f.assign(acme, "p01", au, "")
	f.assign(acme, "rare", au, "")
	user := ViewerFor(au, []string{"account_user"})
	b.Run("jobs/account-user-first-page", func(b *testing.B) {
		for b.Loop() {
			if js, _, err := ListJobs(ctx, f.db, "t1", "a1", user, JobFilter{}, Page{Limit: 50}); err != nil || len(js) != 50 {
				b.Fatalf("%d jobs, %v", len(js), err)
			}
		}
	})
	b.Run("jobs/account-user-deep-page", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ListJobs(ctx, f.db, "t1", "a1", user, JobFilter{}, deep); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("processes", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{}, f.now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dashboard-30", func(b *testing.B) {
		for b.Loop() {
			if _, err := GetDashboard(ctx, f.db, "t1", "a1", all, 30, f.now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dashboard-30-account-user", func(b *testing.B) {
		for b.Loop() {
			if _, err := GetDashboard(ctx, f.db, "t1", "a1", user, 30, f.now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("export-csv-one-process", func(b *testing.B) {
		for b.Loop() {
			if _, err := ExportJobsCSV(ctx, f.db, io.Discard, "t1", "a1", all, JobFilter{ProcessID: f.processID(acme, "p07")}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			if _, err := Overview(ctx, f.db, "t1", f.now, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
