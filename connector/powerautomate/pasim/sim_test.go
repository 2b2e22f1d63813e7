package pasim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"bureau/connector/simkit"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	sim   *Sim
	url   string
	token string
}

func setup(t *testing.T, opts simkit.Options) *env {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = simkit.NewClock(start)
	}
	s := New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e := &env{t: t, sim: s, url: srv.URL}
	status, body, _ := e.tokenRequest(Tenant, e.form(nil))
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, body)
	}
	e.token = body["access_token"].(string)
	return e
}

func (e *env) form(change map[string]string) url.Values {
	f := url.Values{"grant_type": {"client_credentials"}, "client_id": {ClientID}, "client_secret": {ClientSecret},
		"scope": {e.url + "/.default"}}
	for k, v := range change {
		f.Set(k, v)
	}
	return f
}

func (e *env) tokenRequest(tenant string, form url.Values) (int, map[string]any, http.Header) {
	resp, err := http.PostForm(e.url+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	return decode(e.t, resp)
}

// call sends a Dataverse request; header pairs follow the path.
func (e *env) call(method, path, body string, header ...string) (int, map[string]any, http.Header) {
	e.t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = e.url + apiPrefix + path
	}
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return decode(e.t, resp)
}

func decode(t *testing.T, resp *http.Response) (int, map[string]any, http.Header) {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("answer is not JSON: %s", raw)
		}
	}
	return resp.StatusCode, body, resp.Header
}

func errorOf(body map[string]any) (code, message string) {
	e, _ := body["error"].(map[string]any)
	code, _ = e["code"].(string)
	message, _ = e["message"].(string)
	return code, message
}

