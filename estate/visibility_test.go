package estate

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"sort"
	"testing"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connector"
)

// isoFixture is ISO-12's dataset: in acme, three processes — "Direct"
// assigned to the Account User, "Via group" assigned to a group they are in,
// "Unassigned" to no one — each with a job, a schedule and a robot of its
// own.
func isoFixture(t *testing.T) (*fixture, Viewer) {
	f := newFixture(t)
	au, mid := f.person("au@acme.example", "account_user", "a1", "active")
	f.processes(acme, connector.Process{Ref: "direct", Name: "Direct"}, connector.Process{Ref: "group", Name: "Via group"},
		connector.Process{Ref: "none", Name: "Unassigned"})
	for i, ref := range []string{"direct", "group", "none"} {
		j := job("job-"+ref, ref, []connector.State{connector.StateSuccessful, connector.StateFaulted, connector.StateFaulted}[i], f.now.Add(-time.Hour))
		j.RobotRef = "robot-" + ref
		f.jobs(acme, j)
		f.robots(acme, connector.Robot{Ref: "robot-" + ref, Name: "Robot " + ref, Status: connector.RobotAvailable})
		f.schedules(acme, connector.Schedule{Ref: "s-" + ref, Name: "Schedule " + ref, ProcessRef: ref, Enabled: true})
	}
	f.assign(acme, "direct", au, "")
	f.assign(acme, "group", "", f.group(acme, "Finance", mid))
	// Someone else's assignment and another group the user is not in.
	other, _ := f.person("other@acme.example", "account_user", "a1", "active")
	f.assign(acme, "none", other, "")
	f.assign(acme, "none", "", f.group(acme, "Sales"))
	v := ViewerFor(au, []string{"account_user"})
	if v.AllProcesses {
		t.Fatal("an Account User sees everything")
	}
	return f, v
}

