package server

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
	"bureau/estate"
)

// runsEnv: acme runs the demo estate, its processes stored as a sync would;
// the owner (Tenant Admin), an Account Admin and a Client are signed in.
type runsEnv struct {
	*env
	owner, aa, cl *client
	procs         []string // acme's process ids by name
}

const runsPassword = "quiet harbour lantern ninety"

func newRunsEnv(t *testing.T) *runsEnv {
	t.Helper()
	e := newEnv(t)
	owner := e.setUp()
	e.addPerson("aa@acme.example", runsPassword, "account_admin", "acme")
	e.addPerson("cl@acme.example", runsPassword, "client", "acme")
	r := &runsEnv{env: e, owner: owner, aa: e.login("aa@acme.example", runsPassword), cl: e.login("cl@acme.example", runsPassword)}
	wantStatus(t, owner.do("PUT", "/api/v1/accounts/acme/connection", map[string]any{"provider": "demo"}), 200, "")
	r.storeProcesses(nil)
	r.procs = r.ids(`SELECT p.id FROM processes p JOIN accounts a ON a.id = p.account_id WHERE a.slug = 'acme' ORDER BY p.name`)
	return r
}

// storeProcesses stores the processes of p (nil: acme's own provider).
func (r *runsEnv) storeProcesses(p connector.Provider) {
	r.t.Helper()
	ctx := context.Background()
	var tenantID, accountID string
	if err := r.db.R.QueryRow(`SELECT tenant_id, id FROM accounts WHERE slug = 'acme'`).Scan(&tenantID, &accountID); err != nil {
		r.t.Fatal(err)
	}
	if p == nil {
		var err error
		if p, _, err = r.srv.Connections.Provider(ctx, tenantID, accountID); err != nil {
			r.t.Fatal(err)
		}
	}
	var all []connector.Process
	if err := p.Processes(ctx, func(ps []connector.Process) error { all = append(all, ps...); return nil }); err != nil {
		r.t.Fatal(err)
	}
	err := r.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := estate.UpsertProcesses(ctx, tx, estate.Scope{TenantID: tenantID, AccountID: accountID}, all, estate.SourceSync, r.clock.Now())
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *runsEnv) ids(q string, args ...any) []string {
	r.t.Helper()
	rows, err := r.db.R.Query(q, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func (r *runsEnv) requireApproval(timeoutSeconds int) {
	r.t.Helper()
	wantStatus(r.t, r.owner.do("PATCH", "/api/v1/accounts/acme/settings",
		map[string]any{"require_run_approval": true, "approval_timeout_seconds": timeoutSeconds}), 200, "")
}

func runPath(processID string) string {
	return "/api/v1/accounts/acme/processes/" + processID + "/runs"
}

func obj(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("no %q object in %v", key, m)
	}
	return v
}

// SPEC §4 end to end: a Client's run waits (202); the Account Admin sees
// it pending, approves it, the demo estate starts the job and the job is in
// the jobs table at once; deciding again is 409.
func TestRunApprovalFlowOverHTTP(t *testing.T) {
	r := newRunsEnv(t)
	r.requireApproval(600)
	res := r.cl.do("POST", runPath(r.procs[0]), map[string]any{"arguments": map[string]any{"month": "2026-11"}})
	wantStatus(t, res, 202, "")
	req := obj(t, res.json(t), "run_request")
	if req["status"] != "pending" || req["expires_at"] != "2026-11-24T09:10:00Z" || obj(t, req, "requested_by")["email"] != "cl@acme.example" {
		t.Fatalf("run request: %v", req)
	}
	list := r.aa.do("GET", "/api/v1/accounts/acme/run-requests?status=pending", nil)
	wantStatus(t, list, 200, "")
	if items := list.json(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != req["id"] {
		t.Fatalf("pending list: %s", list.body)
	}
	// A Client may not approve their own request.
	wantStatus(t, r.cl.do("POST", "/api/v1/accounts/acme/run-requests/"+req["id"].(string)+"/approve", nil), 403, "permission_denied")

	res = r.aa.do("POST", "/api/v1/accounts/acme/run-requests/"+req["id"].(string)+"/approve", nil)
	wantStatus(t, res, 200, "")
	body := res.json(t)
	job, approved := obj(t, body, "job"), obj(t, body, "run_request")
	if approved["status"] != "approved" || approved["job_ref"] != job["ref"] || job["source"] != "run" || job["state"] != "pending" {
		t.Fatalf("approve: %s", res.body)
	}
	if n := r.count(`SELECT COUNT(*) FROM jobs WHERE ref = ? AND source = 'run'`, job["ref"]); n != 1 {
		t.Fatalf("job rows: %d", n)
	}
	listed := r.aa.do("GET", "/api/v1/accounts/acme/run-requests", nil).json(t)["items"].([]any)[0].(map[string]any)
	if listed["job_id"] != job["id"] {
		t.Fatalf("the listed request links job %v, want %v", listed["job_id"], job["id"])
	}
	wantStatus(t, r.owner.do("POST", "/api/v1/accounts/acme/run-requests/"+req["id"].(string)+"/approve", nil), 409, "run_request_decided")
	wantStatus(t, r.owner.do("POST", "/api/v1/accounts/acme/run-requests/"+req["id"].(string)+"/reject", map[string]any{"reason": "late"}), 409, "run_request_decided")
}

// The approval timeout runs on the server's clock: past it the request
// answers 410 and shows expired.
func TestRunRequestExpiresOverHTTP(t *testing.T) {
	r := newRunsEnv(t)
	r.requireApproval(60)
	id := obj(t, r.cl.do("POST", runPath(r.procs[1]), nil).json(t), "run_request")["id"].(string)
	r.clock.Advance(61 * time.Second)
	wantStatus(t, r.aa.do("POST", "/api/v1/accounts/acme/run-requests/"+id+"/approve", nil), 410, "run_request_expired")
	list := r.aa.do("GET", "/api/v1/accounts/acme/run-requests", nil).json(t)["items"].([]any)
	if got := list[0].(map[string]any); got["id"] != id || got["status"] != "expired" {
		t.Fatalf("after expiry: %v", got)
	}
	if n := r.count(`SELECT COUNT(*) FROM jobs WHERE source = 'run'`); n != 0 {
		t.Errorf("an expired request started %d jobs", n)
	}
}

func TestRunRequestRejectOverHTTP(t *testing.T) {
	r := newRunsEnv(t)
	r.requireApproval(600)
	id := obj(t, r.cl.do("POST", runPath(r.procs[2]), map[string]any{}).json(t), "run_request")["id"].(string)
	res := r.owner.do("POST", "/api/v1/accounts/acme/run-requests/"+id+"/reject", map[string]any{"reason": "Wait for the close"})
	wantStatus(t, res, 200, "")
	got := obj(t, res.json(t), "run_request")
	if got["status"] != "rejected" || got["reason"] != "Wait for the close" || obj(t, got, "decided_by")["name"] != "Ann Owner" {
		t.Fatalf("rejected: %s", res.body)
	}
	wantStatus(t, r.aa.do("POST", "/api/v1/accounts/acme/run-requests/"+id+"/approve", nil), 409, "run_request_decided")
	wantStatus(t, r.aa.do("GET", "/api/v1/accounts/acme/run-requests?status=nope", nil), 400, "filter_invalid")
}

// Staff and Account Admins start directly although approval is required;
// without the setting a Client starts directly too.
func TestDirectRunsOverHTTP(t *testing.T) {
	r := newRunsEnv(t)
	r.requireApproval(600)
	for name, c := range map[string]*client{"tenant admin": r.owner, "account admin": r.aa} {
		res := c.do("POST", runPath(r.procs[3]), nil)
		wantStatus(t, res, 201, "")
		if job := obj(t, res.json(t), "job"); job["source"] != "run" || obj(t, job, "process")["id"] != r.procs[3] {
			t.Errorf("%s: %s", name, res.body)
		}
	}
	wantStatus(t, r.owner.do("PATCH", "/api/v1/accounts/acme/settings", map[string]any{"require_run_approval": false}), 200, "")
	wantStatus(t, r.cl.do("POST", runPath(r.procs[3]), nil), 201, "")
	if n := r.count(`SELECT COUNT(*) FROM jobs WHERE source = 'run'`); n != 3 {
		t.Errorf("jobs: %d", n)
	}
	if n := r.count(`SELECT COUNT(*) FROM run_requests`); n != 0 {
		t.Errorf("run requests: %d", n)
	}
	wantStatus(t, r.aa.do("POST", runPath("no-such-process"), nil), 404, "not_found")
	wantStatus(t, r.aa.do("POST", runPath(r.procs[0]), map[string]any{"arguments": map[string]any{"": 1}}), 422, "arguments_invalid")
}

// A vendor refusal surfaces as 502 with the connector's kind as the code
// and the vendor's own message; a missing connection is 409.
func TestRunVendorRefusalOverHTTP(t *testing.T) {
	r := newRunsEnv(t)
	sim := uipathsim.NewCloud(simkit.Options{Clock: simkit.NewClock(r.clock.Now())})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	good, err := connector.New("uipath-cloud", connector.Config{Settings: sim.Settings(srv.URL), Secrets: sim.Secrets()})
	if err != nil {
		t.Fatal(err)
	}
	r.storeProcesses(good)
	var simProc string
	if err := r.db.R.QueryRow(`SELECT id FROM processes WHERE ref NOT IN (SELECT ref FROM processes WHERE id IN (`+
		strings.Repeat("?,", len(r.procs)-1)+`?)) LIMIT 1`, anySlice(r.procs)...).Scan(&simProc); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, r.owner.do("PUT", "/api/v1/accounts/acme/connection", map[string]any{"provider": "uipath-cloud",
		"settings": sim.Settings(srv.URL), "secrets": sim.WrongSecrets()}), 200, "")
	res := r.aa.do("POST", runPath(simProc), nil)
	wantStatus(t, res, 502, "auth_failed")
	if detail := res.json(t)["detail"].(string); !strings.Contains(detail, "invalid_client") || strings.Contains(string(res.body), "not-the-secret") {
		t.Errorf("detail %q: want the vendor's words and no secret", detail)
	}
	r.exec(`DELETE FROM connections`)
	wantStatus(t, r.aa.do("POST", runPath(simProc), nil), 409, "connection_missing")
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