func values(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func TestTokenRefusals(t *testing.T) {
	e := setup(t, simkit.Options{})
	for _, c := range []struct {
		name   string
		tenant string
		change map[string]string
		status int
		error  string
		aadsts string
	}{
		{"unknown tenant", "contoso.onmicrosoft.com", nil, 400, "invalid_request", "AADSTS90002"},
		{"wrong grant", Tenant, map[string]string{"grant_type": "password"}, 400, "unsupported_grant_type", "AADSTS70003"},
		{"unknown app", Tenant, map[string]string{"client_id": "nobody"}, 400, "unauthorized_client", "AADSTS700016"},
		{"no secret", Tenant, map[string]string{"client_secret": ""}, 401, "invalid_client", "AADSTS7000218"},
		{"wrong secret", Tenant, map[string]string{"client_secret": "nope"}, 401, "invalid_client", "AADSTS7000215"},
		{"scope without /.default", Tenant, map[string]string{"scope": e.url}, 400, "invalid_scope", "AADSTS1002012"},
		{"another environment", Tenant, map[string]string{"scope": "https://other.crm.dynamics.com/.default"}, 400, "invalid_resource", "AADSTS500011"},
	} {
		status, body, _ := e.tokenRequest(c.tenant, e.form(c.change))
		desc, _ := body["error_description"].(string)
		if status != c.status || body["error"] != c.error || !strings.HasPrefix(desc, c.aadsts+":") ||
			!strings.Contains(desc, "\r\nTrace ID: ") || body["access_token"] != nil {
			t.Errorf("%s: %d %v", c.name, status, body)
		}
	}
	resp, err := http.Get(e.url + "/" + Tenant + "/oauth2/v2.0/token")
	if err != nil {
		t.Fatal(err)
	}
	if status, body, _ := decode(t, resp); status != http.StatusMethodNotAllowed || body["error"] != "invalid_request" {
		t.Errorf("GET token: %d %v", status, body)
	}
}

func TestTokenLifetime(t *testing.T) {
	for _, c := range []struct {
		life time.Duration
		want float64
	}{{0, 3599}, {time.Minute, 60}} {
		e := setup(t, simkit.Options{TokenLifetime: c.life})
		_, body, _ := e.tokenRequest(Tenant, e.form(nil))
		if body["expires_in"] != c.want || body["token_type"] != "Bearer" {
			t.Errorf("lifetime %v: %v", c.life, body)
		}
	}
}

func TestDataverseNeedsAValidToken(t *testing.T) {
	e := setup(t, simkit.Options{TokenLifetime: time.Minute})
	if status, _, _ := e.call("GET", "WhoAmI", ""); status != http.StatusOK {
		t.Fatalf("valid token: %d", status)
	}
	e.sim.Clock().Advance(time.Minute)
	status, body, h := e.call("GET", "WhoAmI", "")
	if status != http.StatusUnauthorized || body != nil || !strings.Contains(h.Get("WWW-Authenticate"), "authorization_uri=") {
		t.Errorf("expired token: %d %v %v", status, body, h)
	}
	e.token = "garbage"
	if status, _, _ := e.call("GET", "workflows", ""); status != http.StatusUnauthorized {
		t.Errorf("garbage token: %d", status)
	}
}

func TestWhoAmI(t *testing.T) {
	e := setup(t, simkit.Options{})
	_, body, _ := e.call("GET", "WhoAmI()", "")
	for _, k := range []string{"UserId", "BusinessUnitId", "OrganizationId"} {
		if s, _ := body[k].(string); !guidPattern.MatchString(s) {
			t.Errorf("%s = %v", k, body[k])
		}
	}
}

func TestPagingThroughSkiptoken(t *testing.T) {
	e := setup(t, simkit.Options{})
	status, body, h := e.call("GET", "flowsessions?$select=flowsessionid,createdon&$orderby=createdon%20asc", "",
		"Prefer", `odata.include-annotations="*",odata.maxpagesize=4`)
	if status != http.StatusOK || h.Get("Preference-Applied") != "odata.maxpagesize=4" {
		t.Fatalf("first page: %d %q", status, h.Get("Preference-Applied"))
	}
	var ids []string
	var created []string
	pages := 0
	for {
		pages++
		for _, v := range values(body) {
			ids = append(ids, v["flowsessionid"].(string))
			created = append(created, v["createdon"].(string))
			if len(v) != 3 { // the two selected columns and the etag
				t.Errorf("record has %d fields: %v", len(v), v)
			}
		}
		next, _ := body["@odata.nextLink"].(string)
		if next == "" {
			break
		}
		if !strings.HasPrefix(next, e.url+apiPrefix+"flowsessions?") || !strings.Contains(next, "$skiptoken=%3Ccookie%20pagenumber=%22") ||
			!strings.Contains(next, "pagingcookie=%22%253ccookie%2520page%253d%2522") || strings.Contains(next, "$skip=") {
			t.Fatalf("nextLink %s", next)
		}
		status, body, _ = e.call("GET", next, "", "Prefer", "odata.maxpagesize=4")
		if status != http.StatusOK {
			t.Fatalf("page %d: %d %v", pages+1, status, body)
		}
	}
	want := len(e.sim.sessions)
	if len(ids) != want || pages != (want+3)/4 {
		t.Errorf("%d records in %d pages, want %d in %d", len(ids), pages, want, (want+3)/4)
	}
	if !slices.IsSorted(created) {
		t.Errorf("not ordered by createdon: %v", created)
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != want {
		t.Error("a record came twice")
	}
}

func TestWithoutPreferOnePageOfUpTo5000(t *testing.T) {
	e := setup(t, simkit.Options{})
	_, body, h := e.call("GET", "flowruns", "")
	if len(values(body)) != len(e.sim.runs) || body["@odata.nextLink"] != nil || h.Get("Preference-Applied") != "" {
		t.Errorf("%d records, nextLink %v, applied %q", len(values(body)), body["@odata.nextLink"], h.Get("Preference-Applied"))
	}
}

func TestTopLimitsWithoutPaging(t *testing.T) {
	e := setup(t, simkit.Options{})
	_, body, _ := e.call("GET", "flowsessions?$top=2", "")
	if len(values(body)) != 2 || body["@odata.nextLink"] != nil {
		t.Errorf("%d records, nextLink %v", len(values(body)), body["@odata.nextLink"])
	}
}

func TestQueryRefusals(t *testing.T) {
	e := setup(t, simkit.Options{})
	for _, c := range []struct{ query, message string }{
		{"flowsessions?$skip=3", "The query parameter $skip is not supported."},
		{"flowsessions?$expand=regardingobjectid", "The query parameter $expand is not supported."},
		{"flowsessions?$select=nope", "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.flowsession'."},
		{"flowsessions?$filter=nope%20eq%201", "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.flowsession'."},
		{"flowsessions?$filter=statuscode%20eq%20'8'", "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'."},
		{"flowsessions?$filter=modifiedon%20ge%205", "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.Int32' for operator kind 'GreaterThanOrEqual'."},
		{"flowsessions?$orderby=nope", "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.flowsession'."},
		{"flowsessions?$skiptoken=garbage", "The $skiptoken paging cookie is not valid."},
	} {
		status, body, _ := e.call("GET", c.query, "")
		code, msg := errorOf(body)
		if status != http.StatusBadRequest || code != codeQuery || msg != c.message {
			t.Errorf("%s: %d %s %q", c.query, status, code, msg)
		}
	}
	for _, q := range []string{"workflows?$filter=category%20eq%205%20or%20category%20eq%206", "workflows?$filter=(category%20eq%205)",
		"workflows?$filter=contains(name,'x')", "workflows?$filter=name%20eq%20'open", "workflows?$filter=category%20eq"} {
		if status, _, _ := e.call("GET", q, ""); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, status)
		}
	}
}

