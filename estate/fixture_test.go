package estate

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"bureau/connector"
	"bureau/store"
	"bureau/store/storetest"
)

// fixture is a real migrated database with one tenant and two accounts,
// acme (a1) and beta (a2), seeded through the same upserts the sync uses.
type fixture struct {
	t   testing.TB
	db  *store.DB
	now time.Time
}

var (
	acme = Scope{TenantID: "t1", AccountID: "a1"}
	beta = Scope{TenantID: "t1", AccountID: "a2"}
)

// fixtureNow is a Tuesday morning; days in tests count back from it.
var fixtureNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	at := store.Time(fixtureNow.Add(-90 * day))
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','`+at+`','`+at+`')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at) VALUES
			('a1','t1','acme','Acme','`+at+`','`+at+`'), ('a2','t1','beta','Beta','`+at+`','`+at+`')`)
	return &fixture{t: t, db: db, now: fixtureNow}
}

func (f *fixture) write(fn func(ctx context.Context, tx *sql.Tx) (int, error)) {
	f.t.Helper()
	ctx := context.Background()
	if err := f.db.Write(ctx, func(tx *sql.Tx) error { _, err := fn(ctx, tx); return err }); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) processes(sc Scope, ps ...connector.Process) {
	f.t.Helper()
	f.write(func(ctx context.Context, tx *sql.Tx) (int, error) {
		return UpsertProcesses(ctx, tx, sc, ps, SourceSync, f.now)
	})
}

func (f *fixture) jobs(sc Scope, js ...connector.Job) {
	f.t.Helper()
	f.write(func(ctx context.Context, tx *sql.Tx) (int, error) {
		return UpsertJobs(ctx, tx, sc, js, SourceSync, f.now)
	})
}

func (f *fixture) robots(sc Scope, rs ...connector.Robot) {
	f.t.Helper()
	f.write(func(ctx context.Context, tx *sql.Tx) (int, error) {
		return UpsertRobots(ctx, tx, sc, rs, SourceSync, f.now)
	})
}

func (f *fixture) schedules(sc Scope, ss ...connector.Schedule) {
	f.t.Helper()
	f.write(func(ctx context.Context, tx *sql.Tx) (int, error) { return UpsertSchedules(ctx, tx, sc, ss, f.now) })
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.W.Exec(q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// person adds a user with a membership; accountID "" makes staff. It
// returns the user id and the membership id.
func (f *fixture) person(email, role, accountID, status string) (string, string) {
	f.t.Helper()
	uid, mid, at := store.NewID(), store.NewID(), store.Time(f.now)
	f.exec(`INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, uid, email, email, at, at)
	var account any
	if accountID != "" {
		account = accountID
	}
	f.exec(`INSERT INTO memberships (id, tenant_id, user_id, account_id, role, status, created_at, updated_at)
		VALUES (?, 't1', ?, ?, ?, ?, ?, ?)`, mid, uid, account, role, status, at, at)
	return uid, mid
}

// group adds a custom group to the account, with the given members.
func (f *fixture) group(sc Scope, name string, membershipIDs ...string) string {
	f.t.Helper()
	id, at := store.NewID(), store.Time(f.now)
	f.exec(`INSERT INTO groups (id, tenant_id, account_id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, lower(?), ?, ?)`,
		id, sc.TenantID, sc.AccountID, name, name, at, at)
	for _, m := range membershipIDs {
		f.exec(`INSERT INTO group_members (tenant_id, account_id, group_id, membership_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			sc.TenantID, sc.AccountID, id, m, at)
	}
	return id
}

func (f *fixture) builtinGroup(sc Scope, builtin string) string {
	f.t.Helper()
	var id string
	if err := f.db.R.QueryRow(`SELECT id FROM groups WHERE account_id = ? AND builtin = ?`, sc.AccountID, builtin).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) processID(sc Scope, ref string) string {
	f.t.Helper()
	var id string
	if err := f.db.R.QueryRow(`SELECT id FROM processes WHERE account_id = ? AND ref = ?`, sc.AccountID, ref).Scan(&id); err != nil {
		f.t.Fatalf("process %s: %v", ref, err)
	}
	return id
}

func (f *fixture) jobID(sc Scope, ref string) string {
	f.t.Helper()
	var id string
	if err := f.db.R.QueryRow(`SELECT id FROM jobs WHERE account_id = ? AND ref = ?`, sc.AccountID, ref).Scan(&id); err != nil {
		f.t.Fatalf("job %s: %v", ref, err)
	}
	return id
}

// assign puts a person or a group on a process directly, as test setup.
func (f *fixture) assign(sc Scope, processRef, userID, groupID string) {
	f.t.Helper()
	var u, g any
	if userID != "" {
		u = userID
	}
	if groupID != "" {
		g = groupID
	}
	f.exec(`INSERT INTO process_assignees (tenant_id, account_id, process_id, user_id, group_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		sc.TenantID, sc.AccountID, f.processID(sc, processRef), u, g, store.Time(f.now))
}

// job builds a finished job of process ref created at, lasting a minute.
func job(ref, process string, state connector.State, at time.Time) connector.Job {
	j := connector.Job{Ref: ref, ProcessRef: process, State: state, RawState: string(state), CreatedAt: at, RobotRef: "r1", RobotName: "Bot 1"}
	if state != connector.StatePending {
		start := at.Add(time.Second)
		j.StartedAt = &start
	}
	if state == connector.StateSuccessful || state == connector.StateFaulted || state == connector.StateStopped {
		end := at.Add(61 * time.Second)
		j.EndedAt = &end
	}
	return j
}

var all = Viewer{UserID: "staff", AllProcesses: true}

func names(ps []Process) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func fmtRefs(js []Job) string {
	s := ""
	for _, j := range js {
		s += fmt.Sprintf("%s ", j.Ref)
	}
	return s
}
