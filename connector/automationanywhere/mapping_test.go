package automationanywhere

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"bureau/connector"
)

func TestStates(t *testing.T) {
	tests := map[string]connector.State{
		"QUEUED": connector.StatePending, "PENDING_EXECUTION": connector.StatePending, "DEPLOYED": connector.StatePending,
		"RUNNING": connector.StateRunning, "UPDATE": connector.StateRunning,
		"RUN_PAUSED": connector.StateSuspended,
		"COMPLETED":  connector.StateSuccessful,
		"RUN_FAILED": connector.StateFaulted, "DEPLOY_FAILED": connector.StateFaulted, "RUN_TIMED_OUT": connector.StateFaulted,
		"RUN_ABORTED": connector.StateStopped,
		"UNKNOWN":     connector.StateRunning, "BOTSTORE_PACKAGE_DOWNLOADING": connector.StateRunning,
		"BOTSTORE_PACKAGE_EXTRACTING": connector.StateRunning, "BOTSTORE_PACKAGE_COPYING": connector.StateRunning,
		"SOMETHING_NEW": connector.StateRunning,
	}
	for raw, want := range tests {
		if got := States.Normalise(raw); got != want {
			t.Errorf("%s → %s, want %s", raw, got, want)
		}
	}
}

func TestRobotStatus(t *testing.T) {
	tests := map[string]connector.RobotStatus{
		"CONNECTED": connector.RobotAvailable, "DISCONNECTED": connector.RobotOffline,
		"OFFLINE": connector.RobotOffline, "": connector.RobotUnknown, "UPGRADING": connector.RobotUnknown,
	}
	for raw, want := range tests {
		if got := robotStatus(raw); got != want {
			t.Errorf("%q → %s, want %s", raw, got, want)
		}
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		kind       connector.Kind
		msg, code  string
		isNil      bool
	}{
		{"auth", `{"code":"um.auth.failed","details":"","message":"Authentication failed"}`, 401, connector.KindAuth, "Authentication failed", "um.auth.failed", false},
		{"details added", `{"code":"x","details":"field fileId","message":"Bad request"}`, 400, connector.KindInvalid, "Bad request: field fileId", "x", false},
		{"details only", `{"code":"x","details":"Not allowed","message":""}`, 403, connector.KindForbidden, "Not allowed", "x", false},
		{"message only", `{"message":"File not found"}`, 404, connector.KindNotFound, "File not found", "", false},
		{"same details", `{"message":"Oops","details":"Oops"}`, 500, connector.KindUnavailable, "Oops", "", false},
		{"html", `<html>Bad gateway</html>`, 502, "", "", "", true},
		{"other json", `{"error":"x"}`, 400, "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseError("op", &http.Response{StatusCode: tt.status, Header: http.Header{}}, []byte(tt.body))
			if tt.isNil {
				if e != nil {
					t.Fatalf("got %v, want nil (body text)", e)
				}
				return
			}
			if e == nil || e.Kind != tt.kind || e.Message != tt.msg || e.Code != tt.code || e.Status != tt.status {
				t.Errorf("got %+v", e)
			}
		})
	}
}

func jwt(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS512"}`)) + "." + enc([]byte(claims)) + ".sig"
}