func TestFilters(t *testing.T) {
	e := setup(t, simkit.Options{})
	count := func(q string, check func(map[string]any) bool) int {
		t.Helper()
		status, body, _ := e.call("GET", q, "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", q, status, body)
		}
		for _, v := range values(body) {
			if check != nil && !check(v) {
				t.Errorf("%s: %v does not match", q, v)
			}
		}
		return len(values(body))
	}
	if n := count("flowsessions?$filter=statuscode%20eq%208", func(v map[string]any) bool {
		return v["statuscode"] == 8.0 && v["errormessage"] != nil
	}); n == 0 {
		t.Error("no failed sessions")
	}
	if n := count("workflows?$filter=category%20eq%206%20and%20statecode%20eq%201", func(v map[string]any) bool {
		return v["category"] == 6.0 && v["statecode"] == 1.0
	}); n != len(e.sim.flowsOf(categoryDesktop)) {
		t.Errorf("%d active desktop flows", n)
	}
	if n := count("flowsessions?$filter=completedon%20eq%20null", func(v map[string]any) bool { return v["statuscode"] == 6.0 }); n == 0 {
		t.Error("no unfinished sessions")
	}
	if n := count("flowsessions?$filter=startedon%20ge%202026-11-02T09:00:00Z", nil); n != 0 {
		t.Errorf("%d sessions started after the clock's now", n)
	}
	if n := count("flowruns?$filter=status%20eq%20'failed'", func(v map[string]any) bool { return v["status"] == "Failed" }); n == 0 {
		t.Error("text filters should ignore case")
	}
	wf := e.sim.workflows[0].id
	if n := count("flowsessions?$filter=_regardingobjectid_value%20eq%20"+strings.ToUpper(wf), func(v map[string]any) bool {
		return v["_regardingobjectid_value"] == wf
	}); n == 0 {
		t.Error("no sessions of the first flow")
	}
}

func TestRecordNotFound(t *testing.T) {
	e := setup(t, simkit.Options{})
	id := strings.TrimPrefix(e.sim.MissingJobRef(), "session:")
	status, body, _ := e.call("GET", "flowsessions("+id+")", "")
	code, msg := errorOf(body)
	if status != http.StatusNotFound || code != codeNotFound || msg != "flowsession With Id = "+id+" Does Not Exist" {
		t.Errorf("%d %s %q", status, code, msg)
	}
	if status, body, _ := e.call("GET", "flowsessions(nope)", ""); status != http.StatusBadRequest {
		t.Errorf("malformed id: %d %v", status, body)
	}
	status, body, _ = e.call("GET", "accounts", "")
	if code, msg := errorOf(body); status != http.StatusNotFound || code != codeSegment || msg != "Resource not found for the segment 'accounts'." {
		t.Errorf("unknown set: %d %s %q", status, code, msg)
	}
}

