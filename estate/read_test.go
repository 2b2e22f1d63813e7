package estate

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/connector"
)

func TestProcessesShowRecentActivitySearchAndPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.processes(acme, connector.Process{Ref: "p1", Name: "Invoices"}, connector.Process{Ref: "p2", Name: "payroll"},
		connector.Process{Ref: "p3", Name: "Onboarding 100%"})
	f.processes(beta, connector.Process{Ref: "p1", Name: "Beta invoices"})
	f.jobs(acme,
		job("j1", "p1", connector.StateSuccessful, f.now.Add(-2*time.Hour)),
		job("j2", "p1", connector.StateFaulted, f.now.Add(-1*time.Hour)),
		job("j3", "p1", connector.StateFaulted, f.now.Add(-8*day)), // outside 7 days
		job("j4", "p2", connector.StateRunning, f.now.Add(-time.Minute)))
	list, next, err := ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by name without regard to case; the other account's never listed.
	if got := names(list); !slices.Equal(got, []string{"Invoices", "Onboarding 100%", "payroll"}) || next != "" {
		t.Fatalf("processes %v, next %q", got, next)
	}
	inv := list[0]
	if inv.Runs7d != 2 || inv.Failures7d != 1 || inv.LastJob == nil || inv.LastJob.ID != f.jobID(acme, "j2") || inv.LastJob.State != "faulted" {
		t.Fatalf("Invoices figures: runs %d failures %d last %+v", inv.Runs7d, inv.Failures7d, inv.LastJob)
	}
	if list[1].LastJob != nil || list[1].Runs7d != 0 {
		t.Fatalf("a process without jobs: %+v", list[1])
	}
	if inv.Assignees != nil {
		t.Fatal("assignees shown without asking")
	}
	found, _, _ := ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{Q: "INVO"}, f.now)
	if got := names(found); !slices.Equal(got, []string{"Invoices"}) {
		t.Fatalf("q=INVO: %v", got)
	}
	found, _, _ = ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{Q: "0%"}, f.now)
	if got := names(found); !slices.Equal(got, []string{"Onboarding 100%"}) {
		t.Fatalf("q=0%% matches the percent sign literally: %v", got)
	}
	var paged []string
	page := Page{Limit: 1}
	for i := 0; i < 5; i++ {
		ps, next, err := ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{Page: page}, f.now)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, names(ps)...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	if !slices.Equal(paged, names(list)) {
		t.Fatalf("paged one at a time: %v", paged)
	}
	if _, err := GetProcess(ctx, f.db.R, "t1", "a2", inv.ID, all, false, f.now); apperr.CodeOf(err) != "not_found" {
		t.Fatalf("acme's process through beta: %v", err)
	}
	if _, _, err := ListProcesses(ctx, f.db, "t1", "a1", all, ProcessQuery{Page: Page{Cursor: "nonsense"}}, f.now); apperr.CodeOf(err) != "cursor_invalid" {
		t.Fatalf("bad cursor: %v", err)
	}
}

// seedJobs puts n jobs on two processes and two robots, two per second, so
// pages must break ties on the id.
func seedJobs(f *fixture, sc Scope, n int) {
	f.t.Helper()
	f.processes(sc, connector.Process{Ref: "p1", Name: "Invoices"}, connector.Process{Ref: "p2", Name: "Payroll"})
	states := []connector.State{connector.StateSuccessful, connector.StateFaulted, connector.StateStopped, connector.StateRunning}
	var js []connector.Job
	for i := range n {
		j := job(fmt.Sprintf("j%03d", i), []string{"p1", "p2"}[i%2], states[i%len(states)], f.now.Add(-time.Duration(i/2)*time.Second))
		j.RobotRef = []string{"r1", "r2"}[i%3%2]
		js = append(js, j)
	}
	f.jobs(sc, js...)
}