func TestJWTLifetime(t *testing.T) {
	tests := map[string]time.Duration{
		jwt(`{"iat":1000,"exp":2200}`): 20 * time.Minute,
		jwt(`{"iat":1000,"exp":4600}`): time.Hour,
		jwt(`{"exp":4600}`):            tokenLifetime,
		jwt(`{"iat":5000,"exp":4600}`): tokenLifetime,
		"opaque-token":                 tokenLifetime,
		"a.!!!.c":                      tokenLifetime,
	}
	for tok, want := range tests {
		if got := jwtLifetime(tok); got != want {
			t.Errorf("%s: %v, want %v", tok, got, want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		json, want string
	}{
		{`{"scheduleType":"DAILY","startTime":"23:30","dailyRecurrence":{"interval":3}}`, "Every 3 days at 23:30"},
		{`{"scheduleType":"DAILY","startTime":"06:00"}`, "Every day at 06:00"},
		{`{"scheduleType":"WEEKLY","startTime":"08:15","weeklyRecurrence":{"interval":1,"daysOfWeek":["MON","THU"]}}`, "Every week on MON, THU at 08:15"},
		{`{"scheduleType":"WEEKLY","startTime":"08:15"}`, "Every week at 08:15"},
		{`{"scheduleType":"MONTHLY","startTime":"07:00"}`, "Every month at 07:00"},
		{`{"scheduleType":"NONE","startDate":"2026-12-01","startTime":"07:00"}`, "Once 2026-12-01 at 07:00"},
		{`{"scheduleType":"HOURLY","startTime":"07:00"}`, "Hourly at 07:00"},
		{`{}`, ""},
	}
	for _, tt := range tests {
		var s schedule
		if err := json.Unmarshal([]byte(tt.json), &s); err != nil {
			t.Fatal(err)
		}
		if got := summary(s); got != tt.want {
			t.Errorf("%s → %q, want %q", tt.json, got, tt.want)
		}
	}
}

func TestToSchedule(t *testing.T) {
	raw := json.RawMessage(`{"id":"661","name":"eodReport","fileId":6598,"fileName":"eod","status":"ACTIVE","scheduleType":"DAILY",
		"dailyRecurrence":{"interval":1},"timeZone":"America/Los_Angeles","startTime":"23:30","zonedNextRunDateTime":"2021-01-14T07:30:00Z"}`)
	var s schedule
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	got := toSchedule(s, raw)
	if got.Ref != "661" || got.ProcessRef != "6598" || !got.Enabled || got.Timezone != "America/Los_Angeles" ||
		got.NextRunAt == nil || !got.NextRunAt.Equal(time.Date(2021, 1, 14, 7, 30, 0, 0, time.UTC)) || got.Summary != "Every day at 23:30" {
		t.Errorf("%+v", got)
	}
}

func TestToJob(t *testing.T) {
	decode := func(s string) (activity, json.RawMessage) {
		var a activity
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			t.Fatal(err)
		}
		return a, json.RawMessage(s)
	}
	j := toJob(decode(`{"id":"d_1","fileId":"12","fileName":"Bot","type":"RUN_NOW","status":"COMPLETED","deviceId":5,"deviceName":"H",
		"startDateTime":"2022-05-26T23:52:58.724951900Z","endDateTime":"2022-05-26T23:54:51.928431Z"}`))
	if j.Ref != "d_1" || j.ProcessRef != "12" || j.RobotRef != "5" || j.State != connector.StateSuccessful || j.Trigger != "run_now" ||
		j.StartedAt == nil || j.EndedAt == nil || !j.UpdatedAt.Equal(*j.EndedAt) || !j.CreatedAt.Equal(*j.StartedAt) {
		t.Errorf("completed: %+v", j)
	}

	j = toJob(decode(`{"id":"d_2","fileId":"12","status":"QUEUED","startDateTime":"2022-05-26T23:52:58Z","endDateTime":""}`))
	if j.State != connector.StatePending || j.StartedAt != nil || j.EndedAt != nil || j.CreatedAt.IsZero() {
		t.Errorf("queued: %+v", j)
	}

	j = toJob(decode(`{"id":"d_3","fileId":"12","status":"RUN_TIMED_OUT","startDateTime":"2022-05-26T23:52:58Z","endDateTime":"2022-05-27T00:52:58Z"}`))
	if j.State != connector.StateFaulted || j.Error == "" {
		t.Errorf("faulted without a message needs an error: %+v", j)
	}
}

func TestFolderOf(t *testing.T) {
	tests := map[string]string{
		`Automation Anywhere\Bots\Finance\Invoice Intake`: `Automation Anywhere\Bots\Finance`,
		"Bots/Ops/Sync": "Bots/Ops",
		"Lonely":        "",
	}
	for path, want := range tests {
		if got := folderOf(path); got != want {
			t.Errorf("%q → %q, want %q", path, got, want)
		}
	}
}

func TestBotInput(t *testing.T) {
	got, err := botInput(map[string]any{"s": "x", "b": true, "n": 2.5, "i": 3, "j": json.Number("7")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]botValue{
		"s": {Type: "STRING", String: "x"}, "b": {Type: "BOOLEAN", Boolean: "true"},
		"n": {Type: "NUMBER", Number: "2.5"}, "i": {Type: "NUMBER", Number: "3"}, "j": {Type: "NUMBER", Number: "7"},
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %+v, want %+v", k, got[k], v)
		}
	}
	if _, err := botInput(map[string]any{"l": []string{"a"}}); err == nil {
		t.Error("a list input was accepted")
	}
	if in, err := botInput(nil); in != nil || err != nil {
		t.Errorf("no arguments: %v %v", in, err)
	}
}

func TestIDAcceptsNumbers(t *testing.T) {
	var v struct{ A, B, C id }
	if err := json.Unmarshal([]byte(`{"A":"12","B":34,"C":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "12" || v.B != "34" || v.C != "" {
		t.Errorf("%+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":{}}`), &v); err == nil {
		t.Error("an object id was accepted")
	}
}
