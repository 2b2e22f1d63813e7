package powerautomate

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"bureau/connector"
)

// Job refs say which table the run lives in.
const (
	sessionPrefix = "session:" // desktop flow run (flowsessions)
	runPrefix     = "run:"     // cloud flow run (flowruns)
)

// sessionStatus names flowsessions.statuscode values (Dataverse's
// flowsession_statuscode choice).
var sessionStatus = []string{
	"NotSpecified", "Paused", "Running", "Waiting", "Succeeded", "Skipped", "Suspended",
	"Cancelled", "Failed", "Faulted", "TimedOut", "Aborted", "Ignored", "Deleted", "Terminated",
}

var sessionStates = connector.StateMap{States: map[string]connector.State{
	"NotSpecified": connector.StatePending,
	"Waiting":      connector.StatePending,
	"Running":      connector.StateRunning,
	"Paused":       connector.StateSuspended,
	"Suspended":    connector.StateSuspended,
	"Succeeded":    connector.StateSuccessful,
	"Skipped":      connector.StateSuccessful,
	"Ignored":      connector.StateSuccessful,
	"Cancelled":    connector.StateStopped,
	"Aborted":      connector.StateStopped,
	"Terminated":   connector.StateStopped,
	"Deleted":      connector.StateStopped,
	"Failed":       connector.StateFaulted,
	"Faulted":      connector.StateFaulted,
	"TimedOut":     connector.StateFaulted,
}}

// runStates maps flowruns.status, lower-cased. The table documents the
// column only as text; the values are the flow service's run statuses
// (assumption: the same words, in any case; "canceled" spelt both ways).
var runStates = connector.StateMap{States: map[string]connector.State{
	"waiting":    connector.StatePending,
	"running":    connector.StateRunning,
	"paused":     connector.StateSuspended,
	"suspended":  connector.StateSuspended,
	"succeeded":  connector.StateSuccessful,
	"success":    connector.StateSuccessful,
	"skipped":    connector.StateSuccessful,
	"ignored":    connector.StateSuccessful,
	"cancelled":  connector.StateStopped,
	"canceled":   connector.StateStopped,
	"aborted":    connector.StateStopped,
	"terminated": connector.StateStopped,
	"failed":     connector.StateFaulted,
	"faulted":    connector.StateFaulted,
	"timedout":   connector.StateFaulted,
}}

// flowsessions.triggertype, in Bureau's trigger words.
var sessionTriggers = map[int]string{0: "cloud flow", 1: "desktop flow", 2: "manual", 3: "api"}

const sessionColumns = "flowsessionid,name,statecode,statuscode,createdon,startedon,completedon,modifiedon," +
	"_regardingobjectid_value,_machineid_value,errorcode,errormessage,runmode,triggertype"

const runColumns = "flowrunid,name,status,starttime,endtime,createdon,modifiedon," +
	"_workflow_value,workflowid,workflowname,triggertype,errorcode,errormessage"

type session struct {
	ID          string  `json:"flowsessionid"`
	StatusCode  *int    `json:"statuscode"`
	CreatedOn   *string `json:"createdon"`
	StartedOn   *string `json:"startedon"`
	CompletedOn *string `json:"completedon"`
	ModifiedOn  *string `json:"modifiedon"`
	Workflow    string  `json:"_regardingobjectid_value"`
	Machine     *string `json:"_machineid_value"`
	ErrorCode   *string `json:"errorcode"`
	Message     *string `json:"errormessage"`
	TriggerType *int    `json:"triggertype"`
}

func sessionRawState(code *int) string {
	switch {
	case code == nil:
		return "NotSpecified"
	case *code >= 0 && *code < len(sessionStatus):
		return sessionStatus[*code]
	}
	return fmt.Sprintf("statuscode %d", *code)
}

func (s session) job(raw json.RawMessage) connector.Job {
	j := connector.Job{
		Ref:        sessionPrefix + s.ID,
		ProcessRef: s.Workflow,
		RawState:   sessionRawState(s.StatusCode),
		StartedAt:  dvTime(s.StartedOn),
		EndedAt:    dvTime(s.CompletedOn),
		Error:      errorText(s.ErrorCode, s.Message),
		Raw:        raw,
	}
	j.State = sessionStates.Normalise(j.RawState)
	if s.Machine != nil {
		j.RobotRef = *s.Machine
	}
	if s.TriggerType != nil {
		j.Trigger = sessionTriggers[*s.TriggerType]
	}
	setTimes(&j, s.CreatedOn, s.ModifiedOn)
	return j
}

