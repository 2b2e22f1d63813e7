package runs

import (
	"bytes"
	"context"
	"database/sql"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connection"
	"bureau/connector"
	_ "bureau/connector/all"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
	"bureau/estate"
	"bureau/secret"
	"bureau/store"
	"bureau/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var (
	admin     = Caller{UserID: "u-aa", CanApprove: true}
	client    = Caller{UserID: "u-cl"}
	staff     = Caller{UserID: "u-ta", CanApprove: true}
	user      = Caller{UserID: "u-au", Restricted: true}
	actorOf   = func(c Caller) audit.Actor { return audit.Actor{Kind: audit.ActorUser, ID: c.UserID} }
	bg        = context.Background()
	tenantID  = "t1"
	acmeID    = "a1"
	betaID    = "a2"
	startTime = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
)

type fixture struct {
	svc   *Service
	db    *store.DB
	clock *clock
	conns *connection.Service
	procs []string // ids of acme's processes, by name order
}

// newFixture: acme requires approval (timeout one hour) and runs the demo
// estate; beta does not require approval and runs the demo estate too.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := storetest.Open(t,
		`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ('t1','firm','Firm','','')`,
		`INSERT INTO accounts (id, tenant_id, slug, name, created_at, updated_at, require_run_approval, approval_timeout_seconds)
			VALUES ('a1','t1','acme','Acme','','',1,3600), ('a2','t1','beta','Beta','','',0,3600)`,
		`INSERT INTO users (id, email, name, created_at, updated_at) VALUES
			('u-ta','ta@firm.example','Tia Admin','',''), ('u-aa','aa@acme.example','Ada Admin','',''),
			('u-cl','cl@acme.example','Cleo Client','',''), ('u-au','au@acme.example','Abe User','',''),
			('u-bcl','cl@beta.example','Bea Client','','')`,
		`INSERT INTO memberships (id, tenant_id, user_id, account_id, role, created_at, updated_at) VALUES
			('m-ta','t1','u-ta',NULL,'tenant_admin','',''), ('m-aa','t1','u-aa','a1','account_admin','',''),
			('m-cl','t1','u-cl','a1','client','',''), ('m-au','t1','u-au','a1','account_user','',''),
			('m-bcl','t1','u-bcl','a2','client','','')`)
	clk := &clock{t: startTime}
	box, err := secret.NewBox(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	conns := &connection.Service{DB: db, Box: box, Now: clk.Now}
	f := &fixture{svc: &Service{DB: db, Connections: conns, Now: clk.Now}, db: db, clock: clk, conns: conns}
	for _, acc := range []string{acmeID, betaID} {
		if _, err := conns.Put(bg, actorOf(staff), tenantID, acc, connection.Input{Provider: "demo"}); err != nil {
			t.Fatal(err)
		}
		p, _, err := conns.Provider(bg, tenantID, acc)
		if err != nil {
			t.Fatal(err)
		}
		f.syncProcesses(t, p, acc)
	}
	f.procs = f.ids(t, `SELECT id FROM processes WHERE account_id = 'a1' ORDER BY name`)
	return f
}

