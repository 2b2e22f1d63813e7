package bpsim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"bureau/connector/blueprism/bpsim"
	"bureau/connector/simkit"
)

type simEnv struct {
	sim *bpsim.Sim
	url string
	tok string
}

func newSim(t *testing.T) *simEnv {
	t.Helper()
	sim := bpsim.New(simkit.Options{Clock: simkit.NewClock(start)})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &simEnv{sim: sim, url: srv.URL, tok: token(t, srv.URL, bpsim.ClientID, bpsim.ClientSecret)}
}

func (e *simEnv) get(t *testing.T, path string, out any) int {
	t.Helper()
	return e.do(t, "GET", path, "", out)
}

func (e *simEnv) do(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	status, b := call(t, e.url, e.tok, method, path, body)
	if out != nil && status < 300 && b != "" {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return status
}

func postForm(t *testing.T, u string, form url.Values, basic ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", u+"/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestTokenEndpoint(t *testing.T) {
	e := newSim(t)
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {bpsim.ClientID}, "client_secret": {bpsim.ClientSecret}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	for _, tt := range []struct {
		name  string
		form  url.Values
		basic []string
		code  int
		error string
	}{
		{"client credentials in the form", good, nil, 200, ""},
		{"client credentials as basic auth", url.Values{"grant_type": {"client_credentials"}}, []string{bpsim.ClientID, bpsim.ClientSecret}, 200, ""},
		{"wrong secret", with("client_secret", "nope"), nil, 400, "invalid_client"},
		{"unknown client", with("client_id", "someone"), nil, 400, "invalid_client"},
		{"password grant", with("grant_type", "password"), nil, 400, "unsupported_grant_type"},
		{"unknown scope", with("scope", "bp-api openid"), nil, 400, "invalid_scope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := postForm(t, e.url, tt.form, tt.basic...)
			if code != tt.code || (tt.error != "" && body["error"] != tt.error) {
				t.Errorf("%d %v, want %d %s", code, body, tt.code, tt.error)
			}
			if code == 200 && (body["expires_in"] != float64(3600) || body["token_type"] != "Bearer" || body["scope"] != "bp-api bpserver") {
				t.Errorf("token answer %v", body)
			}
		})
	}
	resp, err := http.Post(e.url+"/connect/token", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("JSON token request: %d, want 400 invalid_request", resp.StatusCode)
	}
}

func TestAPIRefusesBadTokens(t *testing.T) {
	e := newSim(t)
	_, bpserverOnly := postForm(t, e.url, url.Values{"grant_type": {"client_credentials"}, "client_id": {bpsim.ClientID}, "client_secret": {bpsim.ClientSecret}, "scope": {"bpserver"}})
	for _, tt := range []struct{ name, tok string }{
		{"no token", ""},
		{"garbage", "abc"},
		{"token for another audience", bpserverOnly["access_token"].(string)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, e.url, tt.tok, "GET", "/api/v7/processes", "")
			if code != 401 || !strings.HasPrefix(body, `"`) {
				t.Errorf("%d %s, want 401 with a bare JSON string", code, body)
			}
		})
	}
	e.sim.Clock().Advance(time.Hour)
	if code, _ := call(t, e.url, e.tok, "GET", "/api/v7/processes", ""); code != 401 {
		t.Errorf("expired token: %d, want 401", code)
	}
}

type listPage struct {
	Items       []map[string]any `json:"items"`
	PagingToken *string          `json:"pagingToken"`
}

