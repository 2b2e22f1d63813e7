package powerautomate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"bureau/connector"
)

// fake is a Dataverse and token endpoint that records what it is sent and
// answers from a table of path → body.
type fake struct {
	t       *testing.T
	mu      sync.Mutex
	reqs    []*http.Request
	bodies  []string
	answers map[string]string // "GET /api/data/v9.2/workflows" → JSON
	url     string
}

const tokenPath = "/contoso.onmicrosoft.com/oauth2/v2.0/token"

func newFake(t *testing.T, answers map[string]string) *fake {
	f := &fake{t: t, answers: answers}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, r)
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	if r.URL.Path == tokenPath {
		_, _ = io.WriteString(w, `{"token_type":"Bearer","expires_in":"3599","access_token":"tok-1"}`)
		return
	}
	answer, ok := f.answers[r.Method+" "+r.URL.Path]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"code":"0x80040217","message":"not in the fake"}}`)
		return
	}
	_, _ = io.WriteString(w, strings.ReplaceAll(answer, "{{url}}", f.url))
}

// dataverse returns the recorded Dataverse requests (not the token ones).
func (f *fake) dataverse() (reqs []*http.Request, bodies []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.reqs {
		if r.URL.Path != tokenPath {
			reqs, bodies = append(reqs, r), append(bodies, f.bodies[i])
		}
	}
	return reqs, bodies
}

func (f *fake) provider(t *testing.T, settings map[string]string) *Provider {
	s := map[string]string{
		"environment_url": f.url + "/", "authority": f.url, "tenant_id": "contoso.onmicrosoft.com",
		"client_id": "app-id", "connection_name": "conn-1",
	}
	for k, v := range settings {
		s[k] = v
	}
	spec, _ := connector.Lookup("power-automate")
	p, err := connector.New("power-automate", connector.Config{
		Settings: spec.WithDefaults(s), Secrets: map[string]string{"client_secret": "s3cret-value"},
		PageSize: 3, Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*Provider)
}

func TestTokenRequestAndHeaders(t *testing.T) {
	f := newFake(t, map[string]string{"GET /api/data/v9.2/WhoAmI": `{"UserId":"u-1","BusinessUnitId":"b-1","OrganizationId":"o-1"}`})
	res, err := f.provider(t, nil).Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Details, "user u-1") || !strings.Contains(res.Details, "organization o-1") {
		t.Errorf("details %q", res.Details)
	}
	tok := f.reqs[0]
	form, _ := url.ParseQuery(f.bodies[0])
	if tok.Method != http.MethodPost || tok.URL.Path != tokenPath || tok.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("token request %s %s %s", tok.Method, tok.URL.Path, tok.Header.Get("Content-Type"))
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app-id"}, "client_secret": {"s3cret-value"},
		"scope": {f.url + "/.default"}}
	for k := range want {
		if form.Get(k) != want.Get(k) {
			t.Errorf("token form %s = %q, want %q", k, form.Get(k), want.Get(k))
		}
	}
	reqs, _ := f.dataverse()
	h := reqs[0].Header
	for k, v := range map[string]string{"Authorization": "Bearer tok-1", "Accept": "application/json",
		"OData-Version": "4.0", "OData-MaxVersion": "4.0", "Prefer": "odata.maxpagesize=3"} {
		if h.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, h.Get(k), v)
		}
	}
}

func TestListQueries(t *testing.T) {
	empty := `{"value":[]}`
	f := newFake(t, map[string]string{
		"GET /api/data/v9.2/workflows": empty, "GET /api/data/v9.2/flowsessions": empty,
		"GET /api/data/v9.2/flowruns": empty, "GET /api/data/v9.2/flowmachines": empty,
	})
	p := f.provider(t, nil)
	ctx := context.Background()
	since := time.Date(2026, 11, 2, 9, 1, 0, 500_000_000, time.UTC)
	for _, err := range []error{
		p.Processes(ctx, func([]connector.Process) error { return nil }),
		p.Jobs(ctx, since, func([]connector.Job) error { return nil }),
		p.Robots(ctx, func([]connector.Robot) error { return nil }),
		p.Schedules(ctx, func([]connector.Schedule) error { return nil }),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	reqs, _ := f.dataverse()
	want := []struct{ path, query string }{
		{"/api/data/v9.2/workflows", "$select=" + processColumns + "&$filter=category eq 6"},
		{"/api/data/v9.2/workflows", "$select=" + processColumns + "&$filter=category eq 5"},
		{"/api/data/v9.2/flowsessions", "$select=" + sessionColumns + "&$filter=modifiedon ge 2026-11-02T09:01:00Z&$orderby=createdon asc"},
		{"/api/data/v9.2/flowruns", "$select=" + runColumns + "&$filter=modifiedon ge 2026-11-02T09:01:00Z&$orderby=createdon asc"},
		{"/api/data/v9.2/flowmachines", "$select=" + machineColumns},
		{"/api/data/v9.2/workflows", "$select=workflowid,name,statecode,clientdata&$filter=category eq 5"},
	}
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		got, _ := url.QueryUnescape(reqs[i].URL.RawQuery)
		if reqs[i].URL.Path != w.path || got != w.query {
			t.Errorf("request %d: %s?%s\nwant %s?%s", i, reqs[i].URL.Path, got, w.path, w.query)
		}
		if strings.Contains(reqs[i].URL.RawQuery, "+") {
			t.Errorf("request %d encodes spaces as +: %s", i, reqs[i].URL.RawQuery)
		}
	}
}

func TestFlowsSettingLimitsTables(t *testing.T) {
	empty := `{"value":[]}`
	f := newFake(t, map[string]string{"GET /api/data/v9.2/workflows": empty, "GET /api/data/v9.2/flowsessions": empty})
	p := f.provider(t, map[string]string{"flows": "desktop"})
	ctx := context.Background()
	_ = p.Processes(ctx, func([]connector.Process) error { return nil })
	_ = p.Jobs(ctx, time.Time{}, func([]connector.Job) error { return nil })
	_ = p.Schedules(ctx, func([]connector.Schedule) error { return nil })
	reqs, _ := f.dataverse()
	if len(reqs) != 2 || reqs[0].URL.Query().Get("$filter") != "category eq 6" || reqs[1].URL.Path != "/api/data/v9.2/flowsessions" {
		t.Errorf("requests %v", reqs)
	}
	if reqs[1].URL.Query().Has("$filter") {
		t.Errorf("zero since still filters: %s", reqs[1].URL.RawQuery)
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	f := newFake(t, map[string]string{"GET /api/data/v9.2/flowmachines": `{"value":[{"flowmachineid":"m","name":"VM"}],
		"@odata.nextLink":"https://evil.example/api/data/v9.2/flowmachines?$skiptoken=x"}`})
	pages := 0
	err := f.provider(t, nil).Robots(context.Background(), func([]connector.Robot) error { pages++; return nil })
	if connector.KindOf(err) != connector.KindUnavailable || !strings.Contains(err.Error(), "evil.example") || pages != 1 {
		t.Errorf("err %v after %d pages", err, pages)
	}
}

func TestNextLinkIsFollowedVerbatim(t *testing.T) {
	f := newFake(t, map[string]string{"GET /api/data/v9.2/flowmachines": `{"value":[{"flowmachineid":"m","name":"VM"}],
		"@odata.nextLink":"{{url}}/api/data/v9.2/flowmachines2?$select=name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E"}`,
		"GET /api/data/v9.2/flowmachines2": `{"value":[{"flowmachineid":"n","name":"VM2"}]}`})
	var names []string
	err := f.provider(t, nil).Robots(context.Background(), func(rs []connector.Robot) error {
		for _, r := range rs {
			names = append(names, r.Name)
		}
		return nil
	})
	reqs, _ := f.dataverse()
	if err != nil || len(names) != 2 || reqs[1].URL.RawQuery != "$select=name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E" ||
		reqs[1].Header.Get("Prefer") != "odata.maxpagesize=3" {
		t.Errorf("err %v names %v second request %s prefer %q", err, names, reqs[len(reqs)-1].URL.RawQuery, reqs[len(reqs)-1].Header.Get("Prefer"))
	}
}

const (
	desktopFlowID = "11111111-1111-4111-8111-111111111111"
	cloudFlowID   = "22222222-2222-4222-8222-222222222222"
	sessionID     = "33333333-3333-4333-8333-333333333333"
)

func runFake(t *testing.T, withSession bool) *fake {
	answers := map[string]string{
		"GET /api/data/v9.2/workflows(" + desktopFlowID + ")":                                        `{"workflowid":"` + desktopFlowID + `","name":"Invoice entry","category":6}`,
		"GET /api/data/v9.2/workflows(" + cloudFlowID + ")":                                          `{"workflowid":"` + cloudFlowID + `","name":"Daily report","category":5}`,
		"POST /api/data/v9.2/workflows(" + desktopFlowID + ")/Microsoft.Dynamics.CRM.RunDesktopFlow": `{"flowsessionId":"` + sessionID + `"}`,
	}
	if withSession {
		answers["GET /api/data/v9.2/flowsessions("+sessionID+")"] = `{"flowsessionid":"` + sessionID + `","statuscode":3,
			"createdon":"2026-11-02T09:00:00Z","_regardingobjectid_value":"` + desktopFlowID + `","triggertype":3}`
	}
	return newFake(t, answers)
}

func TestStartRunBody(t *testing.T) {
	f := runFake(t, true)
	job, err := f.provider(t, map[string]string{"run_mode": "attended", "connection_type": "connection_reference"}).
		StartRun(context.Background(), desktopFlowID, connector.RunInput{Arguments: map[string]any{"Invoice": "INV-1", "Amount": 12.5}})
	if err != nil {
		t.Fatal(err)
	}
	if job.Ref != "session:"+sessionID || job.State != connector.StatePending || job.RawState != "Waiting" || job.ProcessName != "Invoice entry" {
		t.Errorf("job %+v", job)
	}
	reqs, bodies := f.dataverse()
	if reqs[1].Method != http.MethodPost {
		t.Fatalf("second request %s %s", reqs[1].Method, reqs[1].URL.Path)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(bodies[1]), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"runMode": "attended", "runPriority": "normal", "connectionName": "conn-1",
		"connectionType": 2.0, "timeout": 7200.0, "inputs": `{"Amount":12.5,"Invoice":"INV-1"}`}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body %s = %#v, want %#v", k, body[k], v)
		}
	}
}

func TestStartRunRefusals(t *testing.T) {
	f := runFake(t, true)
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		settings map[string]string
		ref      string
		in       connector.RunInput
		kind     connector.Kind
	}{
		{"cloud flow", nil, cloudFlowID, connector.RunInput{}, connector.KindInvalid},
		{"pinned robot", nil, desktopFlowID, connector.RunInput{RobotRef: "m"}, connector.KindInvalid},
		{"no connection", map[string]string{"connection_name": ""}, desktopFlowID, connector.RunInput{}, connector.KindConfig},
		{"not a guid", nil, "1)/../WhoAmI", connector.RunInput{}, connector.KindNotFound},
	} {
		_, err := f.provider(t, c.settings).StartRun(ctx, c.ref, c.in)
		if connector.KindOf(err) != c.kind {
			t.Errorf("%s: %v, want %s", c.name, err, c.kind)
		}
	}
	reqs, _ := f.dataverse()
	for _, r := range reqs {
		if r.Method == http.MethodPost {
			t.Errorf("a refused start reached RunDesktopFlow: %s", r.URL.Path)
		}
	}
}

func TestStartRunReportsAQueuedRunItCannotReadBack(t *testing.T) {
	f := runFake(t, false)
	job, err := f.provider(t, nil).StartRun(context.Background(), desktopFlowID, connector.RunInput{})
	if err != nil || job.Ref != "session:"+sessionID || job.State != connector.StatePending {
		t.Errorf("job %+v err %v", job, err)
	}
}

func TestJobRefs(t *testing.T) {
	f := newFake(t, map[string]string{"GET /api/data/v9.2/flowruns(" + sessionID + ")": `{"flowrunid":"` + sessionID + `",
		"status":"Failed","starttime":"2026-11-02T08:00:00Z","endtime":"2026-11-02T08:01:00Z","_workflow_value":"` + cloudFlowID + `",
		"workflowname":"Daily report","triggertype":"Scheduled","errorcode":"ActionFailed","errormessage":"An action failed."}`})
	p := f.provider(t, nil)
	job, err := p.Job(context.Background(), "run:"+sessionID)
	if err != nil || job.State != connector.StateFaulted || job.ProcessRef != cloudFlowID || job.ProcessName != "Daily report" ||
		job.Trigger != "scheduled" || job.Error != "ActionFailed: An action failed." || job.CreatedAt.IsZero() {
		t.Errorf("job %+v err %v", job, err)
	}
	_, err = p.Job(context.Background(), "session:"+sessionID)
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != connector.KindNotFound || ce.Code != "0x80040217" {
		t.Errorf("missing session: %v", err)
	}
	n := len(f.reqs)
	for _, ref := range []string{"", "session:", "session:not-a-guid", "job:" + sessionID, "run:" + sessionID + ")/../x"} {
		if _, err := p.Job(context.Background(), ref); connector.KindOf(err) != connector.KindNotFound {
			t.Errorf("ref %q: %v", ref, err)
		}
	}
	if len(f.reqs) != n {
		t.Errorf("malformed refs were sent to Dataverse")
	}
}

func TestTenantMustNotReshapeTheTokenURL(t *testing.T) {
	spec, _ := connector.Lookup("power-automate")
	_, err := connector.New("power-automate", connector.Config{
		Settings: spec.WithDefaults(map[string]string{"environment_url": "https://org.crm.dynamics.com",
			"tenant_id": "evil/../x", "client_id": "a"}),
		Secrets: map[string]string{"client_secret": "s"},
	})
	if connector.KindOf(err) != connector.KindConfig {
		t.Errorf("err %v", err)
	}
}
