package server

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"bureau/connector"
	"bureau/estate"
)

const estatePassword = "amber lighthouse pickles seventy"

// estateEnv: acme holds three processes — "Direct" assigned to its Account
// User, "Via group" assigned to a group the user is in, "Unassigned" — each
// with a job, a robot and a schedule; beta holds one process and job. The
// assignments are made through the API by the owner (Tenant Admin).
type estateEnv struct {
	*env
	owner, au *client
	auID      string
	proc, job map[string]string // acme's ids by process ref; "beta" for beta's
	group     string
}

func newEstateEnv(t *testing.T) *estateEnv {
	t.Helper()
	e := newEnv(t)
	owner := e.setUp()
	wantStatus(t, owner.do("POST", "/api/v1/accounts", newAccount("Beta", "beta")), 201, "")
	x := &estateEnv{env: e, owner: owner, proc: map[string]string{}, job: map[string]string{}}
	now := e.clock.Now()
	for i, ref := range []string{"direct", "group", "none"} {
		j := connector.Job{Ref: "job-" + ref, ProcessRef: ref, State: []connector.State{connector.StateSuccessful, connector.StateFaulted, connector.StateFaulted}[i],
			RawState: "Done", CreatedAt: now.Add(-time.Duration(i+1) * time.Hour), RobotRef: "robot-" + ref, Raw: json.RawMessage(`{"Key":"` + ref + `"}`)}
		if ref == "none" {
			j.Error = "=HYPERLINK(\"http://evil.example\")"
		}
		x.seed("acme", []connector.Process{{Ref: ref, Name: map[string]string{"direct": "Direct", "group": "Via group", "none": "Unassigned"}[ref]}},
			[]connector.Job{j}, []connector.Robot{{Ref: "robot-" + ref, Name: "Robot " + ref, Status: connector.RobotAvailable}},
			[]connector.Schedule{{Ref: "s-" + ref, Name: "Schedule " + ref, ProcessRef: ref, Enabled: true}})
	}
	x.seed("beta", []connector.Process{{Ref: "beta", Name: "Beta process"}}, []connector.Job{{Ref: "job-beta", ProcessRef: "beta",
		State: connector.StateSuccessful, CreatedAt: now.Add(-time.Hour)}}, nil, nil)
	for ref := range map[string]bool{"direct": true, "group": true, "none": true, "beta": true} {
		x.proc[ref] = x.one(`SELECT id FROM processes WHERE ref = ?`, ref)
		x.job[ref] = x.one(`SELECT id FROM jobs WHERE ref = ?`, "job-"+ref)
	}
	x.auID = e.addPerson("au@acme.example", estatePassword, "account_user", "acme")
	x.au = e.login("au@acme.example", estatePassword)
	r := owner.do("POST", "/api/v1/accounts/acme/groups", map[string]any{"name": "Finance"})
	wantStatus(t, r, 201, "")
	x.group = r.json(t)["id"].(string)
	wantStatus(t, owner.do("PATCH", "/api/v1/accounts/acme/groups/"+x.group, map[string]any{"members": []string{x.auID}}), 200, "")
	wantStatus(t, x.assign(x.proc["direct"], []string{x.auID}, []string{}), 200, "")
	wantStatus(t, x.assign(x.proc["group"], []string{}, []string{x.group}), 200, "")
	return x
}

func (x *estateEnv) one(query string, args ...any) string {
	x.t.Helper()
	var s string
	if err := x.db.R.QueryRow(query, args...).Scan(&s); err != nil {
		x.t.Fatalf("%s: %v", query, err)
	}
	return s
}

func (x *estateEnv) seed(slug string, ps []connector.Process, js []connector.Job, rs []connector.Robot, ss []connector.Schedule) {
	x.t.Helper()
	ctx, now := context.Background(), x.clock.Now()
	var sc estate.Scope
	if err := x.db.R.QueryRow(`SELECT tenant_id, id FROM accounts WHERE slug = ?`, slug).Scan(&sc.TenantID, &sc.AccountID); err != nil {
		x.t.Fatal(err)
	}
	err := x.db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := estate.UpsertProcesses(ctx, tx, sc, ps, estate.SourceSync, now); err != nil {
			return err
		}
		if _, err := estate.UpsertJobs(ctx, tx, sc, js, estate.SourceSync, now); err != nil {
			return err
		}
		if _, err := estate.UpsertRobots(ctx, tx, sc, rs, estate.SourceSync, now); err != nil {
			return err
		}
		_, err := estate.UpsertSchedules(ctx, tx, sc, ss, now)
		return err
	})
	if err != nil {
		x.t.Fatal(err)
	}
}

func (x *estateEnv) assign(processID string, users, groups []string) resp {
	return x.owner.do("PUT", "/api/v1/accounts/acme/processes/"+processID+"/assignments", map[string]any{"user_ids": users, "group_ids": groups})
}

