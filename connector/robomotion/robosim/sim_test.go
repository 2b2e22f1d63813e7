package robosim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type answer struct {
	status int
	header http.Header
	body   map[string]json.RawMessage
}

func (a answer) str(key string) string {
	var s string
	_ = json.Unmarshal(a.body[key], &s)
	return s
}

func (a answer) num(key string) int {
	var n int
	_ = json.Unmarshal(a.body[key], &n)
	return n
}

func (a answer) items(key string) []map[string]any {
	var out []map[string]any
	_ = json.Unmarshal(a.body[key], &out)
	return out
}

func do(t *testing.T, s *Sim, method, target, token, body string) answer {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	a := answer{status: w.Code, header: w.Header()}
	if err := json.Unmarshal(w.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, target, w.Body.String())
	}
	return a
}

func newSim() *Sim { return New(simkit.Options{Clock: simkit.NewClock(start)}) }

func TestAuth(t *testing.T) {
	s := newSim()
	for _, tok := range []string{"", badToken, goodToken + "x"} {
		a := do(t, s, "GET", "/v1/flows.list", tok, "")
		if a.status != 401 || a.str("error") != "invalid_token" || string(a.body["ok"]) != "false" {
			t.Errorf("token %q: %d %v", tok, a.status, a.body)
		}
	}
	if a := do(t, s, "GET", "/v1/auth.check", goodToken, ""); a.status != 200 || string(a.body["ok"]) != "true" {
		t.Errorf("auth.check: %d %v", a.status, a.body)
	}
}

func TestRoutes(t *testing.T) {
	s := newSim()
	if a := do(t, s, "POST", "/v1/flows.list", goodToken, ""); a.status != 405 || a.str("error") != "method_not_allowed" {
		t.Errorf("wrong method: %d %v", a.status, a.body)
	}
	if a := do(t, s, "GET", "/v1/flows.listPublished", goodToken, ""); a.status != 404 || a.str("error") != "unknown_method" {
		t.Errorf("unknown call: %d %v", a.status, a.body)
	}
}

func TestFaults(t *testing.T) {
	s := newSim()
	s.Faults().Inject429(1, 7*time.Second)
	a := do(t, s, "GET", "/v1/flows.list", goodToken, "")
	if a.status != 429 || a.header.Get("Retry-After") != "7" || a.str("error") != "rate_limited" {
		t.Errorf("429: %d %v %v", a.status, a.header, a.body)
	}
	s.Faults().Inject429(1, 0)
	if a := do(t, s, "GET", "/v1/flows.list", goodToken, ""); a.header.Get("Retry-After") != "" {
		t.Error("Retry-After sent without a duration")
	}
	s.Faults().Inject5xx(1)
	if a := do(t, s, "GET", "/v1/flows.list", goodToken, ""); a.status != 500 || a.str("error") != "internal_error" {
		t.Errorf("5xx: %d %v", a.status, a.body)
	}
	// Faults come before authentication, as at a gateway.
	s.Faults().Inject5xx(1)
	if a := do(t, s, "GET", "/v1/flows.list", "", ""); a.status != 500 {
		t.Errorf("5xx without token: %d", a.status)
	}
}

func TestPaging(t *testing.T) {
	s := newSim()
	tests := []struct {
		query     string
		n         int
		firstName string
	}{
		{"", 6, "Invoice Intake"}, // defaults: page 1, size 20
		{"?page=1&size=4", 4, "Invoice Intake"},
		{"?page=2&size=4", 2, "Email Triage"},
		{"?page=3&size=4", 0, ""},
		{"?size=1000", 6, "Invoice Intake"}, // clamped to the maximum
		{"?search=sync", 1, "SAP Vendor Sync"},
	}
	for _, tt := range tests {
		a := do(t, s, "GET", "/v1/flows.list"+tt.query, goodToken, "")
		items := a.items("flows")
		wantTotal := 6
		if strings.Contains(tt.query, "search") {
			wantTotal = 1
		}
		if a.status != 200 || len(items) != tt.n || a.num("total") != wantTotal {
			t.Errorf("%s: %d, %d items, total %d", tt.query, a.status, len(items), a.num("total"))
			continue
		}
		if tt.n > 0 && items[0]["name"] != tt.firstName {
			t.Errorf("%s: first %v, want %s", tt.query, items[0]["name"], tt.firstName)
		}
	}
	for _, q := range []string{"?page=0", "?page=x", "?size=0"} {
		if a := do(t, s, "GET", "/v1/flows.list"+q, goodToken, ""); a.status != 200 || a.str("error") != "invalid_argument" {
			t.Errorf("%s: %d %v", q, a.status, a.body)
		}
	}
}

func TestSeededJobs(t *testing.T) {
	s := newSim()
	a := do(t, s, "GET", "/v1/jobs.list?size=100", goodToken, "")
	jobs := a.items("jobs")
	if len(jobs) != 40 || a.num("total") != 40 {
		t.Fatalf("%d jobs, total %d", len(jobs), a.num("total"))
	}
	prev := start.UnixMilli()
	statuses := map[float64]int{}
	for _, j := range jobs {
		started, finished := int64(j["started_at"].(float64)), int64(j["finished_at"].(float64))
		if started > prev || finished >= start.UnixMilli() || finished <= started {
			t.Errorf("job %v: not newest first or not finished before now", j)
		}
		prev = started
		statuses[j["status"].(float64)]++
		if j["status"].(float64) == StatusFailed && j["error"] == "" {
			t.Errorf("failed job without error: %v", j)
		}
	}
	if statuses[StatusSuccess] == 0 || statuses[StatusFailed] == 0 || statuses[StatusStopped] == 0 {
		t.Errorf("statuses %v", statuses)
	}
	failed := do(t, s, "GET", "/v1/jobs.list?status=3&size=100", goodToken, "")
	if failed.num("total") != statuses[StatusFailed] {
		t.Errorf("status filter: %d, want %d", failed.num("total"), statuses[StatusFailed])
	}
}