func TestPaging(t *testing.T) {
	e := newSim(t)
	var ids []string
	path := "/api/v7/sessions?itemsPerPage=7&sortBy=SessionNumberAsc"
	for pages := 0; ; pages++ {
		var p listPage
		if code := e.get(t, path, &p); code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		for _, it := range p.Items {
			ids = append(ids, it["sessionId"].(string))
		}
		if p.PagingToken == nil {
			break
		}
		path = "/api/v7/sessions?itemsPerPage=7&sortBy=SessionNumberAsc&pagingToken=" + url.QueryEscape(*p.PagingToken)
	}
	if len(ids) != 40 || ids[0] != "e8a9d7c2-5f10-4b3e-bd64-000000000001" {
		t.Errorf("%d sessions, first %v", len(ids), ids[:1])
	}

	var p listPage
	e.get(t, "/api/v7/sessions?itemsPerPage=2&status=Completed", &p)
	code, body := call(t, e.url, e.tok, "GET", "/api/v7/sessions?itemsPerPage=2&status=Terminated&pagingToken="+url.QueryEscape(*p.PagingToken), "")
	if code != 400 || !strings.Contains(body, "messageDetail") {
		t.Errorf("token reused with other filters: %d %s, want 400 UrlParameterError", code, body)
	}
	// Unknown parameters are ignored, so they do not change the filter.
	if code := e.get(t, "/api/v7/sessions?itemsPerPage=2&status=Completed&utterNonsense=1&pagingToken="+url.QueryEscape(*p.PagingToken), &p); code != 200 {
		t.Errorf("unknown parameter with a token: %d, want 200", code)
	}
	if code := e.get(t, "/api/v7/sessions?itemsPerPage=0", nil); code != 400 {
		t.Errorf("itemsPerPage=0: %d, want 400", code)
	}
	var empty map[string]any
	e.get(t, "/api/v7/processes?processName[eq]=Nothing%20Like%20This", &empty)
	if items, ok := empty["items"].([]any); !ok || len(items) != 0 || empty["pagingToken"] != nil {
		t.Errorf("empty page %v: want items [] and no token", empty)
	}
}