func TestJobsPageWithoutGapsOrDuplicates(t *testing.T) {
	f := newFixture(t)
	seedJobs(f, acme, 101)
	seedJobs(f, beta, 10)
	ctx := context.Background()
	pages := func(flt JobFilter) []Job {
		t.Helper()
		var seen []Job
		page := Page{Limit: 7}
		for {
			js, next, err := ListJobs(ctx, f.db, "t1", "a1", all, flt, page)
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, js...)
			if next == "" {
				return seen
			}
			page.Cursor = next
		}
	}
	// Several states are read state by state and merged; the pages still
	// hold each faulted or stopped job once, in order.
	if two := pages(JobFilter{States: []string{"stopped", "faulted"}}); len(two) != 50 || !newestFirst(two) {
		t.Fatalf("faulted or stopped over the pages: %d (%s)", len(two), fmtRefs(two))
	}
	seen := pages(JobFilter{})
	if len(seen) != 101 || !newestFirst(seen) {
		t.Fatalf("%d jobs over the pages, want 101", len(seen))
	}
	first := seen[0]
	if first.Process.Name == "" || first.DurationSeconds == nil || *first.DurationSeconds != 60 {
		t.Fatalf("a listed job: %+v", first)
	}
}

// newestFirst reports whether js are distinct and strictly in list order
// (created_at, then id, descending).
func newestFirst(js []Job) bool {
	for i := 1; i < len(js); i++ {
		a, b := js[i-1], js[i]
		if !(a.CreatedAt.After(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID)) {
			return false
		}
	}
	return true
}