func TestRunLifecycle(t *testing.T) {
	s := newSim()
	flows := do(t, s, "GET", "/v1/flows.list", goodToken, "").items("flows")
	robots := do(t, s, "GET", "/v1/robots.list", goodToken, "").items("robots")
	body := `{"flow_id":"` + flows[0]["id"].(string) + `","robot_id":"` + robots[0]["id"].(string) + `"}`
	a := do(t, s, "POST", "/v1/flows.run", goodToken, body)
	id := a.str("job_id")
	if a.status != 200 || id == "" {
		t.Fatalf("run: %d %v", a.status, a.body)
	}
	for _, step := range []struct {
		advance  time.Duration
		status   int
		finished bool
	}{{0, StatusQueued, false}, {5 * time.Second, StatusRunning, false}, {30 * time.Second, StatusSuccess, true}} {
		s.Clock().Advance(step.advance)
		var job map[string]any
		_ = json.Unmarshal(do(t, s, "GET", "/v1/jobs.get?job_id="+id, goodToken, "").body["job"], &job)
		if job["status"].(float64) != float64(step.status) || (job["finished_at"].(float64) > 0) != step.finished {
			t.Errorf("after %v: %v", step.advance, job)
		}
	}
	if got := do(t, s, "GET", "/v1/jobs.list?size=1", goodToken, "").items("jobs"); got[0]["id"] != id {
		t.Errorf("newest job %v, want the started one", got[0]["id"])
	}

	// The last flow's runs fail, with an error.
	body = `{"flow_id":"` + flows[len(flows)-1]["id"].(string) + `","robot_id":"` + robots[0]["id"].(string) + `"}`
	id = do(t, s, "POST", "/v1/flows.run", goodToken, body).str("job_id")
	s.Clock().Advance(time.Minute)
	var job map[string]any
	_ = json.Unmarshal(do(t, s, "GET", "/v1/jobs.get?job_id="+id, goodToken, "").body["job"], &job)
	if job["status"].(float64) != StatusFailed || job["error"] == "" {
		t.Errorf("failing run: %v", job)
	}
}

func TestRunRefusals(t *testing.T) {
	s := newSim()
	flow := do(t, s, "GET", "/v1/flows.list", goodToken, "").items("flows")[0]["id"].(string)
	robot := do(t, s, "GET", "/v1/robots.list", goodToken, "").items("robots")[0]["id"].(string)
	for body, code := range map[string]string{
		`{"flow_id":"nope","robot_id":"` + robot + `"}`: "flow_not_found",
		`{"flow_id":"` + flow + `","robot_id":"nope"}`:  "robot_not_found",
		`{"flow_id":"` + flow + `"}`:                    "invalid_argument",
		`not json`:                                      "invalid_argument",
	} {
		a := do(t, s, "POST", "/v1/flows.run", goodToken, body)
		if a.status != 200 || string(a.body["ok"]) != "false" || a.str("error") != code {
			t.Errorf("%s: %d %v, want 200 %s", body, a.status, a.body, code)
		}
	}
	if a := do(t, s, "GET", "/v1/jobs.get?job_id="+s.MissingJobRef(), goodToken, ""); a.status != 200 || a.str("error") != "job_not_found" {
		t.Errorf("missing job: %d %v", a.status, a.body)
	}
}

func TestConnectedRobots(t *testing.T) {
	s := newSim()
	a := do(t, s, "GET", "/v1/users.robots.connected.list", goodToken, "")
	if a.num("total") != 3 {
		t.Errorf("%d connected robots, want 3 of 4", a.num("total"))
	}
	for _, r := range do(t, s, "GET", "/v1/robots.list", goodToken, "").items("robots") {
		if r["workspace_id"] == "" || r["type"] == "" {
			t.Errorf("robot %v", r)
		}
	}
}

// On the wall clock a run finishes after RunPending+RunDuration.
func TestRealClock(t *testing.T) {
	s := New(simkit.Options{RunPending: time.Millisecond, RunDuration: time.Millisecond})
	flow := do(t, s, "GET", "/v1/flows.list", goodToken, "").items("flows")[0]["id"].(string)
	robot := do(t, s, "GET", "/v1/robots.list", goodToken, "").items("robots")[0]["id"].(string)
	id := do(t, s, "POST", "/v1/flows.run", goodToken, `{"flow_id":"`+flow+`","robot_id":"`+robot+`"}`).str("job_id")
	time.Sleep(5 * time.Millisecond)
	var job map[string]any
	_ = json.Unmarshal(do(t, s, "GET", "/v1/jobs.get?job_id="+id, goodToken, "").body["job"], &job)
	if job["status"].(float64) != StatusSuccess {
		t.Errorf("real clock: %v", job)
	}
}