func TestSessionFilters(t *testing.T) {
	e := newSim(t)
	count := func(query string) int {
		t.Helper()
		var p listPage
		if code := e.get(t, "/api/v7/sessions?itemsPerPage=1000&"+query, &p); code != 200 {
			t.Fatalf("%s: %d", query, code)
		}
		return len(p.Items)
	}
	all := count("")
	for _, tt := range []struct {
		query string
		want  func(int) bool
	}{
		{"bogusFilter[eq]=x", func(n int) bool { return n == all }},
		{"processname[eq]=Invoice%20Processing", func(n int) bool { return n == all }}, // wrong case: ignored
		{"processName[eq]=invoice%20processing", func(n int) bool { return n == 7 }},
		{"status=Terminated", func(n int) bool { return n == 8 }},
		{"status=Completed,Terminated", func(n int) bool { return n > 8 && n < all }},
		{"startTime[gte]=2026-11-02T09:00:00Z", func(n int) bool { return n == 0 }},
		{"startTime[gte]=2026-11-01T00:00:00Z&startTime[lte]=2026-11-02T00:00:00Z", func(n int) bool { return n > 0 && n < 10 }},
		{"resourceName[strtw]=bprr-prod-01", func(n int) bool { return n == 10 }},
	} {
		if n := count(tt.query); !tt.want(n) {
			t.Errorf("%s: %d sessions (of %d)", tt.query, n, all)
		}
	}
	for _, q := range []string{"status=Done", "startTime[gte]=yesterday", "sortBy=Newest"} {
		if code := e.get(t, "/api/v7/sessions?"+q, nil); code != 400 {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
	var p listPage
	e.get(t, "/api/v7/sessions?status=Terminated&itemsPerPage=1", &p)
	if s := p.Items[0]; s["exceptionMessage"] == nil || s["terminationReason"] != "ProcessError" || s["endTime"] == nil {
		t.Errorf("terminated session %v", s)
	}
}

type sessionSummary struct {
	Status            string  `json:"status"`
	StartTime         *string `json:"startTime"`
	EndTime           *string `json:"endTime"`
	ExceptionMessage  *string `json:"exceptionMessage"`
	TerminationReason *string `json:"terminationReason"`
}

func (e *simEnv) create(t *testing.T, process, resource string) string {
	t.Helper()
	var id string
	body := `{"processId":"` + process + `","resourceId":"` + resource + `"}`
	if code := e.do(t, "POST", "/api/v7/sessions", body, &id); code != 200 {
		t.Fatalf("create: %d", code)
	}
	return id
}

func (e *simEnv) session(t *testing.T, id string) sessionSummary {
	t.Helper()
	var s sessionSummary
	if code := e.get(t, "/api/v7/sessions/"+id, &s); code != 200 {
		t.Fatalf("read %s: %d", id, code)
	}
	return s
}

func (e *simEnv) resourceStatus(t *testing.T, name string) (string, float64) {
	t.Helper()
	var p listPage
	e.get(t, "/api/v7/resources?name[eq]="+name, &p)
	return p.Items[0]["displayStatus"].(string), p.Items[0]["activeSessionCount"].(float64)
}

const (
	okProcess      = "7c0e4f2b-93d1-4b66-a2af-000000000001"
	failingProcess = "7c0e4f2b-93d1-4b66-a2af-000000000005"
	idleResource   = "5d2c8e0a-71b4-4a8e-9f30-000000000001"
)

func TestSessionLifecycle(t *testing.T) {
	e := newSim(t)
	id := e.create(t, okProcess, idleResource)
	if s := e.session(t, id); s.Status != "Pending" || s.StartTime == nil || s.EndTime != nil {
		t.Fatalf("created: %+v", s)
	}
	e.sim.Clock().Advance(50 * time.Minute)
	if s := e.session(t, id); s.Status != "Pending" {
		t.Fatalf("never started, 50 minutes later: %s, want Pending", s.Status)
	}
	if code := e.do(t, "PUT", "/api/v7/sessions/"+id+"/parameters", `{"parameters":{"Batch":{"valueType":"Number","value":3}}}`, nil); code != 204 {
		t.Errorf("parameters: %d", code)
	}
	if code := e.do(t, "PATCH", "/api/v7/sessions/"+id, `{"status":"Running"}`, nil); code != 202 {
		t.Fatalf("run: %d", code)
	}
	if code := e.do(t, "PATCH", "/api/v7/sessions/"+id, `{"status":"Running"}`, nil); code != 409 {
		t.Errorf("run twice: %d, want 409", code)
	}
	if code := e.do(t, "PUT", "/api/v7/sessions/"+id+"/parameters", `{"parameters":{}}`, nil); code != 409 {
		t.Errorf("parameters after start: %d, want 409", code)
	}
	if code := e.do(t, "PATCH", "/api/v7/sessions/"+id, `{"status":"Completed"}`, nil); code != 400 {
		t.Errorf("patch to Completed: %d, want 400", code)
	}
	e.sim.Clock().Advance(6 * time.Second)
	if s := e.session(t, id); s.Status != "Running" {
		t.Errorf("after the pending wait: %s", s.Status)
	}
	if st, active := e.resourceStatus(t, "BPRR-PROD-01"); st != "Working" || active != 1 {
		t.Errorf("resource while running: %s, %v active", st, active)
	}
	e.sim.Clock().Advance(time.Minute)
	if s := e.session(t, id); s.Status != "Completed" || s.EndTime == nil || *s.TerminationReason != "None" {
		t.Errorf("finished: %+v", s)
	}
	if st, _ := e.resourceStatus(t, "BPRR-PROD-01"); st != "Idle" {
		t.Errorf("resource after the run: %s", st)
	}
	var params map[string]map[string]any
	e.get(t, "/api/v7/sessions/"+id+"/parameters", &params)
	if params["parameters"]["Batch"] == nil {
		t.Errorf("parameters read back: %v", params)
	}
}

func TestFailingAndStoppedSessions(t *testing.T) {
	e := newSim(t)
	failing := e.create(t, failingProcess, idleResource)
	stopped := e.create(t, okProcess, idleResource)
	for _, id := range []string{failing, stopped} {
		e.do(t, "PATCH", "/api/v7/sessions/"+id, `{"status":"Running"}`, nil)
	}
	e.sim.Clock().Advance(10 * time.Second)
	if code := e.do(t, "PATCH", "/api/v7/sessions/"+stopped, `{"status":"Stopping"}`, nil); code != 202 {
		t.Errorf("stop: %d", code)
	}
	e.sim.Clock().Advance(time.Minute)
	if s := e.session(t, failing); s.Status != "Terminated" || s.ExceptionMessage == nil || *s.TerminationReason != "ProcessError" {
		t.Errorf("failing: %+v", s)
	}
	if s := e.session(t, stopped); s.Status != "Stopped" || s.EndTime == nil {
		t.Errorf("stopped: %+v", s)
	}
	if code := e.do(t, "PATCH", "/api/v7/sessions/"+stopped, `{"status":"Stopped"}`, nil); code != 409 {
		t.Errorf("stop a stopped session: %d, want 409", code)
	}
	if code := e.do(t, "DELETE", "/api/v7/sessions/"+stopped, "", nil); code != 400 {
		t.Errorf("delete a finished session: %d, want 400", code)
	}
}

func TestReadOnlyAccountCannotStart(t *testing.T) {
	e := newSim(t)
	e.tok = token(t, e.url, bpsim.ReadOnlyClientID, bpsim.ReadOnlySecret)
	if code := e.get(t, "/api/v7/processes", nil); code != 200 {
		t.Errorf("list processes: %d", code)
	}
	code, body := call(t, e.url, e.tok, "POST", "/api/v7/sessions", `{"processId":"`+okProcess+`","resourceId":"`+idleResource+`"}`)
	if code != 403 || !strings.HasPrefix(body, `"`) {
		t.Errorf("create as read-only: %d %s", code, body)
	}
	code, body = call(t, e.url, e.tok, "PATCH", "/api/v7/sessions/e8a9d7c2-5f10-4b3e-bd64-000000000001", `{"status":"Running"}`)
	if code != 403 || !strings.Contains(body, "errorMessage") {
		t.Errorf("patch as read-only: %d %s, want 403 SessionForbidden", code, body)
	}
}

func TestFaults(t *testing.T) {
	e := newSim(t)
	e.sim.Faults().Inject429(1, 7*time.Second)
	req, _ := http.NewRequest("GET", e.url+"/api/v7/processes", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("429: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	e.sim.Faults().Inject5xx(1)
	code, body := call(t, e.url, e.tok, "GET", "/api/v7/processes", "")
	if code != 500 || !strings.Contains(body, "errorMessage") {
		t.Errorf("5xx: %d %s", code, body)
	}
}

func TestHealthAndPermissions(t *testing.T) {
	e := newSim(t)
	var health struct {
		Healthy bool `json:"healthy"`
	}
	if code := e.get(t, "/api/v7/health", &health); code != 200 || !health.Healthy {
		t.Errorf("health: %d %+v", code, health)
	}
	var perms []string
	if code := e.get(t, "/api/v7/user/permissions", &perms); code != 200 || len(perms) != 12 {
		t.Errorf("permissions: %d %v", code, perms)
	}
}

func TestSeedIsInThePastAndDeterministic(t *testing.T) {
	a := bpsim.New(simkit.Options{})
	b := bpsim.New(simkit.Options{Counts: simkit.Counts{Processes: 2, Jobs: 3, Robots: 1, Schedules: 1}})
	if a.Seeded() != (simkit.Counts{Processes: 6, Jobs: 40, Robots: 4, Schedules: 3}) || b.Seeded().Jobs != 3 {
		t.Errorf("seeded %v and %v", a.Seeded(), b.Seeded())
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	e := &simEnv{sim: a, url: srv.URL, tok: token(t, srv.URL, bpsim.ClientID, bpsim.ClientSecret)}
	var p listPage
	e.get(t, "/api/v7/sessions?itemsPerPage=1000", &p)
	now := time.Now()
	for _, s := range p.Items {
		st, _ := time.Parse(time.RFC3339, s["startTime"].(string))
		en, _ := time.Parse(time.RFC3339, s["endTime"].(string))
		if !st.Before(now) || !en.Before(now) {
			t.Errorf("session %v not in the past", s)
		}
	}
}
