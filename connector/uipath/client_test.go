package uipath

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bureau/connector"
)

func TestStates(t *testing.T) {
	want := map[string]connector.State{
		"Pending": connector.StatePending, "Running": connector.StateRunning, "Stopping": connector.StateRunning,
		"Terminating": connector.StateRunning, "Resumed": connector.StateRunning, "Successful": connector.StateSuccessful,
		"Faulted": connector.StateFaulted, "Stopped": connector.StateStopped, "Suspended": connector.StateSuspended,
		"SomethingNew": connector.StateRunning,
	}
	for raw, st := range want {
		if got := States.Normalise(raw); got != st {
			t.Errorf("%s → %s, want %s", raw, got, st)
		}
	}
}

func TestJobFilter(t *testing.T) {
	since := time.Date(2026, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("CET", 3600))
	tests := []struct {
		modTime bool
		want    string
	}{
		{true, "(CreationTime ge 2026-03-04T04:06:07.891Z) or (LastModificationTime ge 2026-03-04T04:06:07.891Z)"},
		{false, "(CreationTime ge 2026-03-04T04:06:07.891Z) or (StartTime ge 2026-03-04T04:06:07.891Z) or (EndTime ge 2026-03-04T04:06:07.891Z)"},
	}
	for _, tt := range tests {
		if got := jobFilter(since, tt.modTime); got != tt.want {
			t.Errorf("jobFilter(modTime=%v) = %s\nwant %s", tt.modTime, got, tt.want)
		}
	}
	if got := jobFilter(time.Time{}, true); got != "" {
		t.Errorf("zero since: %q, want no filter", got)
	}
}

