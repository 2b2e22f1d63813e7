package blueprism

import (
	"encoding/json"
	"testing"
	"time"

	"bureau/connector"
)

func TestSessionStates(t *testing.T) {
	for raw, want := range map[string]connector.State{
		"Pending":    connector.StatePending,
		"Running":    connector.StateRunning,
		"Stopping":   connector.StateRunning,
		"Warning":    connector.StateRunning,
		"Completed":  connector.StateSuccessful,
		"Terminated": connector.StateFaulted,
		"Stopped":    connector.StateStopped,
		"Archived":   connector.StateRunning, // unknown: watched until it ends
	} {
		if got := states.Normalise(raw); got != want {
			t.Errorf("%s → %s, want %s", raw, got, want)
		}
	}
}

func TestRobotStatus(t *testing.T) {
	for raw, want := range map[string]connector.RobotStatus{
		"Working":   connector.RobotBusy,
		"Warning":   connector.RobotBusy,
		"Idle":      connector.RobotAvailable,
		"Offline":   connector.RobotOffline,
		"Missing":   connector.RobotOffline,
		"LoggedOut": connector.RobotOffline,
		"Private":   connector.RobotUnknown,
		"Details":   connector.RobotUnknown,
		"BPD":       connector.RobotUnknown,
		"Hybrid":    connector.RobotUnknown,
	} {
		if got := robotStatus(raw); got != want {
			t.Errorf("%s → %s, want %s", raw, got, want)
		}
	}
}

func TestToJob(t *testing.T) {
	c := &Client{}
	tests := []struct {
		name, raw string
		want      connector.Job
	}{
		{
			name: "terminated carries the exception message",
			raw: `{"sessionId":"s1","processId":"p1","processName":"Invoices","resourceId":"r1","resourceName":"RR1",
				"status":"Terminated","startTime":"2026-11-01T10:00:00+01:00","endTime":"2026-11-01T10:05:00+01:00",
				"exceptionMessage":"Could not find element","exceptionType":"System Exception","terminationReason":"ProcessError"}`,
			want: connector.Job{
				Ref: "s1", ProcessRef: "p1", ProcessName: "Invoices", RobotRef: "r1", RobotName: "RR1",
				State: connector.StateFaulted, RawState: "Terminated", Error: "Could not find element",
				CreatedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
				UpdatedAt: time.Date(2026, 11, 1, 9, 5, 0, 0, time.UTC),
			},
		},
		{
			name: "terminated without a message falls back to the reason",
			raw:  `{"sessionId":"s2","processId":"p1","status":"Terminated","startTime":"2026-11-01T09:00:00Z","endTime":"2026-11-01T09:01:00Z","terminationReason":"InternalError"}`,
			want: connector.Job{
				Ref: "s2", ProcessRef: "p1", State: connector.StateFaulted, RawState: "Terminated", Error: "terminated: InternalError",
				CreatedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 1, 9, 1, 0, 0, time.UTC),
			},
		},
		{
			name: "pending has no start, and a .NET time without offset is UTC",
			raw:  `{"sessionId":"s3","processId":"p1","status":"Pending","startTime":"2026-11-01T09:00:00.1234567","endTime":null}`,
			want: connector.Job{
				Ref: "s3", ProcessRef: "p1", State: connector.StatePending, RawState: "Pending",
				CreatedAt: time.Date(2026, 11, 1, 9, 0, 0, 123456700, time.UTC), UpdatedAt: time.Date(2026, 11, 1, 9, 0, 0, 123456700, time.UTC),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s session
			must(t, json.Unmarshal([]byte(tt.raw), &s))
			got := c.toJob(s, nil)
			if tt.want.State != connector.StatePending {
				if got.StartedAt == nil || !got.StartedAt.Equal(tt.want.CreatedAt) {
					t.Errorf("started %v, want %v", got.StartedAt, tt.want.CreatedAt)
				}
				if got.EndedAt == nil || !got.EndedAt.Equal(tt.want.UpdatedAt) {
					t.Errorf("ended %v, want %v", got.EndedAt, tt.want.UpdatedAt)
				}
			} else if got.StartedAt != nil || got.EndedAt != nil {
				t.Errorf("pending: started %v ended %v, want neither", got.StartedAt, got.EndedAt)
			}
			got.StartedAt, got.EndedAt = nil, nil
			if got.Ref != tt.want.Ref || got.ProcessRef != tt.want.ProcessRef || got.ProcessName != tt.want.ProcessName ||
				got.RobotRef != tt.want.RobotRef || got.RobotName != tt.want.RobotName || got.State != tt.want.State ||
				got.RawState != tt.want.RawState || got.Error != tt.want.Error ||
				!got.CreatedAt.Equal(tt.want.CreatedAt) || !got.UpdatedAt.Equal(tt.want.UpdatedAt) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestScheduleSummary(t *testing.T) {
	day := bpTime{time.Date(2026, 10, 1, 6, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		s    schedule
		want string
	}{
		{schedule{IntervalType: "Day", TimePeriod: 1, StartDate: day}, "Every day from 2026-10-01 06:00 UTC"},
		{schedule{IntervalType: "Hour", TimePeriod: 2, StartDate: day}, "Every 2 hours from 2026-10-01 06:00 UTC"},
		{schedule{IntervalType: "Week", TimePeriod: 1, DayOfWeek: "Monday", StartDate: day}, "Every week on Monday from 2026-10-01 06:00 UTC"},
		{schedule{IntervalType: "Minute", TimePeriod: 15}, "Every 15 minutes"},
		{schedule{IntervalType: "Once", StartDate: day}, "Once at 2026-10-01 06:00 UTC"},
		{schedule{IntervalType: "Month", TimePeriod: 1, StartDate: day, EndDate: bpTime{day.AddDate(1, 0, 0)}}, "Every month from 2026-10-01 06:00 UTC until 2027-10-01"},
	} {
		if got := summary(tt.s); got != tt.want {
			t.Errorf("%s/%d: %q, want %q", tt.s.IntervalType, tt.s.TimePeriod, got, tt.want)
		}
	}
}

func TestURLs(t *testing.T) {
	for in, want := range map[string]string{
		"https://bp.example.com":         "https://bp.example.com/api/v7",
		"https://bp.example.com/":        "https://bp.example.com/api/v7",
		"https://bp.example.com/api/v7/": "https://bp.example.com/api/v7",
	} {
		if got := apiBase(in); got != want {
			t.Errorf("apiBase(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://auth.example.com":                "https://auth.example.com/connect/token",
		"https://auth.example.com:5001/":          "https://auth.example.com:5001/connect/token",
		"https://auth.example.com/connect/token/": "https://auth.example.com/connect/token",
	} {
		if got := tokenURL(in); got != want {
			t.Errorf("tokenURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestEncodeArguments(t *testing.T) {
	got, _ := json.Marshal(encodeArguments(map[string]any{
		"Name": "ACME", "Count": 3, "Dry run": false,
		"When":   time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		"Native": map[string]any{"valueType": "Password", "value": "x"},
	}))
	want := `{"Count":{"value":3,"valueType":"Number"},"Dry run":{"value":false,"valueType":"Flag"},"Name":{"value":"ACME","valueType":"Text"},` +
		`"Native":{"value":"x","valueType":"Password"},"When":{"value":"2026-11-02T09:00:00Z","valueType":"DateTime"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
