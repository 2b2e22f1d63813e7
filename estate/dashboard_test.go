package estate

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/connector"
	"bureau/store"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDashboardFiguresOnAKnownDataset(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.processes(acme, connector.Process{Ref: "p1", Name: "Invoices"}, connector.Process{Ref: "p2", Name: "Payroll"})
	f.jobs(acme,
		job("a", "p1", connector.StateSuccessful, at("2026-11-24T08:00:00Z")),
		job("b", "p1", connector.StateFaulted, at("2026-11-24T07:00:00Z")),
		job("c", "p2", connector.StateStopped, at("2026-11-22T10:00:00Z")),
		job("d", "p2", connector.StateRunning, at("2026-11-22T11:00:00Z")),
		job("e", "p2", connector.StateSuccessful, at("2026-11-18T00:00:00Z")), // the window's first instant
		job("f", "p1", connector.StateFaulted, at("2026-11-17T23:59:59Z")))    // just before it
	f.robots(acme, connector.Robot{Ref: "r1", Name: "A", Status: connector.RobotAvailable}, connector.Robot{Ref: "r2", Name: "B", Status: connector.RobotBusy},
		connector.Robot{Ref: "r3", Name: "C", Status: connector.RobotOffline}, connector.Robot{Ref: "r4", Name: "D", Status: connector.RobotOffline},
		connector.Robot{Ref: "r5", Name: "E"})

	d, err := GetDashboard(ctx, f.db, "t1", "a1", all, 7, f.now)
	if err != nil {
		t.Fatal(err)
	}
	var daily []string
	for _, dc := range d.Daily {
		daily = append(daily, fmt.Sprintf("%s %d/%d/%d/%d", dc.Date[5:], dc.Successful, dc.Faulted, dc.Stopped, dc.Other))
	}
	want := []string{"11-18 1/0/0/0", "11-19 0/0/0/0", "11-20 0/0/0/0", "11-21 0/0/0/0", "11-22 0/0/1/1", "11-23 0/0/0/0", "11-24 1/1/0/0"}
	if !slices.Equal(daily, want) {
		t.Fatalf("daily (oldest first, zero-filled):\n got %v\nwant %v", daily, want)
	}
	tot := d.Totals
	if tot.Runs != 5 || tot.Successful != 2 || tot.Faulted != 1 || tot.Stopped != 1 || tot.Running != 1 || tot.Pending != 0 ||
		tot.SuccessRate == nil || *tot.SuccessRate != 0.5 {
		t.Fatalf("totals: %+v rate %v", tot, tot.SuccessRate)
	}
	if len(d.FailuresByProcess) != 1 || d.FailuresByProcess[0] != (ProcessFailures{ProcessID: f.processID(acme, "p1"), Name: "Invoices", Failures: 1, Runs: 2}) {
		t.Fatalf("failures by process: %+v", d.FailuresByProcess)
	}
	if d.Robots != (RobotCounts{Available: 1, Busy: 1, Offline: 2, Unknown: 1}) {
		t.Fatalf("robots: %+v", d.Robots)
	}

	d30, _ := GetDashboard(ctx, f.db, "t1", "a1", all, 30, f.now)
	if len(d30.Daily) != 30 || d30.Daily[0].Date != "2026-10-26" || d30.Daily[29].Date != "2026-11-24" || d30.Totals.Runs != 6 ||
		d30.FailuresByProcess[0].Failures != 2 {
		t.Fatalf("30 days: %d days from %s, totals %+v, failures %+v", len(d30.Daily), d30.Daily[0].Date, d30.Totals, d30.FailuresByProcess)
	}

	empty, err := GetDashboard(ctx, f.db, "t1", "a2", all, 7, f.now)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(empty)
	if empty.Totals.SuccessRate != nil || !strings.Contains(string(raw), `"success_rate":null`) ||
		!strings.Contains(string(raw), `"failures_by_process":[]`) || len(empty.Daily) != 7 {
		t.Fatalf("an account without runs: %s", raw)
	}
	if _, err := ParseDays("14"); apperr.CodeOf(err) != "filter_invalid" {
		t.Fatalf("days=14: %v", err)
	}
}

