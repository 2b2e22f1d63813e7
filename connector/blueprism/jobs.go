package blueprism

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	"bureau/connector"
)

// states maps SessionStatus. Stopping and Warning sessions are still on
// the resource; Blue Prism has no suspended state.
var states = connector.StateMap{
	States: map[string]connector.State{
		"Pending":    connector.StatePending,
		"Running":    connector.StateRunning,
		"Stopping":   connector.StateRunning,
		"Warning":    connector.StateRunning,
		"Completed":  connector.StateSuccessful,
		"Terminated": connector.StateFaulted,
		"Stopped":    connector.StateStopped,
	},
	Fallback: connector.StateRunning,
}

// session is a SessionSummary.
type session struct {
	SessionID         string `json:"sessionId"`
	ProcessID         string `json:"processId"`
	ProcessName       string `json:"processName"`
	ResourceID        string `json:"resourceId"`
	ResourceName      string `json:"resourceName"`
	Status            string `json:"status"`
	StartTime         bpTime `json:"startTime"`
	EndTime           bpTime `json:"endTime"`
	StageStarted      bpTime `json:"stageStarted"`
	ExceptionMessage  string `json:"exceptionMessage"`
	ExceptionType     string `json:"exceptionType"`
	TerminationReason string `json:"terminationReason"`
}

func (c *Client) toJob(s session, raw json.RawMessage) connector.Job {
	j := connector.Job{
		Ref:         s.SessionID,
		ProcessRef:  s.ProcessID,
		ProcessName: s.ProcessName,
		RobotRef:    s.ResourceID,
		RobotName:   s.ResourceName,
		State:       states.Normalise(s.Status),
		RawState:    s.Status,
		EndedAt:     s.EndTime.ptr(),
		Raw:         raw,
	}
	// Sessions carry no creation time: the start time is the closest.
	j.CreatedAt = s.StartTime.UTC()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = c.now() // a pending session not yet given a start time
	}
	if j.State != connector.StatePending {
		j.StartedAt = s.StartTime.ptr()
	}
	j.UpdatedAt = latest(j.CreatedAt, s.EndTime.Time, s.StageStarted.Time)
	if j.State == connector.StateFaulted {
		j.Error = sessionError(s)
	}
	return j
}

func sessionError(s session) string {
	switch {
	case s.ExceptionMessage != "":
		return s.ExceptionMessage
	case s.ExceptionType != "":
		return s.ExceptionType
	case s.TerminationReason != "" && s.TerminationReason != "None":
		return "terminated: " + s.TerminationReason
	}
	return "terminated"
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t.UTC()
		}
	}
	return out
}

func (c *Client) now() time.Time {
	if c.cfg.Now != nil {
		return c.cfg.Now().UTC()
	}
	return time.Now().UTC()
}

// jobsQuery filters sessions on their start time, oldest first. The API
// silently ignores parameters it does not know, so these names must match
// the spec exactly (startTime is a deepObject RangeOrEqualFilter).
func jobsQuery(since time.Time) url.Values {
	q := url.Values{"sortBy": {"StartTimeAsc"}}
	if !since.IsZero() {
		q.Set("startTime[gte]", formatFilter(since))
	}
	return q
}

// Jobs lists sessions started at or after since.
func (c *Client) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	const op = "list sessions"
	return c.eachPage(ctx, op, "sessions", jobsQuery(since), func(items []json.RawMessage) error {
		jobs, err := decodeEach(op, items, c.toJob)
		if err != nil {
			return err
		}
		return fn(jobs)
	})
}

// Job reads one session.
func (c *Client) Job(ctx context.Context, ref string) (connector.Job, error) {
	const op = "read session"
	var raw json.RawMessage
	if err := c.get(ctx, op, "sessions/"+url.PathEscape(ref), nil, &raw); err != nil {
		return connector.Job{}, err
	}
	var s session
	if err := json.Unmarshal(raw, &s); err != nil {
		return connector.Job{}, connector.Errorf(connector.KindUnavailable, op, "unexpected session: %v", err)
	}
	return c.toJob(s, raw), nil
}