func runBody() string {
	return `{"runMode":"unattended","runPriority":"normal","connectionName":"` + ConnectionName + `","timeout":7200,"inputs":"{\"a\":1}"}`
}

func (e *env) start(flow, body string) (int, map[string]any) {
	status, out, _ := e.call("POST", "workflows("+flow+")/Microsoft.Dynamics.CRM.RunDesktopFlow", body)
	return status, out
}

func (e *env) sessionRow(id string) map[string]any {
	e.t.Helper()
	status, body, _ := e.call("GET", "flowsessions("+id+")", "")
	if status != http.StatusOK {
		e.t.Fatalf("read session: %d %v", status, body)
	}
	return body
}

func TestRunLifecycle(t *testing.T) {
	e := setup(t, simkit.Options{RunPending: 5 * time.Second, RunDuration: 30 * time.Second})
	desktop := e.sim.flowsOf(categoryDesktop)
	for _, c := range []struct {
		flow  *workflow
		final float64
	}{{desktop[0], statusSucceeded}, {desktop[len(desktop)-1], statusFailed}} {
		status, body := e.start(c.flow.id, runBody())
		id, _ := body["flowsessionId"].(string)
		if status != http.StatusOK || !guidPattern.MatchString(id) {
			t.Fatalf("start: %d %v", status, body)
		}
		row := e.sessionRow(id)
		if row["statuscode"] != 3.0 || row["startedon"] != nil || row["_machineid_value"] != nil || row["triggertype"] != 3.0 ||
			row["_regardingobjectid_value"] != c.flow.id {
			t.Errorf("queued: %v", row)
		}
		e.sim.Clock().Advance(5 * time.Second)
		if row = e.sessionRow(id); row["statuscode"] != 2.0 || row["startedon"] == nil || row["_machineid_value"] == nil {
			t.Errorf("running: %v", row)
		}
		e.sim.Clock().Advance(30 * time.Second)
		row = e.sessionRow(id)
		if row["statuscode"] != c.final || row["completedon"] == nil || row["statecode"] != 0.0 {
			t.Errorf("done: %v", row)
		}
		if (c.final == statusFailed) != (row["errormessage"] != nil) {
			t.Errorf("error message %v for final status %v", row["errormessage"], c.final)
		}
	}
}

func TestRunRefusals(t *testing.T) {
	e := setup(t, simkit.Options{})
	desktop := e.sim.flowsOf(categoryDesktop)[0].id
	cloud := e.sim.flowsOf(categoryCloud)[0].id
	for _, c := range []struct {
		name, flow, body string
		status           int
	}{
		{"cloud flow", cloud, runBody(), 400},
		{"unknown flow", "0badf00d-0000-4000-8000-000000000000", runBody(), 404},
		{"unknown connection", desktop, `{"runMode":"unattended","connectionName":"someone-else"}`, 400},
		{"reference as a connection", desktop, `{"runMode":"unattended","connectionName":"` + ConnectionReference + `"}`, 400},
		{"bad run mode", desktop, `{"runMode":"sometimes","connectionName":"` + ConnectionName + `"}`, 400},
		{"unknown parameter", desktop, `{"runMode":"attended","connectionName":"` + ConnectionName + `","machine":"x"}`, 400},
		{"inputs not JSON", desktop, `{"runMode":"attended","connectionName":"` + ConnectionName + `","inputs":"{"}`, 400},
		{"timeout over a day", desktop, `{"runMode":"attended","connectionName":"` + ConnectionName + `","timeout":90000}`, 400},
		{"not JSON", desktop, `runMode=attended`, 400},
	} {
		status, body := e.start(c.flow, c.body)
		if code, msg := errorOf(body); status != c.status || code == "" || msg == "" {
			t.Errorf("%s: %d %v", c.name, status, body)
		}
	}
	ok := `{"runMode":"attended","connectionName":"` + ConnectionReference + `","connectionType":2}`
	if status, body := e.start(desktop, ok); status != http.StatusOK {
		t.Errorf("connection reference: %d %v", status, body)
	}
	if status, _, _ := e.call("GET", "workflows("+desktop+")/Microsoft.Dynamics.CRM.RunDesktopFlow", ""); status != http.StatusMethodNotAllowed {
		t.Errorf("GET on the action: %d", status)
	}
}

