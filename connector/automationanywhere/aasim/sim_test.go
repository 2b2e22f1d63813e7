package aasim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newSim(t *testing.T) *Sim {
	t.Helper()
	return New(simkit.Options{Clock: simkit.NewClock(start)})
}

// call sends one request straight to the handler and decodes the answer.
func call(t *testing.T, s *Sim, method, path, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, &buf)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Authorization", token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: body %q: %v", method, path, rec.Body.String(), err)
		}
	}
	return rec.Code, out, rec.Header()
}

func login(t *testing.T, s *Sim) string {
	t.Helper()
	code, out, _ := call(t, s, "POST", "/v2/authentication", "", map[string]string{"username": APIUser, "apiKey": APIKey})
	if code != 200 {
		t.Fatalf("login: %d %v", code, out)
	}
	return out["token"].(string)
}

func isVendorError(t *testing.T, out map[string]any) {
	t.Helper()
	for _, k := range []string{"code", "details", "message"} {
		if _, ok := out[k]; !ok {
			t.Errorf("error body %v lacks %q", out, k)
		}
	}
	if out["message"] == "" {
		t.Errorf("error body %v has no message", out)
	}
}

func TestAuthentication(t *testing.T) {
	s := newSim(t)
	tests := []struct {
		name string
		body map[string]string
		want int
	}{
		{"api key", map[string]string{"username": APIUser, "apiKey": APIKey}, 200},
		{"password", map[string]string{"username": APIUser, "password": APIPassword}, 200},
		{"user name in other case", map[string]string{"username": strings.ToUpper(APIUser), "apiKey": APIKey}, 200},
		{"wrong key", map[string]string{"username": APIUser, "apiKey": wrongAPIKey}, 401},
		{"wrong password", map[string]string{"username": APIUser, "password": "nope"}, 401},
		{"unknown user", map[string]string{"username": "ghost", "apiKey": APIKey}, 401},
		{"run-as user has no API key", map[string]string{"username": "runner01", "apiKey": APIKey}, 401},
		{"no secret", map[string]string{"username": APIUser}, 400},
		{"no user", map[string]string{"apiKey": APIKey}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := call(t, s, "POST", "/v2/authentication", "", tt.body)
			if code != tt.want {
				t.Fatalf("status %d, want %d (%v)", code, tt.want, out)
			}
			if code != 200 {
				isVendorError(t, out)
				if strings.Contains(out["message"].(string), wrongAPIKey) {
					t.Error("message echoes the key")
				}
				return
			}
			if tok, _ := out["token"].(string); strings.Count(tok, ".") != 2 {
				t.Errorf("token %q is not JWT-shaped", tok)
			}
			if u, _ := out["user"].(map[string]any); u["username"] != APIUser {
				t.Errorf("user %v", out["user"])
			}
		})
	}
}

func TestTokenIsCheckedOnEveryCall(t *testing.T) {
	s := New(simkit.Options{Clock: simkit.NewClock(start), TokenLifetime: time.Minute})
	tok := login(t, s)
	body := map[string]any{"page": map[string]int{"offset": 0, "length": 1}}
	if code, _, _ := call(t, s, "POST", "/v2/devices/list", tok, body); code != 200 {
		t.Fatalf("valid token: %d", code)
	}
	code, out, _ := call(t, s, "POST", "/v2/devices/list", "", body)
	if code != 401 {
		t.Fatalf("no token: %d", code)
	}
	isVendorError(t, out)

	req := httptest.NewRequest("POST", "/v2/devices/list", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("Authorization: Bearer accepted (%d); the Control Room reads X-Authorization", rec.Code)
	}

	// refresh before expiry gives a new token; both die with the lifetime
	code, out, _ = call(t, s, "POST", "/v2/authentication/token", "", map[string]string{"token": tok})
	if code != 200 || out["token"] == tok {
		t.Fatalf("refresh: %d %v", code, out)
	}
	fresh := out["token"].(string)
	if _, out, _ = call(t, s, "GET", "/v1/authentication/token?token="+fresh, "", nil); out["valid"] != true {
		t.Errorf("validate fresh: %v", out)
	}
	s.Clock().Advance(time.Minute + time.Second)
	if code, _, _ := call(t, s, "POST", "/v2/devices/list", fresh, body); code != 401 {
		t.Errorf("expired token: %d", code)
	}
	if _, out, _ = call(t, s, "GET", "/v1/authentication/token?token="+fresh, "", nil); out["valid"] != false {
		t.Errorf("validate expired: %v", out)
	}
	if code, _, _ := call(t, s, "POST", "/v1/authentication/token", "", map[string]string{"token": fresh}); code != 401 {
		t.Errorf("refresh of an expired token: %d", code)
	}
}

