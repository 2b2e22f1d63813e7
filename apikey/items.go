package apikey

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"bureau/connector"
)

// Item shapes of API.md; fields beyond these are refused per item, so a
// typo is reported instead of silently dropped.
type processItem struct {
	Ref         string `json:"ref"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Folder      string `json:"folder"`
}

type robotItem struct {
	Ref        string `json:"ref"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Machine    string `json:"machine"`
	LastSeenAt string `json:"last_seen_at"`
}

type jobItem struct {
	Ref         string `json:"ref"`
	ProcessRef  string `json:"process_ref"`
	ProcessName string `json:"process_name"`
	RobotRef    string `json:"robot_ref"`
	RobotName   string `json:"robot_name"`
	State       string `json:"state"`
	RawState    string `json:"raw_state"`
	CreatedAt   string `json:"created_at"`
	StartedAt   string `json:"started_at"`
	EndedAt     string `json:"ended_at"`
	Trigger     string `json:"trigger"`
	Error       string `json:"error"`
}

type jobOut = connector.Job

// Length limits, in characters.
const (
	maxRef   = 200
	maxLabel = 200
	maxText  = 4000
)

// checker collects one item's field errors.
type checker []ItemError

func (c *checker) add(field, format string, args ...any) {
	*c = append(*c, ItemError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text checks a string field and returns it trimmed.
func (c *checker) text(field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		c.add(field, "is required")
	case utf8.RuneCountInString(v) > max:
		c.add(field, "must be at most %d characters", max)
	}
	return v
}

// time checks an optional RFC 3339 time.
func (c *checker) time(field, v string) *time.Time {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		c.add(field, "must be an RFC 3339 time, e.g. 2026-11-24T09:00:00Z")
		return nil
	}
	t = t.UTC()
	return &t
}

func validProcess(raw json.RawMessage) (connector.Process, []ItemError) {
	var in processItem
	if err := strictDecode(raw, &in); err != nil {
		return connector.Process{}, []ItemError{itemErr(err)}
	}
	var c checker
	p := connector.Process{
		Ref:         c.text("ref", in.Ref, true, maxRef),
		Name:        c.text("name", in.Name, true, maxLabel),
		Description: c.text("description", in.Description, false, maxText),
		Folder:      c.text("folder", in.Folder, false, maxLabel),
	}
	return p, c
}

var robotStatuses = map[string]connector.RobotStatus{
	"available": connector.RobotAvailable, "busy": connector.RobotBusy, "offline": connector.RobotOffline,
}

func validRobot(raw json.RawMessage) (connector.Robot, []ItemError) {
	var in robotItem
	if err := strictDecode(raw, &in); err != nil {
		return connector.Robot{}, []ItemError{itemErr(err)}
	}
	var c checker
	r := connector.Robot{
		Ref:     c.text("ref", in.Ref, true, maxRef),
		Name:    c.text("name", in.Name, true, maxLabel),
		Machine: c.text("machine", in.Machine, false, maxLabel),
	}
	status, ok := robotStatuses[strings.TrimSpace(in.Status)]
	if !ok {
		c.add("status", "must be one of available, busy, offline")
	}
	r.Status, r.RawStatus = status, string(status)
	r.LastSeen = c.time("last_seen_at", in.LastSeenAt)
	return r, c
}

func validJob(raw json.RawMessage, now time.Time) (connector.Job, []ItemError) {
	var in jobItem
	if err := strictDecode(raw, &in); err != nil {
		return connector.Job{}, []ItemError{itemErr(err)}
	}
	var c checker
	j := connector.Job{
		Ref:         c.text("ref", in.Ref, true, maxRef),
		ProcessRef:  c.text("process_ref", in.ProcessRef, true, maxRef),
		ProcessName: c.text("process_name", in.ProcessName, false, maxLabel),
		RobotRef:    c.text("robot_ref", in.RobotRef, false, maxRef),
		RobotName:   c.text("robot_name", in.RobotName, false, maxLabel),
		RawState:    c.text("raw_state", in.RawState, false, maxLabel),
		Trigger:     c.text("trigger", in.Trigger, false, maxLabel),
		Error:       c.text("error", in.Error, false, maxText),
		State:       connector.State(strings.TrimSpace(in.State)),
	}
	if !j.State.Valid() {
		c.add("state", "must be one of pending, running, successful, faulted, stopped, suspended")
	}
	if j.RawState == "" {
		j.RawState = string(j.State)
	}
	created := c.time("created_at", in.CreatedAt)
	j.StartedAt, j.EndedAt = c.time("started_at", in.StartedAt), c.time("ended_at", in.EndedAt)
	if j.StartedAt != nil && j.EndedAt != nil && j.EndedAt.Before(*j.StartedAt) {
		c.add("ended_at", "must not be before started_at")
	}
	// A job is listed by when it was created: the sender's time, else when
	// it started, else when it first arrived (a later resend keeps it).
	switch {
	case created != nil:
		j.CreatedAt = *created
	case j.StartedAt != nil:
		j.CreatedAt = *j.StartedAt
	default:
		j.CreatedAt = now
	}
	j.UpdatedAt = latest(j.CreatedAt, j.StartedAt, j.EndedAt)
	return j, c
}

func latest(t time.Time, more ...*time.Time) time.Time {
	for _, m := range more {
		if m != nil && m.After(t) {
			t = *m
		}
	}
	return t
}
