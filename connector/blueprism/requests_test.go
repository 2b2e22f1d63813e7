package blueprism

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/blueprism/bpsim"
)

// The API ignores parameters it does not know, so a misspelt filter would
// silently list every session: the names must be the spec's.
func TestJobsQuery(t *testing.T) {
	e := newEnv(t)
	since := start.Add(-30*time.Hour + 500*time.Millisecond)
	var n int
	must(t, e.p.Jobs(context.Background(), since, func(js []connector.Job) error {
		for _, j := range js {
			if j.CreatedAt.Before(since.Truncate(time.Second)) {
				t.Errorf("job %s created %s, before %s", j.Ref, j.CreatedAt, since)
			}
		}
		n += len(js)
		return nil
	}))
	reqs := apiCalls(e.rec.take())
	if n == 0 || len(reqs) < 2 {
		t.Fatalf("%d jobs in %d requests: want several pages", n, len(reqs))
	}
	want := url.Values{"startTime[gte]": {"2026-11-01T03:00:00Z"}, "sortBy": {"StartTimeAsc"}, "itemsPerPage": {"3"}}
	if reqs[0].Path != "/api/v7/sessions" || reqs[0].Query.Encode() != want.Encode() {
		t.Errorf("first request %s?%s, want /api/v7/sessions?%s", reqs[0].Path, reqs[0].Query.Encode(), want.Encode())
	}
	for _, r := range reqs[1:] {
		if r.Query.Get("pagingToken") == "" || r.Query.Get("startTime[gte]") != want.Get("startTime[gte]") {
			t.Errorf("next page %v: want the same filter and a paging token", r.Query)
		}
	}
	if reqs[len(reqs)-1].Query.Get("pagingToken") == "" {
		t.Error("last request has no paging token")
	}
}

func TestJobsWithoutWatermarkHaveNoFilter(t *testing.T) {
	e := newEnv(t)
	must(t, e.p.Jobs(context.Background(), time.Time{}, func([]connector.Job) error { return nil }))
	q := apiCalls(e.rec.take())[0].Query
	if len(q) != 2 || q.Get("sortBy") != "StartTimeAsc" || q.Get("itemsPerPage") != "3" {
		t.Errorf("query %v", q)
	}
}

func TestDefaultPageSize(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.PageSize = 0
	must(t, e.client(t, cfg).Processes(context.Background(), func([]connector.Process) error { return nil }))
	if got := apiCalls(e.rec.take())[0].Query.Get("itemsPerPage"); got != "1000" {
		t.Errorf("itemsPerPage = %s, want 1000", got)
	}
}

func TestTokenRequest(t *testing.T) {
	e := newEnv(t)
	_, err := e.p.Test(context.Background())
	must(t, err)
	r := e.rec.take()[0]
	form, _ := url.ParseQuery(r.Body)
	if r.Method != "POST" || r.Path != "/connect/token" || r.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("token request %s %s %s", r.Method, r.Path, r.ContentType)
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {bpsim.ClientID}, "client_secret": {bpsim.ClientSecret}, "scope": {"bp-api bpserver"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form %v, want %v", form, want)
	}
}