func TestJobFiltersNarrowTheList(t *testing.T) {
	f := newFixture(t)
	seedJobs(f, acme, 40)
	ctx := context.Background()
	list := func(q map[string]string) []Job {
		t.Helper()
		flt, err := ParseJobFilter(func(k string) string { return q[k] })
		if err != nil {
			t.Fatal(err)
		}
		js, _, err := ListJobs(ctx, f.db, "t1", "a1", all, flt, Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	for _, j := range list(map[string]string{"state": "faulted, stopped"}) {
		if j.State != "faulted" && j.State != "stopped" {
			t.Fatalf("state filter let %s through", j.State)
		}
	}
	if n := len(list(map[string]string{"state": "faulted,stopped"})); n != 20 {
		t.Fatalf("faulted or stopped: %d, want 20", n)
	}
	p1 := f.processID(acme, "p1")
	if js := list(map[string]string{"process": p1}); len(js) != 20 || js[0].Process.ID != p1 {
		t.Fatalf("process filter: %d", len(js))
	}
	if n := len(list(map[string]string{"robot": "r2"})); n != 13 {
		t.Fatalf("robot r2: %d, want 13", n)
	}
	// Jobs are two a second back from 09:00:00: from 08:59:55 holds the
	// 12 jobs of 08:59:55..09:00:00.
	if n := len(list(map[string]string{"from": "2026-11-24T08:59:55Z"})); n != 12 {
		t.Fatalf("from: %d, want 12", n)
	}
	if n := len(list(map[string]string{"to": "2026-11-24T08:59:55Z"})); n != 28 {
		t.Fatalf("to (exclusive): %d, want 28", n)
	}
	if n := len(list(map[string]string{"from": "2026-11-24", "to": "2026-11-24"})); n != 40 {
		t.Fatalf("a to date includes its whole day: %d", n)
	}
	if n := len(list(map[string]string{"to": "2026-11-23"})); n != 0 {
		t.Fatalf("before the day: %d", n)
	}
	for _, bad := range []map[string]string{{"state": "done"}, {"from": "yesterday"}, {"to": "2026-13-01"},
		{"from": "2026-11-25", "to": "2026-11-24"}} {
		_, err := ParseJobFilter(func(k string) string { return bad[k] })
		if e, ok := apperr.As(err); !ok || e.Code != "filter_invalid" || len(e.Fields) != 1 {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func TestJobDetailCarriesRawAndStaysInItsAccount(t *testing.T) {
	f := newFixture(t)
	f.processes(acme, connector.Process{Ref: "p1", Name: "Invoices"})
	j := job("j1", "p1", connector.StateFaulted, f.now.Add(-time.Hour))
	j.Raw, j.Error = json.RawMessage(`{"Id":42,"State":"Faulted"}`), "Selector not found"
	f.jobs(acme, j, job("j2", "p1", connector.StatePending, f.now))
	ctx := context.Background()
	d, err := GetJob(ctx, f.db, "t1", "a1", f.jobID(acme, "j1"), all)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Raw) != `{"Id":42,"State":"Faulted"}` || d.Error != "Selector not found" || d.VendorUpdatedAt.IsZero() {
		t.Fatalf("detail: %+v raw %s", d, d.Raw)
	}
	d, _ = GetJob(ctx, f.db, "t1", "a1", f.jobID(acme, "j2"), all)
	if string(d.Raw) != "null" || d.StartedAt != nil || d.DurationSeconds != nil {
		t.Fatalf("a pending job without raw: %+v %s", d, d.Raw)
	}
	if _, err := GetJob(ctx, f.db, "t1", "a2", f.jobID(acme, "j1"), all); apperr.CodeOf(err) != "not_found" {
		t.Fatalf("acme's job through beta: %v", err)
	}
}

func TestExportNeutralisesFormulas(t *testing.T) {
	f := newFixture(t)
	f.processes(acme, connector.Process{Ref: "p1", Name: "=HYPERLINK(\"http://evil\")"})
	j := job("j1", "p1", connector.StateFaulted, f.now)
	j.Error = "@SUM(1+1)"
	f.jobs(acme, j)
	var b bytes.Buffer
	n, err := ExportJobsCSV(context.Background(), f.db, &b, "t1", "a1", all, JobFilter{})
	if err != nil || n != 1 {
		t.Fatalf("export: %d %v", n, err)
	}
	records, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for i, h := range records[0] {
		row[h] = records[1][i]
	}
	if row["process_name"] != `'=HYPERLINK("http://evil")` || row["error"] != "'@SUM(1+1)" || row["state"] != "faulted" {
		t.Fatalf("exported row: %v", row)
	}
	if row["duration_seconds"] != "60" || !strings.HasSuffix(row["created_at"], "Z") {
		t.Fatalf("exported figures: %v", row)
	}
}

func TestRobotsAndSchedulesList(t *testing.T) {
	f := newFixture(t)
	f.processes(acme, connector.Process{Ref: "p1", Name: "Invoices"})
	f.robots(acme, connector.Robot{Ref: "r2", Name: "bot B", Status: connector.RobotOffline},
		connector.Robot{Ref: "r1", Name: "Bot A", Status: connector.RobotAvailable})
	f.schedules(acme, connector.Schedule{Ref: "s1", Name: "Nightly", ProcessRef: "p1", Enabled: true, Cron: "0 0 2 * * ?"},
		connector.Schedule{Ref: "s2", Name: "Orphan", ProcessRef: "gone"})
	ctx := context.Background()
	rs, _, err := ListRobots(ctx, f.db, "t1", "a1", all, Page{})
	if err != nil || len(rs) != 2 || rs[0].Name != "Bot A" || rs[1].Status != "offline" {
		t.Fatalf("robots: %+v %v", rs, err)
	}
	ss, _, err := ListSchedules(ctx, f.db, "t1", "a1", all, Page{})
	if err != nil || len(ss) != 2 {
		t.Fatalf("schedules: %+v %v", ss, err)
	}
	if ss[0].ProcessID == nil || *ss[0].ProcessID != f.processID(acme, "p1") || ss[0].ProcessName != "Invoices" {
		t.Fatalf("a schedule's process is resolved by its ref: %+v", ss[0])
	}
	if ss[1].ProcessID != nil {
		t.Fatalf("an unknown process ref: %+v", ss[1])
	}
	if rs, _, _ := ListRobots(ctx, f.db, "t1", "a2", all, Page{}); len(rs) != 0 {
		t.Fatalf("beta sees acme's robots: %v", rs)
	}
}

// An empty list is [] in JSON, never null, whatever the filter.
func TestEmptyListsAreArrays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for name, list := range map[string]func() (any, error){
		"processes": func() (any, error) {
			v, _, err := ListProcesses(ctx, f.db, "t1", "a2", all, ProcessQuery{}, f.now)
			return v, err
		},
		"jobs": func() (any, error) {
			v, _, err := ListJobs(ctx, f.db, "t1", "a2", all, JobFilter{}, Page{})
			return v, err
		},
		"jobs by states": func() (any, error) {
			v, _, err := ListJobs(ctx, f.db, "t1", "a2", all, JobFilter{States: []string{"faulted", "pending"}}, Page{})
			return v, err
		},
		"robots":    func() (any, error) { v, _, err := ListRobots(ctx, f.db, "t1", "a2", all, Page{}); return v, err },
		"schedules": func() (any, error) { v, _, err := ListSchedules(ctx, f.db, "t1", "a2", all, Page{}); return v, err },
		"overview":  func() (any, error) { return Overview(ctx, f.db, "t-none", f.now, "") },
	} {
		v, err := list()
		if err != nil {
			t.Fatal(err)
		}
		if raw, _ := json.Marshal(v); string(raw) != "[]" {
			t.Errorf("%s: %s", name, raw)
		}
	}
}
