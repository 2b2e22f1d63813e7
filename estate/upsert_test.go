package estate

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"bureau/connector"
	"bureau/store/storetest"
)

func TestUpsertsAreIdempotentAndScoped(t *testing.T) {
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES ('a1','t1','acme','Acme','',''), ('a2','t1','beta','Beta','','')`)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	start := now.Add(-time.Hour)
	end := now.Add(-50 * time.Minute)
	jobs := []connector.Job{
		{Ref: "j1", ProcessRef: "p1", ProcessName: "Invoices", State: connector.StateSuccessful, RawState: "Successful", CreatedAt: start, StartedAt: &start, EndedAt: &end},
		{Ref: "j2", ProcessRef: "p-new", State: connector.StateFaulted, RawState: "Faulted", CreatedAt: start, Error: "Selector not found"},
	}
	write := func(sc Scope, js []connector.Job) int {
		t.Helper()
		var n int
		err := db.Write(ctx, func(tx *sql.Tx) error {
			c, err := UpsertProcesses(ctx, tx, sc, []connector.Process{{Ref: "p1", Name: "Invoices"}}, SourceSync, now)
			if err != nil {
				return err
			}
			r, err := UpsertRobots(ctx, tx, sc, []connector.Robot{{Ref: "r1", Name: "Bot 1", Status: connector.RobotAvailable, RawStatus: "Available"}}, SourceSync, now)
			if err != nil {
				return err
			}
			s, err := UpsertSchedules(ctx, tx, sc, []connector.Schedule{{Ref: "s1", Name: "Nightly", ProcessRef: "p1", Enabled: true, Cron: "0 0 2 * * ?"}}, now)
			if err != nil {
				return err
			}
			j, err := UpsertJobs(ctx, tx, sc, js, SourceSync, now)
			n = c + r + s + j
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a1 := Scope{TenantID: "t1", AccountID: "a1"}
	if n := write(a1, jobs); n != 5 {
		t.Fatalf("first write changed %d rows, want 5 (process, robot, schedule, 2 jobs; p-new is created on the side)", n)
	}
	if n := write(a1, jobs); n != 0 {
		t.Fatalf("the same data again changed %d rows, want 0", n)
	}
	jobs[1].State, jobs[1].RawState = connector.StateStopped, "Stopped"
	if n := write(a1, jobs); n != 1 {
		t.Fatalf("one changed job changed %d rows", n)
	}
	var name string
	_ = db.R.QueryRow(`SELECT name FROM processes WHERE account_id = 'a1' AND ref = 'p-new'`).Scan(&name)
	if name != "p-new" {
		t.Fatalf("a job's unknown process was created as %q", name)
	}
	// The same refs in another account are other rows.
	if n := write(Scope{TenantID: "t1", AccountID: "a2"}, jobs); n != 5 {
		t.Fatalf("another account: %d", n)
	}
	var count int
	_ = db.R.QueryRow(`SELECT COUNT(*) FROM jobs`).Scan(&count)
	if count != 4 {
		t.Fatalf("%d jobs, want 2 per account", count)
	}
	bad := []connector.Job{{Ref: "j3", ProcessRef: "p1", State: "done", CreatedAt: start}}
	err := db.Write(ctx, func(tx *sql.Tx) error { _, err := UpsertJobs(ctx, tx, a1, bad, SourceIngest, now); return err })
	if err == nil {
		t.Fatal("a job with an unknown state was stored")
	}
}