// StartRun is three calls: create (bare UUID answer), parameters only
// when given, then PATCH to Running; then the session is read back.
func TestStartRunSteps(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  map[string]any
		calls []string
	}{
		{"without arguments", nil, []string{
			"GET /api/v7/resources", "POST /api/v7/sessions", "PATCH /api/v7/sessions/{id}", "GET /api/v7/sessions/{id}",
		}},
		{"with arguments", map[string]any{"Batch": 5}, []string{
			"GET /api/v7/resources", "POST /api/v7/sessions", "PUT /api/v7/sessions/{id}/parameters",
			"PATCH /api/v7/sessions/{id}", "GET /api/v7/sessions/{id}",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			job, err := e.p.StartRun(context.Background(), "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{Arguments: tt.args})
			must(t, err)
			if job.State != connector.StatePending || job.RobotRef != "5d2c8e0a-71b4-4a8e-9f30-000000000001" {
				t.Errorf("job %+v, want pending on the first idle resource", job)
			}
			reqs := apiCalls(e.rec.take())
			var calls []string
			for _, r := range reqs {
				calls = append(calls, r.Method+" "+strings.ReplaceAll(r.Path, job.Ref, "{id}"))
			}
			if strings.Join(calls, ", ") != strings.Join(tt.calls, ", ") {
				t.Fatalf("calls %v\nwant  %v", calls, tt.calls)
			}
			if q := reqs[0].Query; q.Get("displayStatus") != "Idle" {
				t.Errorf("resource query %v: want displayStatus=Idle", q)
			}
			assertJSON(t, reqs[1].Body, `{"processId":"7c0e4f2b-93d1-4b66-a2af-000000000001","resourceId":"5d2c8e0a-71b4-4a8e-9f30-000000000001"}`)
			assertJSON(t, reqs[len(reqs)-2].Body, `{"status":"Running"}`)
			if tt.args != nil {
				assertJSON(t, reqs[2].Body, `{"parameters":{"Batch":{"valueType":"Number","value":5}}}`)
			}
		})
	}
}