// syncProcesses stores the provider's processes, as a sync would.
func (f *fixture) syncProcesses(t *testing.T, p connector.Provider, accountID string) {
	t.Helper()
	var all []connector.Process
	if err := p.Processes(bg, func(ps []connector.Process) error { all = append(all, ps...); return nil }); err != nil {
		t.Fatal(err)
	}
	err := f.db.Write(bg, func(tx *sql.Tx) error {
		_, err := estate.UpsertProcesses(bg, tx, estate.Scope{TenantID: tenantID, AccountID: accountID}, all, estate.SourceSync, f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) ids(t *testing.T, q string, args ...any) []string {
	t.Helper()
	rows, err := f.db.R.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, err error, kind apperr.Kind, code string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("got %v, want %s (kind %d)", err, code, kind)
	}
	return e
}

func (f *fixture) request(t *testing.T, c Caller, processID string) Request {
	t.Helper()
	out, err := f.svc.Start(bg, actorOf(c), c, tenantID, acmeID, processID, map[string]any{"invoice": "INV-7"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Request == nil || out.Job != nil {
		t.Fatalf("want a run request, got %+v", out)
	}
	return *out.Request
}

// SPEC §4: a Client's run waits for approval; an Account Admin approves it
// and the job starts on the provider and shows in the jobs table at once.
func TestApprovalFlow(t *testing.T) {
	f := newFixture(t)
	req := f.request(t, client, f.procs[0])
	if req.Status != StatusPending || !req.ExpiresAt.Equal(startTime.Add(time.Hour)) || req.RequestedBy.Email != "cl@acme.example" {
		t.Fatalf("request: %+v", req)
	}
	if string(req.Arguments) != `{"invoice":"INV-7"}` {
		t.Errorf("arguments: %s", req.Arguments)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`); n != 0 {
		t.Fatalf("a job was stored before approval: %d", n)
	}
	f.clock.Advance(30 * time.Minute)
	got, job, err := f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusApproved || got.DecidedBy == nil || got.DecidedBy.ID != "u-aa" || got.JobRef != job.Ref || job.Ref == "" {
		t.Fatalf("approved request: %+v, job %+v", got, job)
	}
	if job.Source != "run" || job.Process.ID != f.procs[0] || job.Trigger != "manual" {
		t.Errorf("job: %+v", job)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1' AND ref = ? AND source = 'run'`, job.Ref); n != 1 {
		t.Errorf("job rows: %d", n)
	}
	for _, action := range []string{"run.request", "run.approve", "run.start"} {
		if n := f.count(t, `SELECT COUNT(*) FROM audit_events WHERE account_id = 'a1' AND action = ?`, action); n != 1 {
			t.Errorf("audit %s: %d events", action, n)
		}
	}
	// Decided once: a second approval or a rejection is a conflict.
	_, _, err = f.svc.Approve(bg, actorOf(staff), staff, tenantID, acmeID, req.ID)
	wantCode(t, err, apperr.KindConflict, "run_request_decided")
	_, err = f.svc.Reject(bg, actorOf(staff), staff, tenantID, acmeID, req.ID, "")
	wantCode(t, err, apperr.KindConflict, "run_request_decided")
}

// Two approvers at once start one job: the request is claimed before the
// vendor is called.
func TestConcurrentApprovalsStartOneJob(t *testing.T) {
	f := newFixture(t)
	req := f.request(t, client, f.procs[1])
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantCode(t, err, apperr.KindConflict, "run_request_decided")
		}
	}
	if ok != 1 || f.count(t, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`) != 1 {
		t.Fatalf("%d approvals succeeded, %d jobs", ok, f.count(t, `SELECT COUNT(*) FROM jobs`))
	}
}

// The approval timeout runs on the injected clock: past it, approving is
// 410 and the request is marked expired in the same transaction.
func TestExpiredRequest(t *testing.T) {
	f := newFixture(t)
	req := f.request(t, client, f.procs[0])
	f.clock.Advance(time.Hour) // exactly at expiry: still approvable
	if _, _, err := f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, f.request(t, client, f.procs[1]).ID); err != nil {
		t.Fatalf("a request made now: %v", err)
	}
	f.clock.Advance(time.Second)
	_, _, err := f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
	wantCode(t, err, apperr.KindGone, "run_request_expired")
	if n := f.count(t, `SELECT COUNT(*) FROM run_requests WHERE id = ? AND status = 'expired' AND decided_at = expires_at`, req.ID); n != 1 {
		t.Fatal("the request was not marked expired")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_events WHERE action = 'run.expire' AND target_id = ?`, req.ID); n != 1 {
		t.Errorf("run.expire events: %d", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`); n != 1 {
		t.Errorf("jobs: %d, want only the one approved in time", n)
	}
	// Once expired, it is decided.
	_, _, err = f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
	wantCode(t, err, apperr.KindConflict, "run_request_decided")
}

// The sweep expires overdue requests of every account, and lists are
// truthful even before it runs.
func TestExpireDueAndTruthfulList(t *testing.T) {
	f := newFixture(t)
	old := f.request(t, client, f.procs[0])
	f.clock.Advance(50 * time.Minute)
	fresh := f.request(t, client, f.procs[1])
	f.clock.Advance(11 * time.Minute)
	list, _, err := f.svc.List(bg, admin, tenantID, acmeID, Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range list {
		status[r.ID] = r.Status
	}
	if status[old.ID] != StatusExpired || status[fresh.ID] != StatusPending || list[0].ID != fresh.ID {
		t.Fatalf("list: %v (newest first)", status)
	}
	f.clock.Advance(time.Hour)
	n, err := f.svc.ExpireDue(bg)
	if err != nil || n != 1 {
		t.Fatalf("ExpireDue: %d, %v", n, err)
	}
	pending, _, _ := f.svc.List(bg, admin, tenantID, acmeID, Filter{Status: StatusPending, Limit: 50})
	if len(pending) != 0 {
		t.Errorf("pending after the sweep: %d", len(pending))
	}
	_, _, err = f.svc.List(bg, admin, tenantID, acmeID, Filter{Status: "bogus", Limit: 50})
	wantCode(t, err, apperr.KindBadRequest, "filter_invalid")
}

func TestRejectWithReason(t *testing.T) {
	f := newFixture(t)
	req := f.request(t, client, f.procs[0])
	_, err := f.svc.Reject(bg, actorOf(admin), admin, tenantID, acmeID, req.ID, strings.Repeat("x", 1001))
	wantCode(t, err, apperr.KindInvalid, "reason_too_long")
	got, err := f.svc.Reject(bg, actorOf(admin), admin, tenantID, acmeID, req.ID, "  Not during month-end close.  ")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusRejected || got.Reason != "Not during month-end close." || got.DecidedBy.Name != "Ada Admin" {
		t.Fatalf("rejected: %+v", got)
	}
	_, _, err = f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
	wantCode(t, err, apperr.KindConflict, "run_request_decided")
	if n := f.count(t, `SELECT COUNT(*) FROM audit_events WHERE action = 'run.reject'`); n != 1 {
		t.Errorf("run.reject events: %d", n)
	}
	// Another account's request looks missing.
	_, err = f.svc.Reject(bg, actorOf(admin), admin, tenantID, betaID, req.ID, "")
	wantCode(t, err, apperr.KindNotFound, "not_found")
}

// Staff and Account Admins start directly even when approval is required;
// in an account without approval a Client starts directly too.
func TestDirectStarts(t *testing.T) {
	f := newFixture(t)
	for _, c := range []Caller{staff, admin} {
		out, err := f.svc.Start(bg, actorOf(c), c, tenantID, acmeID, f.procs[2], nil)
		if err != nil || out.Job == nil || out.Request != nil {
			t.Fatalf("%s: %+v %v", c.UserID, out, err)
		}
	}
	betaProc := f.ids(t, `SELECT id FROM processes WHERE account_id = 'a2' ORDER BY name LIMIT 1`)[0]
	bcl := Caller{UserID: "u-bcl"}
	out, err := f.svc.Start(bg, actorOf(bcl), bcl, tenantID, betaID, betaProc, nil)
	if err != nil || out.Job == nil {
		t.Fatalf("client without approval: %+v %v", out, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM run_requests`); n != 0 {
		t.Errorf("run requests: %d", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM jobs WHERE source = 'run'`); n != 3 {
		t.Errorf("jobs: %d", n)
	}
	// ISO-04: a process of another account is not found.
	_, err = f.svc.Start(bg, actorOf(admin), admin, tenantID, acmeID, betaProc, nil)
	wantCode(t, err, apperr.KindNotFound, "not_found")
	// A deactivated account starts nothing.
	f.db.W.Exec(`UPDATE accounts SET status = 'deactivated' WHERE id = 'a2'`)
	_, err = f.svc.Start(bg, actorOf(staff), staff, tenantID, betaID, betaProc, nil)
	wantCode(t, err, apperr.KindConflict, "account_deactivated")
}

// ISO-12: an Account User sees only the requests of processes assigned to
// them, directly or through a group (Everyone included).
func TestAccountUserSeesAssignedRequestsOnly(t *testing.T) {
	f := newFixture(t)
	for _, p := range f.procs[:4] {
		f.request(t, client, p)
	}
	group := f.ids(t, `SELECT id FROM groups WHERE account_id = 'a1' AND builtin = 'administrators'`)[0]
	everyone := f.ids(t, `SELECT id FROM groups WHERE account_id = 'a1' AND builtin = 'everyone'`)[0]
	f.db.W.Exec(`INSERT INTO group_members (tenant_id, account_id, group_id, membership_id, created_at) VALUES ('t1','a1',?,'m-au','')`, group)
	for _, q := range []struct{ proc, user, group any }{{f.procs[0], "u-au", nil}, {f.procs[1], nil, group}, {f.procs[2], nil, everyone}} {
		if _, err := f.db.W.Exec(`INSERT INTO process_assignees (tenant_id, account_id, process_id, user_id, group_id, created_at)
			VALUES ('t1','a1',?,?,?,'')`, q.proc, q.user, q.group); err != nil {
			t.Fatal(err)
		}
	}
	list, _, err := f.svc.List(bg, user, tenantID, acmeID, Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range list {
		seen[r.Process.ID] = true
	}
	if len(list) != 3 || !seen[f.procs[0]] || !seen[f.procs[1]] || !seen[f.procs[2]] || seen[f.procs[3]] {
		t.Fatalf("account user sees %d requests: %v", len(list), seen)
	}
	if all, _, _ := f.svc.List(bg, client, tenantID, acmeID, Filter{Limit: 50}); len(all) != 4 {
		t.Errorf("client sees %d", len(all))
	}
	page, next, _ := f.svc.List(bg, admin, tenantID, acmeID, Filter{Limit: 3})
	rest, last, _ := f.svc.List(bg, admin, tenantID, acmeID, Filter{Limit: 3, Cursor: next})
	if len(page) != 3 || next == "" || len(rest) != 1 || last != "" || rest[0].ID == page[2].ID {
		t.Errorf("paging: %d + %d, next %q, last %q", len(page), len(rest), next, last)
	}
	_, err = f.svc.Start(bg, actorOf(user), user, tenantID, acmeID, f.procs[3], nil)
	wantCode(t, err, apperr.KindNotFound, "not_found")
}

// A vendor refusal is a 502 whose code is the connector's kind and whose
// message is the vendor's own; an approved request it hits is marked failed.
func TestVendorRefusal(t *testing.T) {
	f := newFixture(t)
	sim := uipathsim.NewCloud(simkit.Options{Clock: simkit.NewClock(startTime)})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	good, err := connector.New("uipath-cloud", connector.Config{Settings: sim.Settings(srv.URL), Secrets: sim.Secrets()})
	if err != nil {
		t.Fatal(err)
	}
	f.db.W.Exec(`DELETE FROM processes WHERE account_id = 'a1'`)
	f.syncProcesses(t, good, acmeID)
	proc := f.ids(t, `SELECT id FROM processes WHERE account_id = 'a1' ORDER BY name LIMIT 1`)[0]
	if _, err := f.conns.Put(bg, actorOf(staff), tenantID, acmeID, connection.Input{Provider: "uipath-cloud",
		Settings: sim.Settings(srv.URL), Secrets: sim.WrongSecrets()}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Start(bg, actorOf(admin), admin, tenantID, acmeID, proc, nil)
	e := wantCode(t, err, apperr.KindBadGateway, "auth_failed")
	if !strings.Contains(strings.ToLower(e.Message), "invalid_client") || strings.Contains(e.Message, "not-the-secret") {
		t.Errorf("message %q: want the vendor's words, without the secret", e.Message)
	}
	t.Logf("vendor refusal: %s %s", e.Code, e.Message)
	req := f.request(t, client, proc)
	_, _, err = f.svc.Approve(bg, actorOf(admin), admin, tenantID, acmeID, req.ID)
	wantCode(t, err, apperr.KindBadGateway, "auth_failed")
	got, _ := getRequest(bg, f.db.R, admin, acmeID, req.ID)
	if got.Status != StatusFailed || got.Error != e.Message {
		t.Errorf("failed request: %+v", got)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM jobs WHERE account_id = 'a1'`); n != 0 {
		t.Errorf("jobs after a refusal: %d", n)
	}
	// With no connection the answer is 409 connection_missing.
	f.db.W.Exec(`DELETE FROM connections WHERE account_id = 'a1'`)
	_, err = f.svc.Start(bg, actorOf(admin), admin, tenantID, acmeID, proc, nil)
	wantCode(t, err, apperr.KindConflict, "connection_missing")
}
