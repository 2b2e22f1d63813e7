package robomotion

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
	"bureau/connector/robomotion/robosim"
	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// seen is one request the client made.
type seen struct {
	Method, Path, Query, Auth, Body string
}

type recorder struct {
	mu   sync.Mutex
	reqs []seen
	next http.Handler
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	r.mu.Lock()
	r.reqs = append(r.reqs, seen{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get("Authorization"), string(body)})
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *recorder) paths(path string) []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []seen
	for _, s := range r.reqs {
		if s.Path == path {
			out = append(out, s)
		}
	}
	return out
}

// setup serves h (the simulator when nil) and builds a provider on it.
func setup(t *testing.T, h http.Handler, settings map[string]string, pageSize int) (*Provider, *recorder, *robosim.Sim) {
	t.Helper()
	sim := robosim.New(simkit.Options{Clock: simkit.NewClock(start)})
	if h == nil {
		h = sim
	}
	rec := &recorder{next: h}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	cfg := connector.Config{
		Settings: map[string]string{"url": srv.URL},
		Secrets:  sim.Secrets(),
		Now:      sim.Clock().Now,
		Sleep:    func(context.Context, time.Duration) error { return nil },
		PageSize: pageSize,
	}
	for k, v := range settings {
		cfg.Settings[k] = v
	}
	p, err := connector.New("robomotion", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Provider), rec, sim
}

