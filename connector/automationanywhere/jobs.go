package automationanywhere

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"bureau/connector"
)

// States maps activity statuses (the documented list, plus QUEUED and
// PENDING_EXECUTION that v3/v4 deployments pass through) to Bureau's.
// UNKNOWN and the Bot Store package steps fall back to running: the job is
// watched until it ends.
var States = connector.StateMap{
	States: map[string]connector.State{
		"QUEUED":            connector.StatePending,
		"PENDING_EXECUTION": connector.StatePending,
		"DEPLOYED":          connector.StatePending,
		"RUNNING":           connector.StateRunning,
		"UPDATE":            connector.StateRunning,
		"RUN_PAUSED":        connector.StateSuspended,
		"COMPLETED":         connector.StateSuccessful,
		"RUN_FAILED":        connector.StateFaulted,
		"DEPLOY_FAILED":     connector.StateFaulted,
		"RUN_TIMED_OUT":     connector.StateFaulted,
		"RUN_ABORTED":       connector.StateStopped,
	},
	Fallback: connector.StateRunning,
}

// activity is one item of /v3/activity/list. The field carrying a failed
// run's error text is not documented; message is our best reading (see
// aasim for what the simulator assumes).
type activity struct {
	ID            string `json:"id"`
	FileID        id     `json:"fileId"`
	FileName      string `json:"fileName"`
	Type          string `json:"type"`
	Status        string `json:"status"`
	StartDateTime string `json:"startDateTime"`
	EndDateTime   string `json:"endDateTime"`
	ModifiedOn    string `json:"modifiedOn"`
	DeploymentID  string `json:"deploymentId"`
	DeviceID      id     `json:"deviceId"`
	DeviceName    string `json:"deviceName"`
	Message       string `json:"message"`
}

const activityPath = "/v3/activity/list"

// Jobs lists activities started at or after since, oldest first; the id
// breaks ties so pages do not shift under equal start times.
func (p *provider) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	req := listRequest{Sort: []sortBy{{Field: "startDateTime", Direction: "asc"}, {Field: "id", Direction: "asc"}}}
	if !since.IsZero() {
		// Whole seconds, rounded down: a few older jobs may come back,
		// none is missed.
		req.Filter = &filter{Operator: "ge", Field: "startDateTime", Value: since.UTC().Truncate(time.Second).Format(time.RFC3339)}
	}
	return list(ctx, p, "list activities", activityPath, req, toJob, fn)
}

func toJob(a activity, raw json.RawMessage) connector.Job {
	state := States.Normalise(a.Status)
	j := connector.Job{
		Ref: a.ID, ProcessRef: string(a.FileID), ProcessName: a.FileName,
		RobotRef: string(a.DeviceID), RobotName: a.DeviceName,
		State: state, RawState: a.Status, Trigger: strings.ToLower(a.Type), Raw: raw,
	}
	start := parseTime(a.StartDateTime)
	if start != nil {
		j.CreatedAt = *start
		if state != connector.StatePending {
			j.StartedAt = start
		}
	}
	if state.Terminal() {
		j.EndedAt = parseTime(a.EndDateTime)
	}
	if state == connector.StateFaulted {
		j.Error = a.Message
		if j.Error == "" {
			j.Error = "The activity ended with status " + a.Status
		}
	}
	j.UpdatedAt = latest(parseTime(a.ModifiedOn), start, j.EndedAt)
	if j.CreatedAt.IsZero() {
		j.CreatedAt = j.UpdatedAt
	}
	return j
}

func latest(ts ...*time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t != nil && t.After(out) {
			out = *t
		}
	}
	return out
}

// deploymentPrefix marks a job ref that is a deployment whose activity
// the Control Room had not listed yet when the run was started.
const deploymentPrefix = "deployment:"

// Job reads one activity. /v3/activity/execution/{id} is documented only
// for a finished run's output variables, so the activity list filtered on
// id (or on deploymentId, for a pending deployment ref) is the reliable
// read of status and times.
func (p *provider) Job(ctx context.Context, ref string) (connector.Job, error) {
	if dep, ok := strings.CutPrefix(ref, deploymentPrefix); ok {
		return p.deployment(ctx, dep, "")
	}
	j, found, err := p.findActivity(ctx, "read activity", eq("id", ref))
	if err != nil {
		return connector.Job{}, err
	}
	if !found {
		return connector.Job{}, connector.Errorf(connector.KindNotFound, "read activity", "the Control Room lists no activity with id %s", ref)
	}
	return j, nil
}

// deployment returns the activity of a deployment, or a pending job
// standing for it while the Control Room has not listed it yet: we cannot
// tell a slow deployment from a lost one, so it stays pending.
func (p *provider) deployment(ctx context.Context, deploymentID, fileID string) (connector.Job, error) {
	j, found, err := p.findActivity(ctx, "read deployment", eq("deploymentId", deploymentID))
	if err != nil || found {
		return j, err
	}
	now := p.now()
	return connector.Job{
		Ref: deploymentPrefix + deploymentID, ProcessRef: fileID,
		State: connector.StatePending, RawState: "DEPLOYED", CreatedAt: now, UpdatedAt: now,
	}, nil
}

func (p *provider) findActivity(ctx context.Context, op string, f *filter) (connector.Job, bool, error) {
	var out listPage
	req := listRequest{Filter: f, Page: page{Offset: 0, Length: 1}}
	if _, err := p.post(ctx, op, activityPath, req, &out); err != nil {
		return connector.Job{}, false, err
	}
	if len(out.List) == 0 {
		return connector.Job{}, false, nil
	}
	jobs, err := convert(op, out.List, toJob)
	if err != nil {
		return connector.Job{}, false, err
	}
	return jobs[0], true, nil
}

func (p *provider) now() time.Time {
	if p.cfg.Now != nil {
		return p.cfg.Now().UTC()
	}
	return time.Now().UTC()
}