func TestDashboardListsTheTopFiveFailingProcesses(t *testing.T) {
	f := newFixture(t)
	var js []connector.Job
	for p := range 7 {
		for i := 0; i <= p; i++ {
			js = append(js, job(fmt.Sprintf("j%d-%d", p, i), fmt.Sprintf("p%d", p), connector.StateFaulted, f.now.Add(-time.Duration(i)*time.Minute)))
		}
	}
	f.jobs(acme, js...)
	d, err := GetDashboard(context.Background(), f.db, "t1", "a1", all, 7, f.now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pf := range d.FailuresByProcess {
		got = append(got, fmt.Sprintf("%s:%d", pf.Name, pf.Failures))
	}
	if !slices.Equal(got, []string{"p6:7", "p5:6", "p4:5", "p3:4", "p2:3"}) {
		t.Fatalf("top failures: %v", got)
	}
}

func TestOverviewPutsTheWorstAccountsFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	created := store.Time(f.now.Add(-90 * day))
	f.exec(`INSERT INTO accounts (id, tenant_id, slug, name, status, created_at, updated_at) VALUES
		('a3','t1','gamma','Gamma','active',?,?), ('a4','t1','delta','Delta','active',?,?), ('a5','t1','epsilon','Epsilon','deactivated',?,?)`,
		created, created, created, created, created, created)
	delta := Scope{TenantID: "t1", AccountID: "a4"}
	syncRun := func(account, status string, ended time.Time) {
		f.exec(`INSERT INTO sync_runs (id, tenant_id, account_id, trigger, status, started_at, ended_at, lease_until, error)
			VALUES (?, 't1', ?, 'cron', ?, ?, ?, ?, ?)`, store.NewID(), account, status, store.Time(ended.Add(-time.Minute)),
			store.Time(ended), store.Time(ended), map[bool]string{true: "401 from the vendor"}[status == "failed"])
	}
	for _, a := range []string{"a1", "a3"} {
		f.exec(`INSERT INTO connections (account_id, tenant_id, provider, created_at, updated_at) VALUES (?, 't1', 'demo', ?, ?)`, a, created, created)
	}
	// acme: synced 5 minutes ago, everything succeeded: ok.
	syncRun("a1", "succeeded", f.now.Add(-5*time.Minute))
	var ok []connector.Job
	for i := range 10 {
		ok = append(ok, job(fmt.Sprintf("ok%d", i), "p1", connector.StateSuccessful, f.now.Add(-time.Duration(i)*time.Hour)))
	}
	f.jobs(acme, ok...)
	// gamma: its last sync failed: critical.
	syncRun("a3", "succeeded", f.now.Add(-2*time.Hour))
	syncRun("a3", "failed", f.now.Add(-10*time.Minute))
	// delta (ingest only, no connection): 9 of 10 succeeded, one robot of
	// two offline: warning.
	dj := slices.Clone(ok)
	dj[0].State = connector.StateFaulted
	f.jobs(delta, dj...)
	f.robots(delta, connector.Robot{Ref: "r1", Name: "A", Status: connector.RobotOffline}, connector.Robot{Ref: "r2", Name: "B", Status: connector.RobotBusy})

	rows, err := Overview(ctx, f.db, "t1", f.now, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Account.Slug+":"+r.Health)
	}
	want := []string{"gamma:critical", "delta:warning", "beta:unknown", "epsilon:unknown", "acme:ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("overview (worst first):\n got %v\nwant %v", got, want)
	}
	byslug := map[string]OverviewRow{}
	for _, r := range rows {
		byslug[r.Account.Slug] = r
	}
	d := byslug["delta"]
	if d.Failures24h != 1 || d.Runs7d != 10 || d.SuccessRate7d == nil || *d.SuccessRate7d != 0.9 || d.RobotsOffline != 1 || d.Provider != nil || d.LastSync != nil {
		t.Fatalf("delta: %+v", d)
	}
	if g := byslug["gamma"]; g.LastSync == nil || g.LastSync.Status != "failed" || g.LastSync.Error != "401 from the vendor" || *g.Provider != "demo" {
		t.Fatalf("gamma: %+v", g)
	}
	if a := byslug["acme"]; a.SuccessRate7d == nil || *a.SuccessRate7d != 1 || len(a.Reasons) != 0 {
		t.Fatalf("acme: %+v", a)
	}
	if b := byslug["beta"]; b.SuccessRate7d != nil {
		t.Fatalf("beta without runs has a rate: %v", *b.SuccessRate7d)
	}

	// acme goes stale once its last successful sync is over an hour old.
	later, _ := Overview(ctx, f.db, "t1", f.now.Add(2*time.Hour), "name")
	if later[0].Account.Slug != "acme" || later[0].Health != HealthWarning {
		t.Fatalf("stale acme: %+v", later[0])
	}
	byFailures, _ := Overview(ctx, f.db, "t1", f.now, "failures")
	if byFailures[0].Account.Slug != "delta" {
		t.Fatalf("by failures: %s first", byFailures[0].Account.Slug)
	}
	if _, err := Overview(ctx, f.db, "t1", f.now, "size"); apperr.CodeOf(err) != "filter_invalid" {
		t.Fatalf("unknown sort: %v", err)
	}
}