func TestRunsPerMinuteLimit(t *testing.T) {
	e := setup(t, simkit.Options{})
	flow := e.sim.flowsOf(categoryDesktop)[0].id
	for i := range runsPerMinute {
		if status, body := e.start(flow, runBody()); status != http.StatusOK {
			t.Fatalf("run %d: %d %v", i, status, body)
		}
	}
	status, body, h := e.call("POST", "workflows("+flow+")/Microsoft.Dynamics.CRM.RunDesktopFlow", runBody())
	if status != http.StatusTooManyRequests || h.Get("Retry-After") != "60" || body["error"] == nil {
		t.Errorf("run 71: %d %v retry %q", status, body, h.Get("Retry-After"))
	}
	e.sim.Clock().Advance(time.Minute)
	if status, _ := e.start(flow, runBody()); status != http.StatusOK {
		t.Errorf("a minute later: %d", status)
	}
}

func TestFaults(t *testing.T) {
	e := setup(t, simkit.Options{})
	e.sim.Faults().Inject429(1, 7*time.Second)
	status, body, h := e.call("GET", "workflows", "")
	if code, _ := errorOf(body); status != http.StatusTooManyRequests || h.Get("Retry-After") != "7" || code != codeRequestLimit {
		t.Errorf("429: %d %v %q", status, body, h.Get("Retry-After"))
	}
	e.sim.Faults().Inject5xx(1)
	status, body, _ = e.call("GET", "workflows", "")
	if code, msg := errorOf(body); status != http.StatusInternalServerError || code != codeUnexpected || msg == "" {
		t.Errorf("5xx: %d %v", status, body)
	}
	e.sim.Faults().Inject429(1, 0)
	status, body, h = e.tokenRequest(Tenant, e.form(nil))
	if status != http.StatusTooManyRequests || h.Get("Retry-After") != "" || body["error"] != "temporarily_unavailable" {
		t.Errorf("token 429: %d %v", status, body)
	}
}

func TestSeedIsDeterministicAndInThePast(t *testing.T) {
	a, b := setup(t, simkit.Options{}), setup(t, simkit.Options{})
	for _, set := range []string{"workflows", "flowsessions", "flowruns", "flowmachines"} {
		_, x, _ := a.call("GET", set, "")
		_, y, _ := b.call("GET", set, "")
		xa, _ := json.Marshal(x["value"])
		ya, _ := json.Marshal(y["value"])
		if string(xa) != string(ya) {
			t.Errorf("%s differs between two simulators", set)
		}
	}
	for _, x := range a.sim.sessions {
		if !x.created.Before(start) || !x.modified.Before(start) {
			t.Errorf("session %s dated %v / %v", x.id, x.created, x.modified)
		}
	}
	for _, r := range a.sim.runs {
		if !r.start.Before(start) || !r.end.Before(start) {
			t.Errorf("run %s dated %v", r.id, r.start)
		}
	}
	got := a.sim.Seeded()
	if got.Processes != 6 || got.Jobs != 40 || got.Robots != 4 || got.Schedules != 3 {
		t.Errorf("seeded %+v", got)
	}
}

func TestRealClockRunsFinish(t *testing.T) {
	e := setup(t, simkit.Options{Clock: simkit.RealClock(), RunPending: 20 * time.Millisecond, RunDuration: 30 * time.Millisecond})
	flow := e.sim.flowsOf(categoryDesktop)[0].id
	_, body := e.start(flow, runBody())
	id := body["flowsessionId"].(string)
	deadline := time.Now().Add(2 * time.Second)
	for e.sessionRow(id)["statuscode"] != float64(statusSucceeded) {
		if time.Now().After(deadline) {
			t.Fatalf("still %v", e.sessionRow(id)["statuscode"])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