func TestStates(t *testing.T) {
	for raw, want := range map[string]connector.State{
		"0": connector.StatePending, "1": connector.StateRunning, "2": connector.StateSuccessful,
		"3": connector.StateFaulted, "4": connector.StateStopped, "9": connector.StateRunning,
	} {
		if got := States.Normalise(raw); got != want {
			t.Errorf("status %s: %s, want %s", raw, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		status int
		body   string
		kind   connector.Kind
		code   string
		msg    string
	}{
		{200, `{"ok":false,"error":"flow_not_found"}`, connector.KindNotFound, "flow_not_found", "Flow not found"},
		{200, `{"ok":false,"error":"job_not_found"}`, connector.KindNotFound, "job_not_found", "Job not found"},
		{200, `{"ok":false,"error":"invalid_argument"}`, connector.KindInvalid, "invalid_argument", "Invalid argument"},
		{200, `{"ok":false,"error":"rate_limited"}`, connector.KindRateLimited, "rate_limited", "Rate limited"},
		{200, `{"ok":false,"error":"permission_denied","message":"Read tokens cannot run flows"}`, connector.KindForbidden, "permission_denied", "Read tokens cannot run flows"},
		{200, `{"error":"token_revoked"}`, connector.KindAuth, "token_revoked", "Token revoked"},
		{401, `{"ok":false,"error":"invalid_token"}`, connector.KindAuth, "invalid_token", "Invalid token"},
		{429, `{"ok":false,"error":"rate_limited"}`, connector.KindRateLimited, "rate_limited", "Rate limited"},
		{500, `{"ok":false,"error":"flow_not_found"}`, connector.KindUnavailable, "flow_not_found", "Flow not found"},
		{400, `{"ok":false,"error":"something_new"}`, connector.KindInvalid, "something_new", "Something new"},
	}
	for _, tt := range tests {
		var e *connector.Error
		if tt.status == 200 {
			e = envelopeError("op", tt.status, []byte(tt.body))
		} else {
			e = parseError("op", &http.Response{StatusCode: tt.status}, []byte(tt.body))
		}
		if e == nil || e.Kind != tt.kind || e.Code != tt.code || e.Message != tt.msg || e.Status != tt.status {
			t.Errorf("%d %s: got %+v, want %s %s %q", tt.status, tt.body, e, tt.kind, tt.code, tt.msg)
		}
	}
	for _, ok := range []string{`{"ok":true,"flows":[]}`, `{"flows":[]}`, `not json`} {
		if e := envelopeError("op", 200, []byte(ok)); e != nil {
			t.Errorf("%s: unexpected error %v", ok, e)
		}
	}
	if e := parseError("op", &http.Response{StatusCode: 502}, []byte("<html>Bad gateway</html>")); e != nil {
		t.Errorf("HTML body: %v, want nil (the caller shows the text)", e)
	}
}

func TestRequestShapes(t *testing.T) {
	p, rec, sim := setup(t, nil, nil, 4)
	ctx := context.Background()
	if err := p.Processes(ctx, func([]connector.Process) error { return nil }); err != nil {
		t.Fatal(err)
	}
	reqs := rec.paths("/v1/flows.list")
	want := []string{"page=1&size=4", "page=2&size=4"} // 6 flows
	if len(reqs) != len(want) {
		t.Fatalf("flows.list requests %+v, want queries %v", reqs, want)
	}
	for i, r := range reqs {
		if r.Method != http.MethodGet || r.Query != want[i] || r.Auth != "Bearer "+sim.Secrets()["api_token"] {
			t.Errorf("request %d: %+v", i, r)
		}
	}

	job, err := p.StartRun(ctx, processRef(t, p, 0), connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	runs := rec.paths("/v1/flows.run")
	if len(runs) != 1 || runs[0].Method != http.MethodPost {
		t.Fatalf("flows.run requests %+v", runs)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(runs[0].Body), &body); err != nil || len(body) != 2 || body["flow_id"] == "" || body["robot_id"] != job.RobotRef {
		t.Errorf("flows.run body %s (robot of the job %s)", runs[0].Body, job.RobotRef)
	}
	if got := rec.paths("/v1/jobs.get"); len(got) != 1 || got[0].Query != "job_id="+job.Ref {
		t.Errorf("jobs.get requests %+v", got)
	}
}

func processRef(t *testing.T, p *Provider, i int) string {
	t.Helper()
	var refs []string
	if err := p.Processes(context.Background(), func(ps []connector.Process) error {
		for _, x := range ps {
			refs = append(refs, x.Ref)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if i < 0 {
		i += len(refs)
	}
	return refs[i]
}

func TestStartRunRobotChoice(t *testing.T) {
	ctx := context.Background()
	p, rec, _ := setup(t, nil, nil, 0)
	robots := map[string]connector.Robot{}
	_ = p.Robots(ctx, func(rs []connector.Robot) error {
		for _, r := range rs {
			robots[r.Name] = r
		}
		return nil
	})
	flowID := processRef(t, p, 0)

	// No robot anywhere: the first production robot (Butler).
	job, err := p.StartRun(ctx, flowID, connector.RunInput{})
	if err != nil || job.RobotRef != robots["Butler"].Ref || job.State != connector.StatePending {
		t.Fatalf("default: %+v, %v", job, err)
	}
	// Asked for: that robot, without listing robots.
	n := len(rec.paths("/v1/robots.list"))
	job, err = p.StartRun(ctx, flowID, connector.RunInput{RobotRef: robots["Alfred"].Ref})
	if err != nil || job.RobotRef != robots["Alfred"].Ref || len(rec.paths("/v1/robots.list")) != n {
		t.Fatalf("pinned: %+v, %v", job, err)
	}
	// The account's default robot.
	p2, _, _ := setup(t, nil, map[string]string{"robot_id": robots["Jarvis"].Ref}, 0)
	job, err = p2.StartRun(ctx, flowID, connector.RunInput{})
	if err != nil || job.RobotRef != robots["Jarvis"].Ref {
		t.Fatalf("setting: %+v, %v", job, err)
	}
	// Arguments cannot be passed.
	_, err = p.StartRun(ctx, flowID, connector.RunInput{Arguments: map[string]any{"a": 1}})
	if !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("arguments: %v, want invalid_request", err)
	}
}

// flows.run answers an unknown flow with HTTP 200 and ok:false.
func TestStartRunUnknownFlow(t *testing.T) {
	p, _, _ := setup(t, nil, nil, 0)
	_, err := p.StartRun(context.Background(), "90fb951c-dce6-40e5-9318-08aecb4742d1", connector.RunInput{})
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindNotFound || ce.Code != "flow_not_found" || ce.Status != 200 || ce.Message != "Flow not found" {
		t.Fatalf("unknown flow: %#v", err)
	}
}

func TestRunLifecycleAndFailure(t *testing.T) {
	ctx := context.Background()
	p, _, sim := setup(t, nil, nil, 0)
	job, err := p.StartRun(ctx, processRef(t, p, -1), connector.RunInput{}) // the last flow fails
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after time.Duration
		state connector.State
	}{{0, connector.StatePending}, {10 * time.Second, connector.StateRunning}, {time.Minute, connector.StateFaulted}}
	for _, s := range steps {
		sim.Clock().Advance(s.after)
		got, err := p.Job(ctx, job.Ref)
		if err != nil || got.State != s.state {
			t.Fatalf("after %v: %s (%v), want %s", s.after, got.State, err, s.state)
		}
		if s.state == connector.StatePending && got.StartedAt != nil {
			t.Error("a queued job has no start time")
		}
		if s.state == connector.StateFaulted && (got.Error == "" || got.EndedAt == nil || got.RawState != "3") {
			t.Errorf("failed job %+v", got)
		}
	}
}

// Jobs since a recent time read only the first page when jobs come
// newest first.
func TestJobsSinceStopsEarly(t *testing.T) {
	ctx := context.Background()
	p, rec, sim := setup(t, nil, nil, 3)
	since := sim.Clock().Now()
	sim.Clock().Advance(time.Second)
	job, err := p.StartRun(ctx, processRef(t, p, 0), connector.RunInput{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := p.Jobs(ctx, since, func(js []connector.Job) error {
		for _, j := range js {
			got = append(got, j.Ref)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != job.Ref {
		t.Errorf("jobs since: %v, want [%s]", got, job.Ref)
	}
	if n := len(rec.paths("/v1/jobs.list")); n != 1 {
		t.Errorf("%d jobs.list pages read, want 1", n)
	}
	// Eight hours back: the pages up to the first one holding an older job.
	rec.mu.Lock()
	rec.reqs = nil
	rec.mu.Unlock()
	n := 0
	_ = p.Jobs(ctx, start.Add(-8*time.Hour), func(js []connector.Job) error { n += len(js); return nil })
	if pages := len(rec.paths("/v1/jobs.list")); n != 3 || pages != 2 {
		t.Errorf("8 hours back: %d jobs in %d pages, want 3 in 2", n, pages)
	}
}

// A server answering oldest first is read to the end.
func TestJobsSinceOldestFirst(t *testing.T) {
	base := start.Add(-time.Hour).UnixMilli()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		var jobs []map[string]any
		for i := range 2 {
			n := map[string]int{"1": 0, "2": 2}[page] + i
			jobs = append(jobs, map[string]any{"id": "j" + string(rune('a'+n)), "flow_id": "f", "status": 2,
				"started_at": base + int64(n)*int64(time.Hour/time.Millisecond), "finished_at": base + int64(n)*3600000 + 1000})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "jobs": jobs, "total": 4})
	})
	p, _, _ := setup(t, h, nil, 2)
	var got []string
	if err := p.Jobs(context.Background(), start.Add(30*time.Minute), func(js []connector.Job) error {
		for _, j := range js {
			got = append(got, j.Ref)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "jc,jd" {
		t.Errorf("oldest-first listing: %v, want [jc jd]", got)
	}
}

// Without jobs.get, a job is found among the recent ones.
func TestJobWithoutJobsGet(t *testing.T) {
	sim := robosim.New(simkit.Options{Clock: simkit.NewClock(start)})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/jobs.get" {
			http.NotFound(w, r)
			return
		}
		sim.ServeHTTP(w, r)
	})
	p, _, _ := setup(t, h, nil, 5)
	var last connector.Job
	_ = p.Jobs(context.Background(), time.Time{}, func(js []connector.Job) error { last = js[len(js)-1]; return nil })
	got, err := p.Job(context.Background(), last.Ref)
	if err != nil || got.Ref != last.Ref {
		t.Fatalf("found %+v, %v", got, err)
	}
	if _, err := p.Job(context.Background(), sim.MissingJobRef()); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

func TestRobotStatus(t *testing.T) {
	p, _, _ := setup(t, nil, nil, 0)
	statuses := map[string]string{}
	_ = p.Robots(context.Background(), func(rs []connector.Robot) error {
		for _, r := range rs {
			statuses[r.Name] = string(r.Status) + "/" + r.RawStatus
		}
		return nil
	})
	if statuses["Butler"] != "available/connected" || statuses["Friday"] != "offline/disconnected" {
		t.Errorf("statuses %v", statuses)
	}

	// A token that may not read connected robots leaves statuses unknown.
	sim := robosim.New(simkit.Options{Clock: simkit.NewClock(start)})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/users.robots.connected.list" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"ok":false,"error":"permission_denied"}`)
			return
		}
		sim.ServeHTTP(w, r)
	})
	p, _, _ = setup(t, h, nil, 0)
	err := p.Robots(context.Background(), func(rs []connector.Robot) error {
		for _, r := range rs {
			if r.Status != connector.RobotUnknown || r.RawStatus != "unknown" {
				t.Errorf("robot %s: %s/%s", r.Name, r.Status, r.RawStatus)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSchedules(t *testing.T) {
	p, _, _ := setup(t, nil, nil, 0)
	var got []connector.Schedule
	_ = p.Schedules(context.Background(), func(ss []connector.Schedule) error { got = append(got, ss...); return nil })
	if len(got) != 3 {
		t.Fatalf("%d schedules", len(got))
	}
	s := got[0]
	if s.Cron != "0 0/5 * * * *" || s.Summary != "Every 5 minutes" || s.Timezone != "(UTC+03:00) Istanbul" || !s.Enabled || s.ProcessRef == "" {
		t.Errorf("schedule %+v", s)
	}
	if got[2].Enabled {
		t.Error("the paused schedule (active 0) is enabled")
	}
}

func TestTestDetails(t *testing.T) {
	p, rec, _ := setup(t, nil, nil, 0)
	res, err := p.Test(context.Background())
	if err != nil || res.Details != "Connected: 6 flows" {
		t.Fatalf("test: %+v, %v", res, err)
	}
	if len(rec.paths("/v1/auth.check")) != 1 || rec.paths("/v1/flows.list")[0].Query != "page=1&size=1" {
		t.Errorf("requests %+v", rec.reqs)
	}
}

// A refused token is reported once: a static token cannot be refreshed.
func TestRefusedTokenNotRetried(t *testing.T) {
	p, rec, _ := setup(t, nil, nil, 0)
	p.cfg.Secrets = map[string]string{"api_token": "rmo_wrong_token"}
	_, err := p.Test(context.Background())
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindAuth || ce.Code != "invalid_token" || ce.Status != 401 {
		t.Fatalf("wrong token: %v", err)
	}
	if n := len(rec.paths("/v1/auth.check")); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestEpoch(t *testing.T) {
	ms := epoch(1793610000000)
	s := epoch(1793610000)
	if ms == nil || s == nil || !ms.Equal(*s) || ms.Year() != 2026 {
		t.Errorf("ms %v, s %v", ms, s)
	}
	if epoch(0) != nil {
		t.Error("zero is no time")
	}
	var n number
	for _, in := range []string{`12`, `"12"`, `12.0`} {
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != 12 {
			t.Errorf("%s: %d, %v", in, n, err)
		}
	}
}

// A server serving smaller pages than asked, or no total, is read to the end.
func TestPagingServerSize(t *testing.T) {
	for _, withTotal := range []bool{true, false} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			page := map[string]int{"1": 0, "2": 1, "3": 2, "4": 3}[r.URL.Query().Get("page")]
			var flows []map[string]string
			for i := page * 2; i < min(page*2+2, 5); i++ {
				flows = append(flows, map[string]string{"id": "f" + string(rune('0'+i)), "name": "Flow"})
			}
			body := map[string]any{"ok": true, "flows": flows}
			if withTotal {
				body["total"] = 5
			}
			_ = json.NewEncoder(w).Encode(body)
		})
		p, rec, _ := setup(t, h, nil, 2)
		if !withTotal {
			p.pageSize = 2
		} else {
			p.pageSize = 3 // the server serves 2 anyway
		}
		n := 0
		if err := p.Processes(context.Background(), func(ps []connector.Process) error { n += len(ps); return nil }); err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Errorf("total %v: %d flows in %d requests, want 5", withTotal, n, len(rec.paths("/v1/flows.list")))
		}
	}
}
