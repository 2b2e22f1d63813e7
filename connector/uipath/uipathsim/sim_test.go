package uipathsim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"bureau/connector/contract"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
)

const cloudBase = "/" + uipathsim.Organization + "/" + uipathsim.CloudTenant + "/orchestrator_/"

// client talks to a simulator in-process, as a test would with curl.
type client struct {
	t     testing.TB
	sim   *uipathsim.Sim
	base  string
	token string
}

func newCloud(t *testing.T) *client {
	sim := uipathsim.NewCloud(simkit.Options{Clock: simkit.NewClock(contract.Start)})
	c := &client{t: t, sim: sim, base: cloudBase}
	c.token = c.tokenFor("/identity_/connect/token", "")
	return c
}

func newOnPrem(t *testing.T) *client {
	sim := uipathsim.NewOnPrem(simkit.Options{Clock: simkit.NewClock(contract.Start)})
	c := &client{t: t, sim: sim, base: "/"}
	c.token = c.tokenFor("/identity/connect/token", "")
	return c
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return m
}

func (a answer) values(t testing.TB) []map[string]any {
	t.Helper()
	var env struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(a.body, &env); err != nil || a.status/100 != 2 {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return env.Value
}

func (c *client) do(method, path string, header map[string]string, body string) answer {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if _, ok := header["Authorization"]; !ok && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.sim.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// get calls an OData path in folder 1001 (Shared) unless header says otherwise.
func (c *client) get(path string, header map[string]string) answer {
	c.t.Helper()
	h := map[string]string{"X-UIPATH-OrganizationUnitId": "1001"}
	for k, v := range header {
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	return c.do(http.MethodGet, c.base+path, h, "")
}

func (c *client) tokenFor(path, scope string) string {
	c.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {uipathsim.ClientID}, "client_secret": {uipathsim.ClientSecret}}
	if scope != "" {
		form.Set("scope", scope)
	}
	a := c.do(http.MethodPost, path, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Authorization": ""}, form.Encode())
	if a.status != http.StatusOK {
		c.t.Fatalf("token: %d %s", a.status, a.body)
	}
	return a.json(c.t)["access_token"].(string)
}

func TestTokenRefusals(t *testing.T) {
	c := newCloud(t)
	form := func(kv ...string) string {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {uipathsim.ClientID}, "client_secret": {uipathsim.ClientSecret}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	formType := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	tests := []struct {
		name, contentType, body, want string
	}{
		{"wrong secret", formType["Content-Type"], form("client_secret", "nope"), "invalid_client"},
		{"unknown client", formType["Content-Type"], form("client_id", "someone-else"), "invalid_client"},
		{"password grant", formType["Content-Type"], form("grant_type", "password"), "unsupported_grant_type"},
		{"scope not granted", formType["Content-Type"], form("scope", "OR.Jobs OR.Administration"), "invalid_scope"},
		{"JSON instead of a form", "application/json", `{"grant_type":"client_credentials"}`, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.do(http.MethodPost, "/identity_/connect/token", map[string]string{"Content-Type": tt.contentType}, tt.body)
			if a.status != http.StatusBadRequest || a.json(t)["error"] != tt.want {
				t.Errorf("%d %s, want 400 %s", a.status, a.body, tt.want)
			}
		})
	}
}

func TestUnauthenticatedCallsGetTheABPBody(t *testing.T) {
	c := newCloud(t)
	for name, token := range map[string]string{"no token": "", "garbage": "Bearer 0123"} {
		a := c.do(http.MethodGet, cloudBase+"odata/Folders", map[string]string{"Authorization": token}, "")
		if a.status != http.StatusUnauthorized || a.json(t)["message"] != "You are not authenticated!" {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	c.sim.Clock().Advance(time.Hour)
	if a := c.get("odata/Folders", nil); a.status != http.StatusUnauthorized {
		t.Errorf("expired token: %d %s", a.status, a.body)
	}
}

func TestScopesAreCheckedPerEndpoint(t *testing.T) {
	c := newCloud(t)
	c.token = c.tokenFor("/identity_/connect/token", "OR.Folders.Read OR.Jobs.Read")
	if a := c.get("odata/Jobs", nil); a.status != http.StatusOK {
		t.Errorf("jobs with OR.Jobs.Read: %d %s", a.status, a.body)
	}
	for _, path := range []string{"odata/Releases", "odata/Sessions"} {
		if a := c.get(path, nil); a.status != http.StatusForbidden {
			t.Errorf("%s without its scope: %d %s", path, a.status, a.body)
		}
	}
	start := c.do(http.MethodPost, cloudBase+"odata/Jobs/UiPath.Server.Configuration.OData.StartJobs",
		map[string]string{"X-UIPATH-OrganizationUnitId": "1001", "Content-Type": "application/json"}, `{"startInfo":{}}`)
	if start.status != http.StatusForbidden {
		t.Errorf("StartJobs with OR.Jobs.Read only: %d %s", start.status, start.body)
	}
}

func TestCloudPathNamesOrganizationAndTenant(t *testing.T) {
	c := newCloud(t)
	a := c.do(http.MethodGet, "/someone-else/DefaultTenant/orchestrator_/odata/Folders", nil, "")
	if a.status != http.StatusNotFound {
		t.Errorf("unknown organization: %d %s", a.status, a.body)
	}
	if a := c.do(http.MethodGet, "/odata/Folders", nil, ""); a.status != http.StatusNotFound {
		t.Errorf("on-prem path on the cloud: %d %s", a.status, a.body)
	}
}

func TestFolderHeaders(t *testing.T) {
	c := newCloud(t)
	var want []any
	for _, r := range c.get("odata/Releases", map[string]string{"X-UIPATH-OrganizationUnitId": "1003"}).values(t) {
		want = append(want, r["Id"])
	}
	if len(want) == 0 {
		t.Fatal("no releases in Finance/Invoices")
	}
	forms := map[string]string{
		"X-UIPATH-FolderKey":          "5f01d3e0-0000-4000-8000-0000000003eb",
		"X-UIPATH-FolderPath":         "Finance/Invoices",
		"X-UIPATH-FolderPath-Encoded": uipathsim.EncodeFolderPath("Finance/Invoices"),
	}
	for name, v := range forms {
		var got []any
		for _, r := range c.get("odata/Releases", map[string]string{"X-UIPATH-OrganizationUnitId": "", name: v}).values(t) {
			got = append(got, r["Id"])
		}
		if len(got) != len(want) || got[0] != want[0] {
			t.Errorf("%s: releases %v, want %v", name, got, want)
		}
	}
	missing := c.get("odata/Jobs", map[string]string{"X-UIPATH-OrganizationUnitId": ""})
	if missing.status != http.StatusBadRequest || missing.json(t)["errorCode"] != 1101.0 {
		t.Errorf("no folder header: %d %s", missing.status, missing.body)
	}
	unknown := c.get("odata/Jobs", map[string]string{"X-UIPATH-OrganizationUnitId": "42"})
	if unknown.status != http.StatusBadRequest || unknown.json(t)["errorCode"] != 1100.0 {
		t.Errorf("unknown folder: %d %s", unknown.status, unknown.body)
	}
	if a := c.get("odata/Folders", map[string]string{"X-UIPATH-OrganizationUnitId": ""}); a.status != http.StatusOK {
		t.Errorf("folders need no folder: %d %s", a.status, a.body)
	}
}

func TestJobsArePartitionedByFolder(t *testing.T) {
	c := newCloud(t)
	total, seen := 0, map[any]string{}
	for _, f := range []string{"1001", "1002", "1003"} {
		for _, j := range c.get("odata/Jobs", map[string]string{"X-UIPATH-OrganizationUnitId": f}).values(t) {
			if seen[j["Id"]] != "" {
				t.Errorf("job %v in folders %s and %s", j["Id"], seen[j["Id"]], f)
			}
			seen[j["Id"]] = f
			total++
		}
	}
	if total != c.sim.Seeded().Jobs {
		t.Errorf("%d jobs across folders, want %d", total, c.sim.Seeded().Jobs)
	}
	for id, f := range seen {
		other := map[string]string{"1001": "1002", "1002": "1003", "1003": "1001"}[f]
		path := "odata/Jobs(" + jsonNumber(id) + ")"
		if a := c.get(path, map[string]string{"X-UIPATH-OrganizationUnitId": f}); a.status != http.StatusOK {
			t.Errorf("job %v in its folder: %d", id, a.status)
		}
		if a := c.get(path, map[string]string{"X-UIPATH-OrganizationUnitId": other}); a.status != http.StatusNotFound {
			t.Errorf("job %v in another folder: %d", id, a.status)
		}
		break
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestODataQueryOptions(t *testing.T) {
	c := newCloud(t)
	all := c.get("odata/Jobs?$orderby=Id", nil).values(t)
	if len(all) < 5 {
		t.Fatalf("only %d jobs in Shared", len(all))
	}
	mid := all[len(all)/2]
	tests := []struct {
		name, query string
		want        func(j map[string]any) bool
	}{
		{"state eq", "$filter=State eq 'Faulted'", func(j map[string]any) bool { return j["State"] == "Faulted" }},
		{"typed enum", "$filter=State eq UiPath.Core.Enums.JobState'Successful'", func(j map[string]any) bool { return j["State"] == "Successful" }},
		{"ne and", "$filter=State ne 'Faulted' and ReleaseName eq '" + mid["ReleaseName"].(string) + "'", func(j map[string]any) bool {
			return j["State"] != "Faulted" && j["ReleaseName"] == mid["ReleaseName"]
		}},
		{"time ge", "$filter=CreationTime ge " + mid["CreationTime"].(string), func(j map[string]any) bool {
			return j["CreationTime"].(string) >= mid["CreationTime"].(string)
		}},
		{"or with parentheses", "$filter=(Id lt " + jsonNumber(all[1]["Id"]) + ") or (Id gt " + jsonNumber(all[len(all)-2]["Id"]) + ")", func(j map[string]any) bool {
			return j["Id"] == all[0]["Id"] || j["Id"] == all[len(all)-1]["Id"]
		}},
		{"null end time", "$filter=EndTime eq null", func(j map[string]any) bool { return j["EndTime"] == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.get("odata/Jobs?"+escape(tt.query), nil).values(t)
			n := 0
			for _, j := range all {
				if tt.want(j) {
					n++
				}
			}
			if len(got) != n {
				t.Errorf("%d jobs, want %d", len(got), n)
			}
			for _, j := range got {
				if !tt.want(j) {
					t.Errorf("job %v should not match", j["Id"])
				}
			}
		})
	}
}

func escape(q string) string { return strings.ReplaceAll(q, " ", "%20") }

func TestODataPagingSelectExpand(t *testing.T) {
	c := newCloud(t)
	page := c.get("odata/Jobs?$top=2&$skip=3&$count=true&$orderby=CreationTime%20desc&$select=Id,State&$expand=Robot", nil)
	env := page.json(t)
	values := env["value"].([]any)
	if len(values) != 2 || env["@odata.count"] == nil || !strings.HasSuffix(env["@odata.context"].(string), "$metadata#Jobs") {
		t.Fatalf("page: %s", page.body)
	}
	first := values[0].(map[string]any)
	for k := range first {
		if k != "Id" && k != "State" && k != "Robot" {
			t.Errorf("$select kept %s", k)
		}
	}
	all := c.get("odata/Jobs?$orderby=CreationTime%20desc", nil).values(t)
	if first["Id"] != all[3]["Id"] {
		t.Errorf("desc order with skip 3: %v, want %v", first["Id"], all[3]["Id"])
	}
	if got := c.get("odata/Jobs?$skip=100000", nil).values(t); len(got) != 0 {
		t.Errorf("skip past the end: %d jobs", len(got))
	}
}

func TestODataRefusesWhatOrchestratorRefuses(t *testing.T) {
	c := newCloud(t)
	for name, q := range map[string]string{
		"top over 1000":        "$top=1001",
		"unknown property":     "$filter=Colour eq 'blue'",
		"quoted date":          "$filter=CreationTime ge '2026-01-01T00:00:00Z'",
		"bad syntax":           "$filter=CreationTime gte 2026-01-01T00:00:00Z",
		"unbalanced":           "$filter=(State eq 'Faulted'",
		"function":             "$filter=contains(ReleaseName,'Invoice')",
		"unknown orderby":      "$orderby=Colour",
		"unknown expand":       "$expand=Colour",
		"unknown query option": "$search=invoice",
		"negative skip":        "$skip=-1",
	} {
		a := c.get("odata/Jobs?"+escape(q), nil)
		if a.status != http.StatusBadRequest || a.json(t)["message"] == "" {
			t.Errorf("%s: %d %s, want 400 with a message", name, a.status, a.body)
		}
	}
}

func TestStartedRunLifecycle(t *testing.T) {
	c := newCloud(t)
	rel := c.get("odata/Releases", nil).values(t)[0]
	body := `{"startInfo":{"ReleaseKey":"` + rel["Key"].(string) + `","Strategy":"ModernJobsCount","JobsCount":1,"Source":"Manual","InputArguments":"{\"in_X\":1}"}}`
	a := c.do(http.MethodPost, cloudBase+"odata/Jobs/UiPath.Server.Configuration.OData.StartJobs",
		map[string]string{"X-UIPATH-OrganizationUnitId": "1001", "Content-Type": "application/json"}, body)
	if a.status != http.StatusCreated {
		t.Fatalf("StartJobs: %d %s", a.status, a.body)
	}
	job := a.values(t)[0]
	if job["State"] != "Pending" || job["HostMachineName"] != nil || job["InputArguments"] != `{"in_X":1}` {
		t.Errorf("started job: %v", job)
	}
	path := "odata/Jobs(" + jsonNumber(job["Id"]) + ")?$expand=Robot"
	steps := []struct {
		after time.Duration
		state string
	}{{6 * time.Second, "Running"}, {time.Minute, "Successful"}}
	for _, st := range steps {
		c.sim.Clock().Advance(st.after)
		got := c.get(path, nil).json(t)
		if got["State"] != st.state {
			t.Errorf("after %v: %v, want %s", st.after, got["State"], st.state)
		}
		if st.state == "Running" {
			if got["Robot"] == nil || !hasBusySession(c) {
				t.Errorf("a running job holds a robot: %v", got)
			}
		}
	}
}

func hasBusySession(c *client) bool {
	for _, f := range []string{"1001", "1002", "1003"} {
		for _, s := range c.get("odata/Sessions", map[string]string{"X-UIPATH-OrganizationUnitId": f}).values(c.t) {
			if s["State"] == "Busy" {
				return true
			}
		}
	}
	return false
}

func TestStopJob(t *testing.T) {
	c := newCloud(t)
	start := func() string {
		rel := c.get("odata/Releases", nil).values(t)[0]
		a := c.do(http.MethodPost, cloudBase+"odata/Jobs/UiPath.Server.Configuration.OData.StartJobs",
			map[string]string{"X-UIPATH-OrganizationUnitId": "1001"}, `{"startInfo":{"ReleaseKey":"`+rel["Key"].(string)+`","Strategy":"ModernJobsCount","JobsCount":1}}`)
		return jsonNumber(a.values(t)[0]["Id"])
	}
	stop := func(id, strategy string) int {
		return c.do(http.MethodPost, cloudBase+"odata/Jobs("+id+")/UiPath.Server.Configuration.OData.StopJob",
			map[string]string{"X-UIPATH-OrganizationUnitId": "1001"}, `{"strategy":"`+strategy+`"}`).status
	}
	state := func(id string) string { return c.get("odata/Jobs("+id+")", nil).json(t)["State"].(string) }

	pending := start()
	if s := stop(pending, "SoftStop"); s != http.StatusOK || state(pending) != "Stopped" {
		t.Errorf("stopping a pending job: %d, %s", s, state(pending))
	}
	running := start()
	c.sim.Clock().Advance(10 * time.Second)
	stop(running, "SoftStop")
	if got := state(running); got != "Stopping" {
		t.Errorf("soft-stopped running job: %s, want Stopping", got)
	}
	c.sim.Clock().Advance(10 * time.Second)
	if got := state(running); got != "Stopped" {
		t.Errorf("after the grace period: %s, want Stopped", got)
	}
	if s := stop(running, "Kill"); s != http.StatusBadRequest {
		t.Errorf("stopping a stopped job: %d, want 400", s)
	}
}

func TestStartJobsRefusals(t *testing.T) {
	c := newCloud(t)
	key := c.get("odata/Releases", nil).values(t)[0]["Key"].(string)
	other := c.get("odata/Releases", map[string]string{"X-UIPATH-OrganizationUnitId": "1002"}).values(t)[0]["Key"].(string)
	for name, tc := range map[string]struct {
		body string
		want int
	}{
		"release of another folder": {`{"startInfo":{"ReleaseKey":"` + other + `","Strategy":"ModernJobsCount","JobsCount":1}}`, http.StatusNotFound},
		"no strategy":               {`{"startInfo":{"ReleaseKey":"` + key + `"}}`, http.StatusBadRequest},
		"no jobs":                   {`{"startInfo":{"ReleaseKey":"` + key + `","Strategy":"ModernJobsCount","JobsCount":0}}`, http.StatusBadRequest},
		"unknown robot":             {`{"startInfo":{"ReleaseKey":"` + key + `","Strategy":"Specific","RobotIds":[9]}}`, http.StatusBadRequest},
		"arguments not JSON":        {`{"startInfo":{"ReleaseKey":"` + key + `","Strategy":"ModernJobsCount","JobsCount":1,"InputArguments":"x=1"}}`, http.StatusBadRequest},
		"no startInfo":              {`{}`, http.StatusBadRequest},
	} {
		a := c.do(http.MethodPost, cloudBase+"odata/Jobs/UiPath.Server.Configuration.OData.StartJobs",
			map[string]string{"X-UIPATH-OrganizationUnitId": "1001"}, tc.body)
		if a.status != tc.want {
			t.Errorf("%s: %d %s, want %d", name, a.status, a.body, tc.want)
		}
	}
}

func TestSeededJobs(t *testing.T) {
	c := newCloud(t)
	now := c.sim.Clock().Now()
	states := map[string]int{}
	for _, f := range []string{"1001", "1002", "1003"} {
		for _, j := range c.get("odata/Jobs", map[string]string{"X-UIPATH-OrganizationUnitId": f}).values(t) {
			states[j["State"].(string)]++
			created, _ := time.Parse(time.RFC3339, j["CreationTime"].(string))
			if !created.Before(now) {
				t.Errorf("job %v created %v, not before %v", j["Id"], created, now)
			}
			if j["State"] == "Faulted" && (j["Info"] == "" || j["JobError"] == nil) {
				t.Errorf("faulted job %v without its error", j["Id"])
			}
		}
	}
	if states["Successful"] == 0 || states["Faulted"] == 0 {
		t.Errorf("states %v, want successes and faults", states)
	}
	again := newCloud(t)
	if a, b := c.get("odata/Jobs", nil).body, again.get("odata/Jobs", nil).body; string(a) != string(b) {
		t.Error("seeding is not deterministic")
	}
}

func TestOnPremSpeaksAPIVersion16(t *testing.T) {
	c := newOnPrem(t)
	j := c.get("odata/Jobs?$filter="+escape("State eq 'Faulted'"), nil).values(t)[0]
	if _, ok := j["LastModificationTime"]; ok {
		t.Error("v16 jobs have no LastModificationTime")
	}
	if _, ok := j["JobError"]; ok || j["Info"] == "" {
		t.Errorf("v16 faulted job: JobError %v, Info %v", j["JobError"], j["Info"])
	}
	a := c.get("odata/Jobs?$filter="+escape("LastModificationTime ge 2026-01-01T00:00:00Z"), nil)
	if a.status != http.StatusBadRequest || !strings.Contains(a.json(t)["message"].(string), "LastModificationTime") {
		t.Errorf("filter on LastModificationTime: %d %s", a.status, a.body)
	}
	if a := c.get("odata/Folders", map[string]string{"X-UIPATH-TenantName": "Other"}); a.status != http.StatusBadRequest {
		t.Errorf("another tenant: %d %s", a.status, a.body)
	}
	if a := c.get("odata/Folders", map[string]string{"X-UIPATH-TenantName": "default"}); a.status != http.StatusOK {
		t.Errorf("own tenant, any case: %d %s", a.status, a.body)
	}
}

func TestAuthenticate(t *testing.T) {
	c := newOnPrem(t)
	login := func(tenant, user, password string) answer {
		body, _ := json.Marshal(map[string]string{"tenancyName": tenant, "usernameOrEmailAddress": user, "password": password})
		return c.do(http.MethodPost, "/api/Account/Authenticate", map[string]string{"Content-Type": "application/json", "Authorization": ""}, string(body))
	}
	for name, a := range map[string]answer{
		"wrong password": login("Default", uipathsim.Username, "nope"),
		"wrong tenant":   login("Other", uipathsim.Username, uipathsim.Password),
	} {
		m := a.json(t)
		if a.status != http.StatusBadRequest || m["success"] != false || m["errorCode"] != 1000.0 {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	ok := login("Default", uipathsim.Username, uipathsim.Password).json(t)
	c.token = ok["result"].(string)
	if a := c.get("odata/Jobs", nil); a.status != http.StatusOK {
		t.Fatalf("with the Authenticate token: %d %s", a.status, a.body)
	}
	c.sim.Clock().Advance(30 * time.Minute)
	if a := c.get("odata/Jobs", nil); a.status != http.StatusUnauthorized {
		t.Errorf("after 30 minutes: %d, want 401", a.status)
	}
}

func TestFaultsUseTheVendorShape(t *testing.T) {
	c := newCloud(t)
	c.sim.Faults().Inject429(1, 7*time.Second)
	a := c.get("odata/Folders", nil)
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "7" || a.json(t)["message"] == "" {
		t.Errorf("429: %d %v %s", a.status, a.header, a.body)
	}
	c.sim.Faults().Inject5xx(1)
	if a := c.get("odata/Folders", nil); a.status != http.StatusInternalServerError || a.json(t)["message"] == "" {
		t.Errorf("5xx: %d %s", a.status, a.body)
	}
}

// TestScaleListsEveryJob pages through 100,000 scaled jobs in pages of
// 1000, and through the jobs since a watermark: every job once, the recent
// ones only. (How fast is BenchmarkPage100kJobs's business, in syncer.)
func TestScaleListsEveryJob(t *testing.T) {
	c := newCloud(t)
	c.sim.Scale(100_000)
	total := 0
	for _, f := range []string{"1001", "1002", "1003"} {
		total += pageAll(c, f, "")
	}
	if total != 100_000 {
		t.Errorf("%d jobs listed, want 100000", total)
	}
	since := c.sim.Clock().Now().Add(-24 * time.Hour).Format(time.RFC3339)
	recent := 0
	for _, f := range []string{"1001", "1002", "1003"} {
		recent += pageAll(c, f, "(CreationTime ge "+since+") or (LastModificationTime ge "+since+")")
	}
	if recent == 0 || recent > 100_000/10 {
		t.Errorf("%d jobs in the last day of two weeks", recent)
	}
}

func pageAll(c *client, folder, filter string) int {
	n := 0
	for skip := 0; ; skip += 1000 {
		q := "odata/Jobs?$top=1000&$count=true&$orderby=Id%20asc&$skip=" + jsonNumber(skip)
		if filter != "" {
			q += "&$filter=" + url.QueryEscape(filter)
		}
		var page struct {
			Value []struct {
				ID int64 `json:"Id"`
			} `json:"value"`
		}
		must(c.t.(*testing.T), json.Unmarshal(c.get(q, map[string]string{"X-UIPATH-OrganizationUnitId": folder}).body, &page))
		got := len(page.Value)
		n += got
		if got < 1000 {
			return n
		}
	}
}

func BenchmarkListJobsPage(b *testing.B) {
	sim := uipathsim.NewCloud(simkit.Options{Clock: simkit.NewClock(contract.Start)})
	sim.Scale(100_000)
	c := &client{t: b, sim: sim, base: cloudBase}
	c.token = c.tokenFor("/identity_/connect/token", "")
	since := contract.Start.Add(-24 * time.Hour).Format(time.RFC3339)
	q := "odata/Jobs?$top=1000&$skip=1000&$count=true&$filter=" + url.QueryEscape("(CreationTime ge "+since+") or (LastModificationTime ge "+since+")")
	b.ResetTimer()
	for range b.N {
		c.get(q, nil)
	}
}