func itemsOf(t *testing.T, r resp) []map[string]any {
	t.Helper()
	if r.StatusCode != 200 {
		t.Fatalf("list: %d %s", r.StatusCode, r.body)
	}
	var out []map[string]any
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func field(items []map[string]any, key string) []string {
	var out []string
	for _, it := range items {
		out = append(out, it[key].(string))
	}
	return out
}

// ISO-12 through the API: the Account User sees the process assigned to
// them and the one assigned to their group, and nothing of the third — in
// processes, process detail, jobs, job detail, schedules, the CSV export and
// the dashboard. They never see who is assigned, and may not assign.
func TestAccountUserSeesOnlyAssignedProcessesThroughTheAPI(t *testing.T) {
	x := newEstateEnv(t)
	au := x.au
	ps := itemsOf(t, au.do("GET", "/api/v1/accounts/acme/processes", nil))
	if got := field(ps, "name"); !slices.Equal(got, []string{"Direct", "Via group"}) {
		t.Fatalf("processes: %v", got)
	}
	if _, ok := ps[0]["assignees"]; ok {
		t.Fatal("an Account User is shown the assignees")
	}
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/processes/"+x.proc["none"], nil), 404, "not_found")
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/processes/"+x.proc["direct"], nil), 200, "")

	js := itemsOf(t, au.do("GET", "/api/v1/accounts/acme/jobs", nil))
	if got := field(js, "ref"); !slices.Equal(got, []string{"job-direct", "job-group"}) {
		t.Fatalf("jobs: %v", got)
	}
	wantStatus(t, au.do("GET", "/api/v1/accounts/acme/jobs/"+x.job["none"], nil), 404, "not_found")
	if n := len(itemsOf(t, au.do("GET", "/api/v1/accounts/acme/jobs?process="+x.proc["none"], nil))); n != 0 {
		t.Fatalf("filtering on the unassigned process shows %d jobs", n)
	}
	if got := field(itemsOf(t, au.do("GET", "/api/v1/accounts/acme/schedules", nil)), "ref"); !slices.Equal(got, []string{"s-direct", "s-group"}) {
		t.Fatalf("schedules: %v", got)
	}
	if got := field(itemsOf(t, au.do("GET", "/api/v1/accounts/acme/robots", nil)), "ref"); !slices.Equal(got, []string{"robot-direct", "robot-group"}) {
		t.Fatalf("robots: %v", got)
	}
	r := au.do("GET", "/api/v1/accounts/acme/jobs?format=csv", nil)
	records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || r.StatusCode != 200 || len(records) != 3 {
		t.Fatalf("export: %d %v %q", r.StatusCode, err, r.body)
	}
	if strings.Contains(string(r.body), "Unassigned") {
		t.Fatal("the export carries the unassigned process")
	}
	d := au.do("GET", "/api/v1/accounts/acme/dashboard", nil).json(t)
	if tot := d["totals"].(map[string]any); tot["runs"] != 2.0 || tot["faulted"] != 1.0 || tot["success_rate"] != 0.5 {
		t.Fatalf("dashboard totals: %v", tot)
	}
	wantStatus(t, au.do("PUT", "/api/v1/accounts/acme/processes/"+x.proc["none"]+"/assignments",
		map[string]any{"user_ids": []string{x.auID}, "group_ids": []string{}}), 403, "permission_denied")
	wantStatus(t, au.do("GET", "/api/v1/overview", nil), 403, "permission_denied")

	// Unassigning the group hides its process at once.
	wantStatus(t, x.assign(x.proc["group"], []string{}, []string{}), 200, "")
	if got := field(itemsOf(t, au.do("GET", "/api/v1/accounts/acme/processes", nil)), "name"); !slices.Equal(got, []string{"Direct"}) {
		t.Fatalf("after unassigning: %v", got)
	}
}

func TestEstateReadsForStaff(t *testing.T) {
	x := newEstateEnv(t)
	o := x.owner
	ps := itemsOf(t, o.do("GET", "/api/v1/accounts/acme/processes", nil))
	if len(ps) != 3 {
		t.Fatalf("staff see every process: %v", field(ps, "name"))
	}
	direct := ps[0]
	if a := direct["assignees"].(map[string]any); a["user_ids"].([]any)[0] != x.auID || direct["runs_7d"] != 1.0 || direct["last_job"] == nil {
		t.Fatalf("a process for one who may assign: %v", direct)
	}
	if got := field(itemsOf(t, o.do("GET", "/api/v1/accounts/acme/processes?q=via", nil)), "name"); !slices.Equal(got, []string{"Via group"}) {
		t.Fatalf("q=via: %v", got)
	}

	// Paging: one job a page, newest first, each once.
	var refs []string
	path := "/api/v1/accounts/acme/jobs?limit=1"
	for range 5 {
		r := o.do("GET", path, nil)
		refs = append(refs, field(itemsOf(t, r), "ref")...)
		next, _ := r.json(t)["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/accounts/acme/jobs?limit=1&cursor=" + next
	}
	if !slices.Equal(refs, []string{"job-direct", "job-group", "job-none"}) {
		t.Fatalf("paged jobs: %v", refs)
	}
	if got := field(itemsOf(t, o.do("GET", "/api/v1/accounts/acme/jobs?state=faulted,stopped&robot=robot-none", nil)), "ref"); !slices.Equal(got, []string{"job-none"}) {
		t.Fatalf("filtered jobs: %v", got)
	}
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/jobs?state=done", nil), 400, "filter_invalid")
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/jobs?from=yesterday", nil), 400, "filter_invalid")
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/jobs?format=xml", nil), 400, "filter_invalid")
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/jobs?cursor=bogus", nil), 400, "cursor_invalid")

	j := o.do("GET", "/api/v1/accounts/acme/jobs/"+x.job["none"], nil).json(t)
	if raw := j["raw"].(map[string]any); raw["Key"] != "none" || j["process"].(map[string]any)["name"] != "Unassigned" {
		t.Fatalf("job detail: %v", j)
	}

	r := o.do("GET", "/api/v1/accounts/acme/jobs?format=csv&process="+x.proc["none"], nil)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export headers: %s / %s", ct, r.Header.Get("Content-Disposition"))
	}
	if !strings.Contains(string(r.body), `"'=HYPERLINK(""http://evil.example"")"`) {
		t.Fatalf("a formula in the export is not neutralised:\n%s", r.body)
	}

	d := o.do("GET", "/api/v1/accounts/acme/dashboard?days=30", nil).json(t)
	if len(d["daily"].([]any)) != 30 || d["last_sync"] != nil || len(d["failures_by_process"].([]any)) != 2 {
		t.Fatalf("dashboard: %v", d)
	}
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/dashboard?days=5", nil), 400, "filter_invalid")

	ov := itemsOf(t, o.do("GET", "/api/v1/overview", nil))
	if got := field(func() []map[string]any {
		var accts []map[string]any
		for _, it := range ov {
			accts = append(accts, it["account"].(map[string]any))
		}
		return accts
	}(), "slug"); !slices.Equal(got, []string{"acme", "beta"}) {
		t.Fatalf("overview: %v", got)
	}
	if ov[0]["health"] != "critical" || ov[1]["health"] != "ok" {
		t.Fatalf("overview health: acme %v (2 of 3 failed), beta %v", ov[0]["health"], ov[1]["health"])
	}
	wantStatus(t, o.do("GET", "/api/v1/overview?sort=size", nil), 400, "filter_invalid")
}

// Another account's processes and jobs answer 404 through this account's
// paths (ISO-04), and assignments accept only this account's people and
// groups, naming each bad entry.
func TestEstateStaysInsideItsAccount(t *testing.T) {
	x := newEstateEnv(t)
	o := x.owner
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/processes/"+x.proc["beta"], nil), 404, "not_found")
	wantStatus(t, o.do("GET", "/api/v1/accounts/acme/jobs/"+x.job["beta"], nil), 404, "not_found")
	wantStatus(t, x.assign(x.proc["beta"], []string{}, []string{}), 404, "not_found")
	if n := len(itemsOf(t, o.do("GET", "/api/v1/accounts/acme/jobs?process="+x.proc["beta"], nil))); n != 0 {
		t.Fatalf("beta's jobs through acme: %d", n)
	}

	betaUser := x.addPerson("bu@beta.example", "", "account_user", "beta")
	betaEveryone := x.one(`SELECT g.id FROM groups g JOIN accounts a ON a.id = g.account_id WHERE a.slug = 'beta' AND g.builtin = 'everyone'`)
	r := x.assign(x.proc["none"], []string{x.auID, betaUser}, []string{betaEveryone})
	wantStatus(t, r, 422, "validation_failed")
	var fields []string
	for _, fe := range r.json(t)["errors"].([]any) {
		fields = append(fields, fe.(map[string]any)["field"].(string))
	}
	if !slices.Equal(fields, []string{"user_ids[1]", "group_ids[0]"}) {
		t.Fatalf("field errors: %v", fields)
	}
	wantStatus(t, o.do("PUT", "/api/v1/accounts/acme/processes/"+x.proc["none"]+"/assignments", map[string]any{"user_ids": []string{}}), 422, "required")
	wantStatus(t, o.do("PUT", "/api/v1/accounts/acme/processes/"+x.proc["none"]+"/assignments",
		map[string]any{"user_ids": []string{}, "group_ids": []string{}, "account_id": "x"}), 400, "unknown_field")
	if n := x.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'process.assign'`); n != 2 {
		t.Fatalf("process.assign events: %d, want the 2 of the setup", n)
	}
}