func TestEncodeQuery(t *testing.T) {
	q := url.Values{"$filter": {"State eq 'Faulted' and Id gt 5"}, "$top": {"1000"}, "$expand": {"Robot,Release"}}
	want := "$expand=Robot%2CRelease&$filter=State%20eq%20%27Faulted%27%20and%20Id%20gt%205&$top=1000"
	if got := encodeQuery(q); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSettingsPerDeployment(t *testing.T) {
	tests := []struct {
		name                         string
		set                          settings
		base, tokenURL, tenantHeader string
	}{
		{"cloud", cloudSettings(connector.Config{Settings: map[string]string{"url": "https://cloud.uipath.com/", "organization": "contoso", "tenant": "Prod"}}),
			"https://cloud.uipath.com/contoso/Prod/orchestrator_/", "https://cloud.uipath.com/identity_/connect/token", ""},
		{"standalone", onPremSettings(connector.Config{Settings: map[string]string{"url": "https://orch.contoso.com", "deployment": "standalone", "tenant": "Finance"}}),
			"https://orch.contoso.com/", "https://orch.contoso.com/identity/connect/token", "Finance"},
		{"automation suite", onPremSettings(connector.Config{Settings: map[string]string{"url": "https://suite.contoso.com", "deployment": "automation-suite", "organization": "contoso", "tenant": "Default"}}),
			"https://suite.contoso.com/contoso/Default/orchestrator_/", "https://suite.contoso.com/identity_/connect/token", ""},
	}
	for _, tt := range tests {
		if tt.set.base != tt.base || tt.set.tokenURL != tt.tokenURL || tt.set.tenantHeader != tt.tenantHeader {
			t.Errorf("%s: base %s token %s tenant header %q", tt.name, tt.set.base, tt.set.tokenURL, tt.set.tenantHeader)
		}
	}
	if got := folderList(" Finance/ , ,/Shared/HR"); strings.Join(got, "|") != "Finance|Shared/HR" {
		t.Errorf("folders %q", got)
	}
}

func TestWantedFolders(t *testing.T) {
	c := &client{set: settings{folders: []string{"Finance", "Shared/HR"}}}
	for path, want := range map[string]bool{
		"Finance": true, "finance/Invoices": true, "FinanceOld": false, "Shared": false, "Shared/HR": true, "Shared/HR/Payroll": true,
	} {
		if got := c.wanted(path); got != want {
			t.Errorf("wanted(%q) = %v", path, got)
		}
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		name, op string
		status   int
		body     string
		kind     connector.Kind
		message  string
		code     string
	}{
		{"oauth invalid_client", opToken, 400, `{"error":"invalid_client"}`, connector.KindAuth, "invalid_client", "invalid_client"},
		{"oauth with description", opToken, 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`,
			connector.KindAuth, "Client authentication failed", "invalid_client"},
		{"oauth scope", opToken, 400, `{"error":"invalid_scope"}`, connector.KindForbidden, "invalid_scope", "invalid_scope"},
		{"ErrorResult camelCase", "read job", 404, `{"message":"Job does not exist.","errorCode":1002,"traceId":"00-ab-cd-00"}`,
			connector.KindNotFound, "Job does not exist. (trace ID 00-ab-cd-00)", "1002"},
		{"ErrorResult PascalCase", "list jobs", 400, `{"Message":"Invalid OData query options.","ErrorCode":1000}`,
			connector.KindInvalid, "Invalid OData query options.", "1000"},
		{"folder gone", "list jobs", 400, `{"message":"Folder does not exist or the user does not have access to the folder.","errorCode":1100}`,
			connector.KindNotFound, "Folder does not exist or the user does not have access to the folder.", "1100"},
		{"ABP 401", "list jobs", 401, `{"message":"You are not authenticated!","errorCode":0,"result":null,"success":false,"error":{"code":0,"message":"You are not authenticated!","details":"You should be authenticated"},"__abp":true}`,
			connector.KindAuth, "You are not authenticated!", ""},
		{"ABP sign-in refused", opSignIn, 400, `{"result":null,"success":false,"error":{"code":1000,"message":"Invalid credentials, failed to login."},"__abp":true}`,
			connector.KindAuth, "Invalid credentials, failed to login.", ""},
		{"rate limited", "list jobs", 429, `{"message":"Too many requests","errorCode":0}`, connector.KindRateLimited, "Too many requests", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			e := parseError(tt.op, resp, []byte(tt.body))
			if e == nil || e.Kind != tt.kind || e.Message != tt.message || e.Code != tt.code || e.Status != tt.status {
				t.Errorf("got %+v\nwant kind %s message %q code %q", e, tt.kind, tt.message, tt.code)
			}
		})
	}
	if e := parseError("list jobs", &http.Response{StatusCode: 502}, []byte("<html>Bad gateway</html>")); e != nil {
		t.Errorf("HTML body: %+v, want nil so the Caller shows the text", e)
	}
}

// A job as the real server writes it: nulls, and an older server's time
// without a zone.
const realJob = `{"Key":"1c7222dc-416f-4c60-9b17-88262c91768f","StartTime":"2018-01-15T18:18:02.79Z","EndTime":null,
"State":"Faulted","Source":"Schedule: nightly","SourceType":"Schedule","Info":"Could not find the UI element.",
"CreationTime":"2018-01-15T18:18:01.623","LastModificationTime":null,"StartingScheduleId":null,"ReleaseName":"Invoices",
"Robot":{"Id":7,"Name":"bot-7"},"Release":{"Id":42,"Name":"Invoices"},"JobError":null,"Id":125161}`

func TestJobMapping(t *testing.T) {
	var d jobDTO
	if err := json.Unmarshal([]byte(realJob), &d); err != nil {
		t.Fatal(err)
	}
	j := d.job(json.RawMessage(realJob))
	created := time.Date(2018, 1, 15, 18, 18, 1, 623_000_000, time.UTC)
	if j.Ref != "125161" || j.ProcessRef != "42" || j.ProcessName != "Invoices" || j.RobotRef != "7" || j.RobotName != "bot-7" ||
		j.State != connector.StateFaulted || j.RawState != "Faulted" || !j.CreatedAt.Equal(created) || j.EndedAt != nil ||
		j.StartedAt == nil || j.Trigger != "schedule" || j.Error != "Could not find the UI element." || !j.UpdatedAt.Equal(*j.StartedAt) {
		t.Errorf("%+v", j)
	}
	d.JobError = &struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}{Title: "Selector not found", Detail: "UiPath.Core.SelectorNotFoundException: …"}
	if got := d.job(nil).Error; got != "UiPath.Core.SelectorNotFoundException: …" {
		t.Errorf("JobError detail first: %q", got)
	}
	d.State, d.Release = "Successful", nil
	if got := d.job(nil); got.Error != "" || got.ProcessRef != "Invoices" {
		t.Errorf("successful job without expanded release: %+v", got)
	}
}

func TestSessionMapping(t *testing.T) {
	tests := []struct {
		body   string
		ref    string
		status connector.RobotStatus
	}{
		{`{"Id":3,"State":"Busy","Robot":{"Id":9,"Name":"bot-9"},"HostMachineName":"VM1"}`, "9", connector.RobotBusy},
		{`{"Id":3,"State":"Available","IsUnresponsive":true,"Robot":{"Id":9,"Name":"bot-9"}}`, "9", connector.RobotOffline},
		{`{"Id":3,"State":"Disconnected","MachineName":"VM2","Robot":null}`, "session-3", connector.RobotOffline},
		{`{"Id":3,"State":"Unknown","MachineName":"VM2"}`, "session-3", connector.RobotUnknown},
	}
	for _, tt := range tests {
		var s sessionDTO
		if err := json.Unmarshal([]byte(tt.body), &s); err != nil {
			t.Fatal(err)
		}
		r := s.robot(nil)
		if r.Ref != tt.ref || r.Status != tt.status || r.Name == "" || r.RawStatus == "" {
			t.Errorf("%s → %+v", tt.body, r)
		}
	}
}

func TestScheduleMapping(t *testing.T) {
	var s scheduleDTO
	body := `{"Id":5,"Name":"Invoices queue","Enabled":true,"ReleaseId":42,"ReleaseName":"Invoices","StartProcessCron":null,
"TimeZoneId":"GMT Standard Time","TimeZoneIana":"Europe/London","QueueDefinitionName":"InvoiceQueue","StartProcessNextOccurrence":null}`
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	got := s.schedule(nil)
	if got.Ref != "5" || got.ProcessRef != "42" || got.Cron != "" || got.Timezone != "Europe/London" ||
		got.Summary != "When items are added to queue InvoiceQueue" || got.NextRunAt != nil {
		t.Errorf("%+v", got)
	}
}

func TestStartInfo(t *testing.T) {
	info, err := startInfo("start run", "key-1", connector.RunInput{Arguments: map[string]any{"in_N": 3}})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(info)
	want := `{"InputArguments":"{\"in_N\":3}","JobsCount":1,"ReleaseKey":"key-1","Source":"Manual","Strategy":"ModernJobsCount"}`
	if string(raw) != want {
		t.Errorf("got  %s\nwant %s", raw, want)
	}
	info, err = startInfo("start run", "key-1", connector.RunInput{RobotRef: "401"})
	if err != nil || info["Strategy"] != "Specific" || info["JobsCount"] != nil {
		t.Errorf("pinned robot: %v %v", info, err)
	}
	if _, err := startInfo("start run", "key-1", connector.RunInput{RobotRef: "bot-1"}); err == nil {
		t.Error("a robot ref that is not an Id must be refused")
	}
}