type flowRun struct {
	ID          string  `json:"flowrunid"`
	Status      *string `json:"status"`
	StartTime   *string `json:"starttime"`
	EndTime     *string `json:"endtime"`
	CreatedOn   *string `json:"createdon"`
	ModifiedOn  *string `json:"modifiedon"`
	Workflow    *string `json:"_workflow_value"`
	WorkflowID  *string `json:"workflowid"`
	Name        *string `json:"workflowname"`
	TriggerType *string `json:"triggertype"`
	ErrorCode   *string `json:"errorcode"`
	Message     *string `json:"errormessage"`
}

func (r flowRun) job(raw json.RawMessage) connector.Job {
	j := connector.Job{
		Ref:       runPrefix + r.ID,
		RawState:  "Unknown",
		StartedAt: dvTime(r.StartTime),
		EndedAt:   dvTime(r.EndTime),
		Error:     errorText(r.ErrorCode, r.Message),
		Raw:       raw,
	}
	if r.Status != nil && *r.Status != "" {
		j.RawState = *r.Status
	}
	j.State = runStates.Normalise(strings.ToLower(j.RawState))
	switch {
	case r.Workflow != nil && *r.Workflow != "":
		j.ProcessRef = *r.Workflow
	case r.WorkflowID != nil:
		j.ProcessRef = *r.WorkflowID
	}
	if r.Name != nil {
		j.ProcessName = *r.Name
	}
	if r.TriggerType != nil {
		j.Trigger = strings.ToLower(*r.TriggerType)
	}
	setTimes(&j, r.CreatedOn, r.ModifiedOn)
	return j
}

// setTimes fills CreatedAt (falling back to the start) and UpdatedAt
// (falling back to the latest time known).
func setTimes(j *connector.Job, created, modified *string) {
	if t := dvTime(created); t != nil {
		j.CreatedAt = *t
	} else if j.StartedAt != nil {
		j.CreatedAt = *j.StartedAt
	}
	j.UpdatedAt = j.CreatedAt
	for _, t := range []*time.Time{j.StartedAt, j.EndedAt, dvTime(modified)} {
		if t != nil && t.After(j.UpdatedAt) {
			j.UpdatedAt = *t
		}
	}
}

func errorText(code, message *string) string {
	var c, m string
	if code != nil {
		c = strings.TrimSpace(*code)
	}
	if message != nil {
		m = strings.TrimSpace(*message)
	}
	switch {
	case c != "" && m != "":
		return c + ": " + m
	case m != "":
		return m
	}
	return c
}

// Jobs lists desktop flow runs, then cloud flow runs, changed at or after
// since, oldest first.
func (p *Provider) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	var filter string
	if !since.IsZero() {
		filter = "modifiedon ge " + odataTime(since)
	}
	if p.desktop() {
		q := query("$select", sessionColumns, "$filter", filter, "$orderby", "createdon asc")
		if err := listJobs(ctx, p, "list desktop flow runs", "flowsessions", q, session.job, fn); err != nil {
			return err
		}
	}
	if p.cloud() {
		q := query("$select", runColumns, "$filter", filter, "$orderby", "createdon asc")
		if err := listJobs(ctx, p, "list cloud flow runs", "flowruns", q, flowRun.job, fn); err != nil {
			return err
		}
	}
	return nil
}

func listJobs[T any](ctx context.Context, p *Provider, op, set, q string, conv func(T, json.RawMessage) connector.Job, fn func([]connector.Job) error) error {
	return p.list(ctx, op, set, q, func(raw []json.RawMessage) error {
		js, err := decodeEach(op, raw, conv)
		if err != nil {
			return err
		}
		return fn(js)
	})
}

// Job reads one run by its ref.
func (p *Provider) Job(ctx context.Context, ref string) (connector.Job, error) {
	switch {
	case strings.HasPrefix(ref, sessionPrefix) && isGUID(ref[len(sessionPrefix):]):
		return p.session(ctx, ref[len(sessionPrefix):])
	case strings.HasPrefix(ref, runPrefix) && isGUID(ref[len(runPrefix):]):
		return readOne(ctx, p, "read cloud flow run", "flowruns("+ref[len(runPrefix):]+")?"+query("$select", runColumns), flowRun.job)
	}
	return connector.Job{}, connector.Errorf(connector.KindNotFound, "read job", "%q is not a Power Automate run reference (session:<id> or run:<id>)", ref)
}

func (p *Provider) session(ctx context.Context, id string) (connector.Job, error) {
	return readOne(ctx, p, "read desktop flow run", "flowsessions("+id+")?"+query("$select", sessionColumns), session.job)
}

func readOne[T any](ctx context.Context, p *Provider, op, path string, conv func(T, json.RawMessage) connector.Job) (connector.Job, error) {
	var raw json.RawMessage
	if _, err := p.get(ctx, op, p.api+path, &raw); err != nil {
		return connector.Job{}, err
	}
	js, err := decodeEach(op, []json.RawMessage{raw}, conv)
	if err != nil {
		return connector.Job{}, err
	}
	return js[0], nil
}
