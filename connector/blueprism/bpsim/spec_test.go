package bpsim_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bureau/connector"
	_ "bureau/connector/blueprism"
	"bureau/connector/blueprism/bpsim"
	"bureau/connector/simkit"
	"bureau/connector/simkit/spectest"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// specEnv serves the simulator behind the spec checker.
type specEnv struct {
	sim     *bpsim.Sim
	checker *spectest.Checker
	url     string
	// undocumented counts the next answers the spec cannot describe: it
	// documents neither 429 nor 5xx for these operations.
	undocumented atomic.Int32
}

func newSpecEnv(t *testing.T) *specEnv {
	e := &specEnv{sim: bpsim.New(simkit.Options{Clock: simkit.NewClock(start)})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.checker.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	// The spec's paths already begin with /api/v7 and it names no server.
	e.checker = spectest.New(t, e.sim, loadSpec(t, srv.URL))
	e.checker.Skip = func(r *http.Request) bool {
		if r.URL.Path == "/connect/token" {
			return true // the Authentication Server is not part of this document
		}
		if e.undocumented.Load() > 0 {
			e.undocumented.Add(-1)
			return true
		}
		return false
	}
	return e
}

func (e *specEnv) provider(t *testing.T) connector.Provider {
	t.Helper()
	p, err := connector.New("blue-prism", connector.Config{
		Settings: e.sim.Settings(e.url),
		Secrets:  e.sim.Secrets(),
		Sleep:    func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		Now:      e.sim.Clock().Now,
		PageSize: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSimMatchesTheSpec(t *testing.T) {
	e := newSpecEnv(t)
	ctx := context.Background()
	p := e.provider(t)

	if _, err := p.Test(ctx); err != nil {
		t.Fatal(err)
	}
	must(t, p.Processes(ctx, func([]connector.Process) error { return nil }))
	must(t, p.Robots(ctx, func([]connector.Robot) error { return nil }))
	must(t, p.Schedules(ctx, func([]connector.Schedule) error { return nil }))
	must(t, p.Jobs(ctx, time.Time{}, func([]connector.Job) error { return nil }))
	must(t, p.Jobs(ctx, start.Add(-48*time.Hour), func([]connector.Job) error { return nil }))

	procs := collect(t, p.Processes)
	job, err := p.StartRun(ctx, procs[0].Ref, connector.RunInput{Arguments: map[string]any{"Batch size": 25, "Dry run": true}})
	if err != nil {
		t.Fatal(err)
	}
	e.sim.Clock().Advance(10 * time.Second)
	if _, err := p.Job(ctx, job.Ref); err != nil {
		t.Fatal(err)
	}
	robots := collect(t, p.Robots)
	if _, err := p.StartRun(ctx, procs[1].Ref, connector.RunInput{RobotRef: robots[1].Ref}); err != nil {
		t.Fatal(err)
	}
	e.sim.Clock().Advance(2 * time.Minute)
	if _, err := p.Job(ctx, job.Ref); err != nil {
		t.Fatal(err)
	}

	if _, err := p.Job(ctx, e.sim.MissingJobRef()); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("missing session: %v", err)
	}
	e.undocumented.Store(1)
	e.sim.Faults().Inject429(1, 7*time.Second)
	must(t, p.Processes(ctx, func([]connector.Process) error { return nil }))
	e.undocumented.Store(1)
	e.sim.Faults().Inject5xx(1)
	must(t, p.Robots(ctx, func([]connector.Robot) error { return nil }))

	e.directCalls(t)

	e.checker.Report()
	checked := e.checker.Checked()
	for _, op := range []string{
		"GET /api/v7/user/permissions", "GET /api/v7/processes", "GET /api/v7/resources", "GET /api/v7/schedules",
		"GET /api/v7/sessions", "GET /api/v7/sessions/{sessionId}", "POST /api/v7/sessions",
		"PUT /api/v7/sessions/{sessionId}/parameters", "PATCH /api/v7/sessions/{sessionId}",
		"GET /api/v7/scheduleLogs", "GET /api/v7/scheduleLogs/{scheduleId}", "GET /api/v7/health",
		"DELETE /api/v7/sessions/{sessionId}", "GET /api/v7/sessions/{sessionId}/parameters",
	} {
		if checked[op] == 0 {
			t.Errorf("%s was not exercised (checked: %v)", op, checked)
		}
	}
}

// directCalls cover filters and operations the connector does not use.
func (e *specEnv) directCalls(t *testing.T) {
	tok := token(t, e.url, bpsim.ClientID, bpsim.ClientSecret)
	for _, c := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/api/v7/health", "", 200},
		{"GET", "/api/v7/sessions?processName[eq]=Invoice%20Processing&status=Completed,Terminated&sortBy=StartTimeDesc&itemsPerPage=2", "", 200},
		{"GET", "/api/v7/sessions?resourceName[strtw]=BPRR&startTime[gte]=2026-10-30T00:00:00Z&startTime[lte]=2026-11-01T00:00:00Z", "", 200},
		{"GET", "/api/v7/sessions?pagingToken=not-a-token", "", 400},
		{"GET", "/api/v7/processes?processName[strtw]=Inv&attributesExclude=Retired&sortBy=NameDesc", "", 200},
		{"GET", "/api/v7/resources?displayStatus=Idle,Working&sortBy=DisplayStatusAsc", "", 200},
		{"GET", "/api/v7/schedules?retirementStatus=Active&name[strtw]=Daily", "", 200},
		{"GET", "/api/v7/scheduleLogs?scheduleLogStatus=Completed&sortBy=StartTimeAsc&itemsPerPage=2", "", 200},
		{"GET", "/api/v7/scheduleLogs/1", "", 200},
		{"GET", "/api/v7/scheduleLogs/999", "", 404},
		{"GET", "/api/v7/sessions/" + e.sim.MissingJobRef(), "", 404},
		{"GET", "/api/v7/sessions/41/parameters", "", 404},
		{"PATCH", "/api/v7/sessions/" + e.sim.MissingJobRef(), `{"status":"Running"}`, 404},
		{"PATCH", "/api/v7/sessions/e8a9d7c2-5f10-4b3e-bd64-000000000001", `{"status":"Running"}`, 409},
		{"POST", "/api/v7/sessions", `{"processId":"7c0e4f2b-93d1-4b66-a2af-000000000001","resourceId":"5d2c8e0a-71b4-4a8e-9f30-000000000003"}`, 400},
		{"POST", "/api/v7/sessions", `{"processId":"7c0e4f2b-93d1-4b66-a2af-0000000000ff","resourceId":"5d2c8e0a-71b4-4a8e-9f30-000000000001"}`, 404},
	} {
		if got, body := call(t, e.url, tok, c.method, c.path, c.body); got != c.want {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, got, body, c.want)
		}
	}
	// A pending session: its parameters read back, then it is deleted.
	_, id := call(t, e.url, tok, "POST", "/api/v7/sessions", `{"processId":"7c0e4f2b-93d1-4b66-a2af-000000000001","resourceId":"5d2c8e0a-71b4-4a8e-9f30-000000000001"}`)
	id = strings.Trim(id, "\"\n")
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/v7/sessions/" + id + "/parameters", 200},
		{"DELETE", "/api/v7/sessions/" + id, 204},
		{"GET", "/api/v7/sessions/" + id, 404},
	} {
		if got, body := call(t, e.url, tok, c.method, c.path, ""); got != c.want {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, got, body, c.want)
		}
	}
}

func collect[T any](t *testing.T, list func(context.Context, func([]T) error) error) []T {
	t.Helper()
	var out []T
	must(t, list(context.Background(), func(items []T) error { out = append(out, items...); return nil }))
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func token(t *testing.T, base, id, secret string) string {
	t.Helper()
	form := "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret + "&scope=bp-api%20bpserver"
	resp, err := http.Post(base+"/connect/token", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	const key = `"access_token":"`
	i := strings.Index(string(b), key)
	if resp.StatusCode != 200 || i < 0 {
		t.Fatalf("token: %d %s", resp.StatusCode, b)
	}
	rest := string(b)[i+len(key):]
	return rest[:strings.Index(rest, `"`)]
}

func call(t *testing.T, base, tok, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