// ISO-12: an Account User sees exactly the two processes assigned to them
// (directly and through a group) — in the processes list, the jobs list, job
// detail (404 for the third), schedules, robots, the CSV export and the
// dashboard.
func TestAccountUserSeesOnlyAssignedProcesses(t *testing.T) {
	f, v := isoFixture(t)
	ctx := context.Background()
	want := []string{"Direct", "Via group"}

	ps, _, err := ListProcesses(ctx, f.db, "t1", "a1", v, ProcessQuery{}, f.now)
	if err != nil || !slices.Equal(names(ps), want) {
		t.Fatalf("processes: %v %v", names(ps), err)
	}
	if _, err := GetProcess(ctx, f.db.R, "t1", "a1", f.processID(acme, "none"), v, false, f.now); apperr.CodeOf(err) != "not_found" {
		t.Fatalf("the unassigned process: %v", err)
	}

	js, _, err := ListJobs(ctx, f.db, "t1", "a1", v, JobFilter{}, Page{})
	if err != nil || len(js) != 2 {
		t.Fatalf("jobs: %s %v", fmtRefs(js), err)
	}
	// Asking for the third process by id does not widen the view.
	if js, _, _ := ListJobs(ctx, f.db, "t1", "a1", v, JobFilter{ProcessID: f.processID(acme, "none")}, Page{}); len(js) != 0 {
		t.Fatalf("jobs of the unassigned process: %s", fmtRefs(js))
	}
	if _, err := GetJob(ctx, f.db, "t1", "a1", f.jobID(acme, "job-direct"), v); err != nil {
		t.Fatalf("an assigned job: %v", err)
	}
	if _, err := GetJob(ctx, f.db, "t1", "a1", f.jobID(acme, "job-none"), v); apperr.CodeOf(err) != "not_found" {
		t.Fatalf("the unassigned process's job: %v", err)
	}

	ss, _, err := ListSchedules(ctx, f.db, "t1", "a1", v, Page{})
	if err != nil || len(ss) != 2 || ss[0].ProcessRef != "direct" || ss[1].ProcessRef != "group" {
		t.Fatalf("schedules: %+v %v", ss, err)
	}
	rs, _, err := ListRobots(ctx, f.db, "t1", "a1", v, Page{})
	if err != nil || len(rs) != 2 || rs[0].Ref != "robot-direct" || rs[1].Ref != "robot-group" {
		t.Fatalf("robots: %+v %v", rs, err)
	}

	var b bytes.Buffer
	if _, err := ExportJobsCSV(ctx, f.db, &b, "t1", "a1", v, JobFilter{}); err != nil {
		t.Fatal(err)
	}
	records, _ := csv.NewReader(&b).ReadAll()
	var exported []string
	for _, r := range records[1:] {
		exported = append(exported, r[3])
	}
	sort.Strings(exported)
	if !slices.Equal(exported, want) {
		t.Fatalf("export: %v", exported)
	}

	d, err := GetDashboard(ctx, f.db, "t1", "a1", v, 7, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Totals.Runs != 2 || d.Totals.Faulted != 1 || len(d.FailuresByProcess) != 1 || d.FailuresByProcess[0].Name != "Via group" ||
		d.Robots.Available != 2 {
		t.Fatalf("dashboard: %+v", d)
	}
	// Staff see all three everywhere.
	if d, _ := GetDashboard(ctx, f.db, "t1", "a1", all, 7, f.now); d.Totals.Runs != 3 || d.Robots.Available != 3 {
		t.Fatalf("staff dashboard: %+v", d.Totals)
	}
}

// ISO-12: the Everyone group holds every member without rows, so a process
// assigned to it is visible to every Account User of the account — and to
// no one whose membership is not active there.
func TestEveryoneGroupAndGroupRoles(t *testing.T) {
	f, v := isoFixture(t)
	ctx := context.Background()
	f.assign(acme, "none", "", f.builtinGroup(acme, "everyone"))
	if ps, _, _ := ListProcesses(ctx, f.db, "t1", "a1", v, ProcessQuery{}, f.now); len(ps) != 3 {
		t.Fatalf("with Everyone assigned: %v", names(ps))
	}
	pending, _ := f.person("pending@acme.example", "account_user", "a1", "pending")
	if ps, _, _ := ListProcesses(ctx, f.db, "t1", "a1", ViewerFor(pending, []string{"account_user"}), ProcessQuery{}, f.now); len(ps) != 0 {
		t.Fatalf("a pending member sees %v", names(ps))
	}
	if ps, _, _ := ListProcesses(ctx, f.db, "t1", "a1", Viewer{}, ProcessQuery{}, f.now); len(ps) != 0 {
		t.Fatalf("the zero Viewer sees %v", names(ps))
	}
	// Effective roles are a union: an Account User in a group with the
	// Account Admin role sees every process.
	if v := ViewerFor("u", []string{"account_admin", "account_user"}); !v.AllProcesses {
		t.Fatal("group role account_admin does not widen an Account User's view")
	}
	if v := ViewerFor("u", []string{"client"}); !v.AllProcesses {
		t.Fatal("a Client sees the whole account")
	}
}

func TestSetAssignmentsValidatesAndAudits(t *testing.T) {
	f, v := isoFixture(t)
	ctx := context.Background()
	invited, _ := f.person("invited@acme.example", "account_user", "a1", "pending")
	foreign, _ := f.person("x@beta.example", "account_user", "a2", "active")
	staff, _ := f.person("con@firm.example", "consultant", "", "active")
	betaGroup := f.group(beta, "Beta group")
	finance := f.group(acme, "Finance 2")
	pid := f.processID(acme, "none")
	actor := audit.Actor{Kind: audit.ActorUser, ID: "admin"}

	_, err := SetAssignments(ctx, f.db, actor, "t1", "a1", pid, AssignInput{
		UserIDs: []string{v.UserID, foreign, staff, "nobody"}, GroupIDs: []string{finance, betaGroup}}, f.now)
	e, ok := apperr.As(err)
	if !ok || e.Code != "validation_failed" {
		t.Fatalf("foreign people and groups: %v", err)
	}
	var fields []string
	for _, fe := range e.Fields {
		fields = append(fields, fe.Field+":"+fe.Code)
	}
	if !slices.Equal(fields, []string{"user_ids[1]:user_not_member", "user_ids[2]:user_not_member", "user_ids[3]:user_not_member",
		"group_ids[1]:group_not_found"}) {
		t.Fatalf("field errors: %v", fields)
	}
	if _, err := SetAssignments(ctx, f.db, actor, "t1", "a1", pid, AssignInput{UserIDs: []string{}}, f.now); apperr.CodeOf(err) != "required" {
		t.Fatalf("group_ids missing: %v", err)
	}
	if _, err := SetAssignments(ctx, f.db, actor, "t1", "a2", pid, AssignInput{UserIDs: []string{}, GroupIDs: []string{}}, f.now); apperr.CodeOf(err) != "not_found" {
		t.Fatalf("acme's process through beta: %v", err)
	}
	var events int
	_ = f.db.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'process.assign'`).Scan(&events)
	if events != 0 {
		t.Fatal("a refused assignment was audited")
	}

	p, err := SetAssignments(ctx, f.db, actor, "t1", "a1", pid, AssignInput{
		UserIDs: []string{v.UserID, invited, v.UserID}, GroupIDs: []string{finance}}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	wantUsers := []string{v.UserID, invited}
	sort.Strings(wantUsers)
	if p.Assignees == nil || !slices.Equal(p.Assignees.UserIDs, wantUsers) || !slices.Equal(p.Assignees.GroupIDs, []string{finance}) {
		t.Fatalf("assignees: %+v", p.Assignees)
	}
	if ps, _, _ := ListProcesses(ctx, f.db, "t1", "a1", v, ProcessQuery{}, f.now); len(ps) != 3 {
		t.Fatalf("after assigning: %v", names(ps))
	}
	var details string
	_ = f.db.R.QueryRow(`SELECT details FROM audit_events WHERE action = 'process.assign' AND account_id = 'a1' AND target_id = ?`, pid).Scan(&details)
	if details == "" {
		t.Fatal("process.assign not audited")
	}
	// Emptying both lists unassigns everyone.
	if p, err = SetAssignments(ctx, f.db, actor, "t1", "a1", pid, AssignInput{UserIDs: []string{}, GroupIDs: []string{}}, f.now); err != nil ||
		len(p.Assignees.UserIDs)+len(p.Assignees.GroupIDs) != 0 {
		t.Fatalf("cleared: %+v %v", p.Assignees, err)
	}
}