func TestStartRunOnAChosenRobot(t *testing.T) {
	e := newEnv(t)
	robot := "5d2c8e0a-71b4-4a8e-9f30-000000000002"
	job, err := e.p.StartRun(context.Background(), "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{RobotRef: robot})
	must(t, err)
	if job.RobotRef != robot {
		t.Errorf("ran on %s, want %s", job.RobotRef, robot)
	}
	if calls := apiCalls(e.rec.take()); calls[0].Method != "POST" {
		t.Errorf("first call %s %s: no resource lookup expected", calls[0].Method, calls[0].Path)
	}
}

func TestStartRunWithoutAnIdleResource(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var idle []string
	must(t, e.p.Robots(ctx, func(rs []connector.Robot) error {
		for _, r := range rs {
			if r.Status == connector.RobotAvailable {
				idle = append(idle, r.Ref)
			}
		}
		return nil
	}))
	for _, ref := range idle {
		_, err := e.p.StartRun(ctx, "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{RobotRef: ref})
		must(t, err)
	}
	e.sim.Clock().Advance(10 * time.Second) // the sessions are now running
	_, err := e.p.StartRun(ctx, "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{})
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindInvalid || !strings.Contains(ce.Message, "no idle") {
		t.Errorf("got %v, want invalid_request about no idle resource", err)
	}
}

func TestStartRunFailures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, process string
		in            connector.RunInput
		kind          connector.Kind
		msg           string
	}{
		{"unknown process", "7c0e4f2b-93d1-4b66-a2af-0000000000ff", connector.RunInput{}, connector.KindNotFound, "Process not found."},
		{"offline resource", "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{RobotRef: "5d2c8e0a-71b4-4a8e-9f30-000000000003"}, connector.KindInvalid, "resourceId: The resource 'BPRR-PROD-03' is Offline and cannot run sessions."},
		{"retired process", "7c0e4f2b-93d1-4b66-a2af-000000000006", connector.RunInput{}, connector.KindInvalid, "processId: The process 'Month-End Close' is retired and cannot be run."},
		{"bad parameter type", "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{Arguments: map[string]any{"X": map[string]any{"valueType": "Blob", "value": 1}}}, connector.KindInvalid, "parameters.X.valueType: 'Blob' is not a Blue Prism data type."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.p.StartRun(ctx, tt.process, tt.in)
			var ce *connector.Error
			if !errors.As(err, &ce) || ce.Kind != tt.kind || ce.Message != tt.msg {
				t.Errorf("got %v, want %s: %s", err, tt.kind, tt.msg)
			}
		})
	}
	// The session whose parameters were refused was deleted, not left pending.
	must(t, e.p.Jobs(ctx, time.Time{}, func(js []connector.Job) error {
		for _, j := range js {
			if j.State == connector.StatePending {
				t.Errorf("session %s left pending", j.Ref)
			}
		}
		return nil
	}))
}

func TestReadOnlyAccount(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Settings = map[string]string{"url": e.url, "auth_url": e.url, "client_id": bpsim.ReadOnlyClientID}
	cfg.Secrets = map[string]string{"client_secret": bpsim.ReadOnlySecret}
	p := e.client(t, cfg)
	res, err := p.Test(context.Background())
	must(t, err)
	want := "Connected as bureau-readonly: 3 Blue Prism permissions; missing Execute Process, Control Resource (needed to see resources and start runs)"
	if res.Details != want {
		t.Errorf("details %q\nwant    %q", res.Details, want)
	}
	_, err = p.StartRun(context.Background(), "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{RobotRef: "5d2c8e0a-71b4-4a8e-9f30-000000000001"})
	if !errors.Is(err, connector.ErrForbidden) {
		t.Errorf("start as read-only: %v, want forbidden", err)
	}
}

func TestTestDetails(t *testing.T) {
	e := newEnv(t)
	res, err := e.p.Test(context.Background())
	must(t, err)
	if res.Details != "Connected as bureau-sync: 12 Blue Prism permissions" {
		t.Errorf("details %q", res.Details)
	}
}

func TestWrongSecretIsRedactedAndExplained(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Secrets = e.sim.WrongSecrets()
	_, err := e.client(t, cfg).Test(context.Background())
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindAuth || ce.Code != "invalid_client" {
		t.Fatalf("got %v, want auth_failed invalid_client", err)
	}
	if strings.Contains(err.Error(), cfg.Secrets["client_secret"]) {
		t.Errorf("error shows the secret: %v", err)
	}
}

func TestRobotsSchedulesAndProcesses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var robots []connector.Robot
	must(t, e.p.Robots(ctx, func(rs []connector.Robot) error { robots = append(robots, rs...); return nil }))
	if robots[0].Name != "BPRR-PROD-01" || robots[0].Status != connector.RobotAvailable || robots[2].Status != connector.RobotOffline || robots[2].RawStatus != "Offline" {
		t.Errorf("robots %+v", robots)
	}
	var raw map[string]any
	must(t, json.Unmarshal(robots[0].Raw, &raw))
	if raw["displayStatus"] != "Idle" {
		t.Errorf("raw robot %v", raw)
	}
	var schedules []connector.Schedule
	must(t, e.p.Schedules(ctx, func(ss []connector.Schedule) error { schedules = append(schedules, ss...); return nil }))
	if len(schedules) != 3 || schedules[0].Ref != "1" || !schedules[0].Enabled || schedules[2].Enabled ||
		schedules[0].Summary != "Every day from 2026-10-03 06:00 UTC" || schedules[1].Summary != "Every 2 hours from 2026-10-03 07:00 UTC" {
		t.Errorf("schedules %+v", schedules)
	}
	var procs []connector.Process
	must(t, e.p.Processes(ctx, func(ps []connector.Process) error { procs = append(procs, ps...); return nil }))
	if procs[0].Name != "Claims Intake" || procs[0].Folder != "Operations" || procs[0].Description == "" {
		t.Errorf("first process %+v", procs[0])
	}
}

func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	must(t, json.Unmarshal([]byte(want), &w))
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body %s, want %s", gb, wb)
	}
}

// A started run whose read-back fails is still reported as started, so
// the caller does not start it twice.
func TestStartRunSurvivesAFailedReadBack(t *testing.T) {
	e := newEnv(t)
	next := e.rec.next
	e.rec.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/v7/sessions/") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
	job, err := e.p.StartRun(context.Background(), "7c0e4f2b-93d1-4b66-a2af-000000000001", connector.RunInput{})
	if err != nil || job.Ref == "" || job.State != connector.StatePending || job.RobotRef == "" {
		t.Errorf("job %+v, err %v: want the started session, pending", job, err)
	}
}