func TestTokenLifetimeIsTwentyMinutes(t *testing.T) {
	s := newSim(t)
	tok := login(t, s)
	s.Clock().Advance(19 * time.Minute)
	if code, _, _ := call(t, s, "POST", "/v2/devices/list", tok, nil); code != 200 {
		t.Errorf("after 19 min: %d", code)
	}
	s.Clock().Advance(time.Minute)
	if code, _, _ := call(t, s, "POST", "/v2/devices/list", tok, nil); code != 401 {
		t.Errorf("after 20 min: %d", code)
	}
}

func listIDs(t *testing.T, s *Sim, tok, path string, body map[string]any) (int, []string, map[string]any) {
	t.Helper()
	code, out, _ := call(t, s, "POST", path, tok, body)
	if code != 200 {
		return code, nil, out
	}
	var ids []string
	for _, it := range out["list"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return code, ids, out
}

func TestFilters(t *testing.T) {
	s := newSim(t)
	tok := login(t, s)
	seededJobs := s.Seeded().Jobs
	bots := len(s.bots())
	cutoff := stamp(start.Add(-24 * time.Hour))
	countJobs := func(f map[string]any) int {
		n := 0
		for _, a := range s.activities {
			if f == nil || matchActivity(t, s, a, f) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name   string
		path   string
		filter map[string]any
		want   int // -1: count by hand with countJobs
		status int
	}{
		{"no filter", "/v3/activity/list", nil, seededJobs, 200},
		{"empty filter", "/v3/activity/list", map[string]any{}, seededJobs, 200},
		{"type eq taskbot", "/v2/repository/workspaces/public/files/list", map[string]any{"operator": "eq", "field": "type", "value": botType}, bots, 200},
		{"substring, case-insensitive", "/v2/repository/workspaces/public/files/list", map[string]any{"operator": "substring", "field": "name", "value": "INVOICE"}, 2, 200},
		{"empty substring matches all", "/v2/repository/workspaces/public/files/list", map[string]any{"operator": "substring", "field": "name", "value": ""}, len(s.files), 200},
		{"and with nested or", "/v2/repository/workspaces/public/files/list", map[string]any{"operator": "and", "operands": []any{
			map[string]any{"operator": "eq", "field": "type", "value": botType},
			map[string]any{"operator": "or", "operands": []any{
				map[string]any{"operator": "eq", "field": "name", "value": "Claims Triage"},
				map[string]any{"operator": "eq", "field": "name", "value": "Invoice Approval Form"},
			}},
		}}, 1, 200},
		{"not", "/v2/repository/workspaces/public/files/list", map[string]any{"operator": "not", "operands": []any{
			map[string]any{"operator": "eq", "field": "type", "value": botType},
		}}, len(s.files) - bots, 200},
		{"number compare on id", "/v2/devices/list", map[string]any{"operator": "gt", "field": "id", "value": "21"}, s.Seeded().Robots - 1, 200},
		{"date ge", "/v3/activity/list", map[string]any{"operator": "ge", "field": "startDateTime", "value": cutoff}, -1, 200},
		{"status ne", "/v3/activity/list", map[string]any{"operator": "ne", "field": "status", "value": "COMPLETED"}, -1, 200},
		{"unknown field", "/v3/activity/list", map[string]any{"operator": "eq", "field": "colour", "value": "red"}, 0, 400},
		{"unknown operator", "/v3/activity/list", map[string]any{"operator": "like", "field": "status", "value": "X"}, 0, 400},
		{"bad date", "/v3/activity/list", map[string]any{"operator": "ge", "field": "startDateTime", "value": "yesterday"}, 0, 400},
		{"not with two operands", "/v3/activity/list", map[string]any{"operator": "not", "operands": []any{map[string]any{}, map[string]any{}}}, 0, 400},
		{"and without operands", "/v3/activity/list", map[string]any{"operator": "and"}, 0, 400},
		{"unknown field deep inside", "/v3/activity/list", map[string]any{"operator": "or", "operands": []any{
			map[string]any{"operator": "eq", "field": "status", "value": "COMPLETED"},
			map[string]any{"operator": "not", "operands": []any{map[string]any{"operator": "eq", "field": "robot", "value": "1"}}},
		}}, 0, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{"page": map[string]int{"offset": 0, "length": 1000}}
			if tt.filter != nil {
				body["filter"] = tt.filter
			}
			code, ids, out := listIDs(t, s, tok, tt.path, body)
			if code != tt.status {
				t.Fatalf("status %d, want %d (%v)", code, tt.status, out)
			}
			if code != 200 {
				isVendorError(t, out)
				return
			}
			want := tt.want
			if want < 0 {
				want = countJobs(tt.filter)
				if want == 0 || want == seededJobs {
					t.Fatalf("filter %v does not discriminate (%d)", tt.filter, want)
				}
			}
			if len(ids) != want {
				t.Errorf("%d records, want %d", len(ids), want)
			}
			if tf := out["page"].(map[string]any)["totalFilter"].(float64); int(tf) != want {
				t.Errorf("totalFilter %v, want %d", tf, want)
			}
		})
	}
}

// matchActivity applies the two hand-checked filters of TestFilters.
func matchActivity(t *testing.T, s *Sim, a *activity, f map[string]any) bool {
	t.Helper()
	v := a.view(s.opts, s.now())
	switch f["field"] {
	case "startDateTime":
		return v["startDateTime"].(string) >= f["value"].(string)
	case "status":
		return v["status"] != f["value"]
	}
	t.Fatalf("no hand check for %v", f)
	return false
}

func TestPagingAndSorting(t *testing.T) {
	s := newSim(t)
	tok := login(t, s)
	sortAsc := []any{map[string]string{"field": "startDateTime", "direction": "asc"}}
	var all []string
	for offset := 0; ; offset += 7 {
		body := map[string]any{"sort": sortAsc, "page": map[string]int{"offset": offset, "length": 7}}
		_, ids, out := listIDs(t, s, tok, "/v3/activity/list", body)
		p := out["page"].(map[string]any)
		if int(p["offset"].(float64)) != offset || int(p["total"].(float64)) != s.Seeded().Jobs {
			t.Fatalf("page %v at offset %d", p, offset)
		}
		if len(ids) == 0 {
			break
		}
		all = append(all, ids...)
	}
	if len(all) != s.Seeded().Jobs {
		t.Fatalf("%d activities over pages, want %d", len(all), s.Seeded().Jobs)
	}
	var prev string
	for _, id := range all {
		a := s.activity(id)
		if cur := stamp(a.deployed); cur < prev {
			t.Fatalf("not sorted by startDateTime: %s after %s", cur, prev)
		} else {
			prev = cur
		}
	}

	// default order: id descending
	_, ids, _ := listIDs(t, s, tok, "/v2/devices/list", nil)
	if len(ids) < 2 || ids[0] < ids[len(ids)-1] {
		t.Errorf("default device order %v, want id descending", ids)
	}
	code, _, out := listIDs(t, s, tok, "/v2/devices/list", map[string]any{"sort": []any{map[string]string{"field": "colour", "direction": "asc"}}})
	if code != 400 {
		t.Errorf("unknown sort field: %d %v", code, out)
	}
	code, _, _ = listIDs(t, s, tok, "/v2/devices/list", map[string]any{"sort": []any{map[string]string{"field": "id", "direction": "up"}}})
	if code != 400 {
		t.Errorf("bad direction: %d", code)
	}
	code, _, _ = listIDs(t, s, tok, "/v2/devices/list", map[string]any{"page": map[string]int{"offset": -1, "length": 1}})
	if code != 400 {
		t.Errorf("negative offset: %d", code)
	}
}

func (s *Sim) activity(id string) *activity {
	for _, a := range s.activities {
		if a.id == id {
			return a
		}
	}
	return nil
}

func TestSeededActivities(t *testing.T) {
	s := newSim(t)
	statuses := map[string]int{}
	for _, a := range s.activities {
		v := a.view(s.opts, s.now())
		st := v["status"].(string)
		statuses[st]++
		end, _ := time.Parse(time.RFC3339Nano, v["endDateTime"].(string))
		if !a.deployed.Before(start) || !end.Before(start) || end.Before(a.deployed) {
			t.Errorf("activity %s: deployed %v, ended %v; both must be before %v", a.id, a.deployed, end, start)
		}
		if st == "RUN_FAILED" && v["message"] == "" {
			t.Errorf("failed activity %s has no message", a.id)
		}
		if !strings.HasPrefix(a.id, a.deploymentID+"_") {
			t.Errorf("activity id %s does not carry its deployment id", a.id)
		}
	}
	if statuses["COMPLETED"] == 0 || statuses["RUN_FAILED"] == 0 {
		t.Errorf("statuses %v, want completed and failed runs", statuses)
	}
	again := newSim(t)
	if again.activities[5].id != s.activities[5].id {
		t.Error("seeding is not deterministic")
	}
}

func TestDeployLifecycle(t *testing.T) {
	s := newSim(t)
	tok := login(t, s)
	bots := s.bots()
	deploy := func(fileID any, runAs ...any) (int, map[string]any) {
		code, out, _ := call(t, s, "POST", "/v3/automations/deploy", tok, map[string]any{
			"fileId": fileID, "runAsUserIds": runAs, "poolIds": []any{}, "overrideDefaultDevice": false,
			"botInput": map[string]any{"customer": map[string]string{"type": "STRING", "string": "ACME"}},
		})
		return code, out
	}
	byDeployment := func(dep string) map[string]any {
		_, out, _ := call(t, s, "POST", "/v3/activity/list", tok, map[string]any{"filter": map[string]any{"operator": "eq", "field": "deploymentId", "value": dep}})
		list := out["list"].([]any)
		if len(list) != 1 {
			t.Fatalf("deployment %s: %d activities", dep, len(list))
		}
		return list[0].(map[string]any)
	}
	runAs := s.RunAsUserID()

	code, out := deploy(bots[0]["id"], runAs) // numeric strings are accepted like numbers
	if code != 200 || out["deploymentId"] == "" || out["automationId"] == "" {
		t.Fatalf("deploy: %d %v", code, out)
	}
	dep := out["deploymentId"].(string)
	steps := []struct {
		after  time.Duration
		status string
		ended  bool
	}{
		{0, "QUEUED", false},
		{3 * time.Second, "PENDING_EXECUTION", false},
		{5 * time.Second, "RUNNING", false},
		{30 * time.Second, "COMPLETED", true},
	}
	for _, st := range steps {
		s.Clock().Advance(st.after)
		a := byDeployment(dep)
		if a["status"] != st.status {
			t.Fatalf("after +%v: %v, want %s", st.after, a["status"], st.status)
		}
		if _, ended := a["endDateTime"]; ended != st.ended {
			t.Errorf("%s: endDateTime present %v", st.status, ended)
		}
		if a["startDateTime"] != stamp(start) {
			t.Errorf("startDateTime %v, want the deploy time", a["startDateTime"])
		}
	}

	failing := bots[3]["id"].(string)
	n, _ := json.Number(failing).Int64()
	code, out = deploy(n, runAs)
	if code != 200 {
		t.Fatalf("deploy %s: %d %v", failing, code, out)
	}
	s.Clock().Advance(time.Minute)
	if a := byDeployment(out["deploymentId"].(string)); a["status"] != "RUN_FAILED" || a["message"] == "" {
		t.Errorf("failing bot ended %v with %q", a["status"], a["message"])
	}

	refusals := []struct {
		name   string
		fileID any
		runAs  []any
		status int
	}{
		{"unknown file", 99999, []any{runAs}, 404},
		{"folder", 1001, []any{runAs}, 400},
		{"no run-as user", bots[0]["id"], nil, 400},
		{"API user is no Bot Runner", bots[0]["id"], []any{301}, 400},
		{"no file", nil, []any{runAs}, 400},
	}
	for _, r := range refusals {
		code, out := deploy(r.fileID, r.runAs...)
		if code != r.status {
			t.Errorf("%s: %d %v, want %d", r.name, code, out, r.status)
		}
	}
	code, out, _ = call(t, s, "POST", "/v3/automations/deploy", tok, map[string]any{
		"fileId": bots[0]["id"], "runAsUserIds": []any{runAs},
		"botInput": map[string]any{"n": map[string]string{"type": "LIST"}},
	})
	if code != 400 {
		t.Errorf("bad bot input: %d %v", code, out)
	}
}

func TestRealClockRuns(t *testing.T) {
	s := New(simkit.Options{Clock: simkit.RealClock(), RunPending: time.Hour})
	tok := login(t, s)
	code, out, _ := call(t, s, "POST", "/v3/automations/deploy", tok, map[string]any{"fileId": s.bots()[0]["id"], "runAsUserIds": []any{s.RunAsUserID()}})
	if code != 200 {
		t.Fatalf("deploy: %d %v", code, out)
	}
	a := s.activities[len(s.activities)-1]
	if st, _, _, _ := a.state(s.opts, s.now()); st != "QUEUED" {
		t.Errorf("fresh run on a real clock: %s", st)
	}
}

func TestFaultsAnswerInTheVendorsShape(t *testing.T) {
	s := newSim(t)
	s.Faults().Inject429(1, 2500*time.Millisecond)
	code, out, h := call(t, s, "POST", "/v2/authentication", "", map[string]string{"username": APIUser, "apiKey": APIKey})
	if code != 429 || h.Get("Retry-After") != "3" {
		t.Errorf("429: %d Retry-After %q", code, h.Get("Retry-After"))
	}
	isVendorError(t, out)
	s.Faults().Inject5xx(1)
	code, out, _ = call(t, s, "POST", "/v2/devices/list", "", nil)
	if code != 500 {
		t.Errorf("5xx: %d", code)
	}
	isVendorError(t, out)
}

func TestOtherEndpoints(t *testing.T) {
	s := newSim(t)
	tok := login(t, s)
	code, out, _ := call(t, s, "GET", "/v3/activity/execution/"+s.MissingJobRef(), tok, nil)
	if code != 404 {
		t.Errorf("missing execution: %d", code)
	}
	isVendorError(t, out)
	if code, out, _ = call(t, s, "GET", "/v3/activity/execution/"+s.activities[0].id, tok, nil); code != 200 || out["botOutVariables"] == nil {
		t.Errorf("execution: %d %v", code, out)
	}
	code, out, _ = call(t, s, "POST", "/v2/nothing/here", tok, nil)
	if code != 404 {
		t.Errorf("unknown path: %d", code)
	}
	isVendorError(t, out)
	if _, ids, _ := listIDs(t, s, tok, "/v2/repository/workspaces/private/files/list", nil); len(ids) != 0 {
		t.Errorf("private workspace: %v", ids)
	}
	_, out, _ = call(t, s, "POST", "/v1/schedule/automations/list", tok, nil)
	for _, it := range out["list"].([]any) {
		sc := it.(map[string]any)
		next, ok := sc["zonedNextRunDateTime"].(string)
		if sc["status"] == "ACTIVE" && (!ok || next <= stamp(start)) {
			t.Errorf("schedule %v: next run %q should be after now", sc["id"], next)
		}
	}
}
