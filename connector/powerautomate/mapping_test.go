package powerautomate

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"bureau/connector"
)

func TestSessionStatusCodes(t *testing.T) {
	want := map[int]struct {
		raw   string
		state connector.State
	}{
		0: {"NotSpecified", connector.StatePending}, 1: {"Paused", connector.StateSuspended},
		2: {"Running", connector.StateRunning}, 3: {"Waiting", connector.StatePending},
		4: {"Succeeded", connector.StateSuccessful}, 5: {"Skipped", connector.StateSuccessful},
		6: {"Suspended", connector.StateSuspended}, 7: {"Cancelled", connector.StateStopped},
		8: {"Failed", connector.StateFaulted}, 9: {"Faulted", connector.StateFaulted},
		10: {"TimedOut", connector.StateFaulted}, 11: {"Aborted", connector.StateStopped},
		12: {"Ignored", connector.StateSuccessful}, 13: {"Deleted", connector.StateStopped},
		14: {"Terminated", connector.StateStopped}, 15: {"statuscode 15", connector.StateRunning},
	}
	for code, w := range want {
		j := session{ID: "x", StatusCode: &code}.job(nil)
		if j.RawState != w.raw || j.State != w.state {
			t.Errorf("statuscode %d: %s/%s, want %s/%s", code, j.RawState, j.State, w.raw, w.state)
		}
	}
	if j := (session{ID: "x"}).job(nil); j.RawState != "NotSpecified" || j.State != connector.StatePending {
		t.Errorf("null statuscode: %s/%s", j.RawState, j.State)
	}
}

func TestFlowRunStatuses(t *testing.T) {
	for status, want := range map[string]connector.State{
		"Succeeded": connector.StateSuccessful, "succeeded": connector.StateSuccessful, "Success": connector.StateSuccessful,
		"Skipped": connector.StateSuccessful, "Failed": connector.StateFaulted, "FAILED": connector.StateFaulted,
		"TimedOut": connector.StateFaulted, "Faulted": connector.StateFaulted, "Cancelled": connector.StateStopped,
		"Canceled": connector.StateStopped, "Aborted": connector.StateStopped, "Running": connector.StateRunning,
		"Waiting": connector.StatePending, "Suspended": connector.StateSuspended, "Paused": connector.StateSuspended,
		"SomethingNew": connector.StateRunning,
	} {
		s := status
		j := flowRun{ID: "x", Status: &s}.job(nil)
		if j.State != want || j.RawState != status {
			t.Errorf("%q: %s (raw %q), want %s", status, j.State, j.RawState, want)
		}
	}
}

func TestSessionJobFields(t *testing.T) {
	raw := `{"flowsessionid":"11111111-1111-4111-8111-111111111111","statuscode":8,"createdon":"2026-11-01T10:00:00Z",
		"startedon":"2026-11-01T10:00:30Z","completedon":"2026-11-01T10:05:00Z","modifiedon":"2026-11-01T10:05:01Z",
		"_regardingobjectid_value":"22222222-2222-4222-8222-222222222222","_machineid_value":"33333333-3333-4333-8333-333333333333",
		"errorcode":"ActionFailed","errormessage":"Element not found","triggertype":3}`
	var s session
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	j := s.job(json.RawMessage(raw))
	if j.Ref != "session:11111111-1111-4111-8111-111111111111" || j.ProcessRef != "22222222-2222-4222-8222-222222222222" ||
		j.RobotRef != "33333333-3333-4333-8333-333333333333" || j.Trigger != "api" || j.Error != "ActionFailed: Element not found" {
		t.Errorf("job %+v", j)
	}
	if j.EndedAt == nil || !j.EndedAt.Equal(time.Date(2026, 11, 1, 10, 5, 0, 0, time.UTC)) ||
		!j.UpdatedAt.Equal(time.Date(2026, 11, 1, 10, 5, 1, 0, time.UTC)) {
		t.Errorf("times: ended %v updated %v", j.EndedAt, j.UpdatedAt)
	}
}

func TestMachineStatus(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	beat := func(ago time.Duration) *string { s := now.Add(-ago).Format(time.RFC3339); return &s }
	one, three := 1, 3
	for _, c := range []struct {
		name string
		m    machine
		want connector.RobotStatus
		raw  string
	}{
		{"recent heartbeat", machine{StatusCode: &one, Heartbeat: beat(time.Minute)}, connector.RobotAvailable, "Active"},
		{"stale heartbeat", machine{StatusCode: &one, Heartbeat: beat(6 * time.Minute)}, connector.RobotOffline, "Active"},
		{"never seen", machine{StatusCode: &one}, connector.RobotOffline, "Active"},
		{"maintenance", machine{StateCode: 2, StatusCode: &three, Heartbeat: beat(time.Minute)}, connector.RobotOffline, "RequiresReconnection"},
	} {
		r := c.m.robot(nil, now)
		if r.Status != c.want || r.RawStatus != c.raw {
			t.Errorf("%s: %s/%s, want %s/%s", c.name, r.Status, r.RawStatus, c.want, c.raw)
		}
	}
}

func TestParseError(t *testing.T) {
	resp := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	for _, c := range []struct {
		name       string
		resp       *http.Response
		body       string
		kind       connector.Kind
		code, msg  string
		retryAfter time.Duration
	}{
		{"dataverse not found", resp(404, ""), `{"error":{"code":"0x80040217","message":"flowsession With Id = 1 Does Not Exist"}}`,
			connector.KindNotFound, "0x80040217", "flowsession With Id = 1 Does Not Exist", 0},
		{"service protection", resp(429, "17"), `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}`,
			connector.KindRateLimited, "0x80072322", "Number of requests exceeded the limit", 17 * time.Second},
		{"bad query", resp(400, ""), `{"error":{"code":"0x80060888","message":"Could not find a property named 'x'"}}`,
			connector.KindInvalid, "0x80060888", "Could not find a property named 'x'", 0},
		{"wrong secret", resp(401, ""), `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2"}`,
			connector.KindAuth, "invalid_client", "AADSTS7000215: Invalid client secret provided.", 0},
		{"unknown tenant", resp(400, ""), `{"error":"invalid_request","error_description":"AADSTS90002: Tenant 'x' not found."}`,
			connector.KindAuth, "invalid_request", "AADSTS90002: Tenant 'x' not found.", 0},
		{"token refused", resp(401, ""), ``, connector.KindAuth, "",
			"Dataverse refused the access token; check that the app registration is an application user of this environment", 0},
		{"gateway html", resp(502, ""), `<html><body>Bad Gateway</body></html>`, connector.KindUnavailable, "", "Bad Gateway", 0},
	} {
		e := parseError("op", c.resp, []byte(c.body))
		if e.Kind != c.kind || e.Code != c.code || e.Message != c.msg || e.RetryAfter != c.retryAfter {
			t.Errorf("%s: got kind %s code %q msg %q retry %v", c.name, e.Kind, e.Code, e.Message, e.RetryAfter)
		}
	}
}

func TestOdataTimeRoundsDownToTheSecond(t *testing.T) {
	got := odataTime(time.Date(2026, 11, 2, 10, 1, 0, 700_000_000, time.FixedZone("CET", 3600)))
	if got != "2026-11-02T09:01:00Z" {
		t.Errorf("got %s", got)
	}
}

func TestQueryEncoding(t *testing.T) {
	got := query("$select", "a,b", "$filter", "modifiedon ge 2026-11-02T09:01:00Z", "$orderby", "", "$top", "1")
	want := "$select=a%2Cb&$filter=modifiedon%20ge%202026-11-02T09%3A01%3A00Z&$top=1"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
