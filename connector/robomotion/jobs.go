package robomotion

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"bureau/connector"
)

// States maps Robomotion's integer job status. The community client
// defines running=1, success=2, failed=3 (as jobs.list status filters,
// unverified); 0 queued and 4 stopped are assumptions. Unknown codes are
// watched as running until they change.
var States = connector.StateMap{
	States: map[string]connector.State{
		"0": connector.StatePending,
		"1": connector.StateRunning,
		"2": connector.StateSuccessful,
		"3": connector.StateFaulted,
		"4": connector.StateStopped,
	},
	Fallback: connector.StateRunning,
}

// job is a jobs.list item. id, flow_id, flow_name, robot_id, robot_name,
// status, started_at and finished_at come from the community client;
// error is an assumption. There is no creation time: started_at is read
// as the time the job was created (assumption), so a queued job has one.
type job struct {
	ID         string `json:"id"`
	FlowID     string `json:"flow_id"`
	FlowName   string `json:"flow_name"`
	RobotID    string `json:"robot_id"`
	RobotName  string `json:"robot_name"`
	Status     number `json:"status"`
	StartedAt  number `json:"started_at"`
	FinishedAt number `json:"finished_at"`
	Error      string `json:"error"`
}

// number accepts a JSON number (integer or not) or a numeric string: the
// field types are undocumented.
type number int64

func (n *number) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*n = number(f)
	return nil
}

func (p *Provider) toJob(j job, raw json.RawMessage) connector.Job {
	rawState := strconv.FormatInt(int64(j.Status), 10)
	out := connector.Job{
		Ref: j.ID, ProcessRef: j.FlowID, ProcessName: j.FlowName,
		RobotRef: j.RobotID, RobotName: j.RobotName,
		State: States.Normalise(rawState), RawState: rawState,
		Error: j.Error, Raw: raw,
	}
	created := epoch(int64(j.StartedAt))
	if created == nil {
		created = epoch(int64(j.FinishedAt))
	}
	if created == nil {
		now := p.now() // no time at all: first seen now
		created = &now
	}
	out.CreatedAt = *created
	if out.State != connector.StatePending {
		out.StartedAt = epoch(int64(j.StartedAt))
	}
	out.EndedAt = epoch(int64(j.FinishedAt))
	out.UpdatedAt = out.CreatedAt
	if out.EndedAt != nil && out.EndedAt.After(out.UpdatedAt) {
		out.UpdatedAt = *out.EndedAt
	}
	if out.State == connector.StateFaulted && out.Error == "" {
		out.Error = "Robomotion reported the job as failed without a message"
	}
	return out
}

func (p *Provider) now() time.Time {
	if p.cfg.Now != nil {
		return p.cfg.Now().UTC()
	}
	return time.Now().UTC()
}

func (p *Provider) decodeJob(op string, raw json.RawMessage) (connector.Job, error) {
	var j job
	if err := json.Unmarshal(raw, &j); err != nil {
		return connector.Job{}, connector.Errorf(connector.KindUnavailable, op, "unexpected job: %v", err)
	}
	return p.toJob(j, raw), nil
}

// Jobs lists jobs created at or after since. jobs.list has no documented
// time filter (its "date" parameter's format is unknown) and is assumed
// to answer newest first, so the listing pages from the newest and stops
// after the first page holding a job older than since, dropping those.
// When a page turns out not to be newest first, it never stops early and
// simply filters: slower, never wrong.
func (p *Provider) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	newestFirst := true
	return p.list(ctx, "list jobs", "jobs.list", "jobs", func(items []json.RawMessage) error {
		out := make([]connector.Job, 0, len(items))
		older := false
		var prev time.Time
		for i, raw := range items {
			j, err := p.decodeJob("list jobs", raw)
			if err != nil {
				return err
			}
			if i > 0 && j.CreatedAt.After(prev) {
				newestFirst = false
			}
			prev = j.CreatedAt
			if !since.IsZero() && j.CreatedAt.Before(since) {
				older = true
				continue
			}
			out = append(out, j)
		}
		if len(out) > 0 {
			if err := fn(out); err != nil {
				return err
			}
		}
		if older && newestFirst {
			return errStop
		}
		return nil
	})
}

// Job reads one job through jobs.get?job_id=… (assumption: the public
// docs list no single-job call; this follows the API's naming). When the
// server has no such call, the recent jobs are searched instead.
func (p *Provider) Job(ctx context.Context, ref string) (connector.Job, error) {
	f, err := p.call(ctx, "read job", http.MethodGet, "jobs.get", url.Values{"job_id": {ref}}, nil)
	var ce *connector.Error
	if errors.As(err, &ce) && (ce.Status == http.StatusNotFound || ce.Code == "unknown_method") {
		return p.findJob(ctx, ref)
	}
	if err != nil {
		return connector.Job{}, err
	}
	raw, ok := f["job"]
	if !ok || string(raw) == "null" {
		return connector.Job{}, &connector.Error{Kind: connector.KindNotFound, Op: "read job", Message: "Job not found", Code: "job_not_found"}
	}
	return p.decodeJob("read job", raw)
}

// findSearchLimit bounds the search of recent jobs for one job.
const findSearchLimit = 1000

func (p *Provider) findJob(ctx context.Context, ref string) (connector.Job, error) {
	var found *connector.Job
	seen := 0
	err := p.list(ctx, "read job", "jobs.list", "jobs", func(items []json.RawMessage) error {
		for _, raw := range items {
			var j job
			if json.Unmarshal(raw, &j) == nil && j.ID == ref {
				out := p.toJob(j, raw)
				found = &out
				return errStop
			}
		}
		if seen += len(items); seen >= findSearchLimit {
			return errStop
		}
		return nil
	})
	if err != nil {
		return connector.Job{}, err
	}
	if found == nil {
		return connector.Job{}, &connector.Error{Kind: connector.KindNotFound, Op: "read job", Message: "Job not found among the recent jobs", Code: "job_not_found"}
	}
	return *found, nil
}

// StartRun runs a flow with POST /v1/flows.run {flow_id, robot_id} (a
// Write token is needed). The robot is the one asked for, else the
// account's default robot, else the workspace's first production robot.
// A run is not retried: a second attempt would start a second job.
func (p *Provider) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	const op = "start run"
	if len(in.Arguments) > 0 {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op, "Robomotion's API takes no input arguments for a run")
	}
	robotID := in.RobotRef
	if robotID == "" {
		robotID = p.cfg.Settings["robot_id"]
	}
	if robotID == "" {
		var err error
		if robotID, err = p.productionRobot(ctx); err != nil {
			return connector.Job{}, err
		}
	}
	body := map[string]string{"flow_id": processRef, "robot_id": robotID}
	f, err := p.call(ctx, op, http.MethodPost, "flows.run", nil, body)
	if err != nil {
		return connector.Job{}, err
	}
	var jobID string
	_ = unmarshalField(f, "job_id", &jobID)
	if jobID == "" {
		return connector.Job{}, connector.Errorf(connector.KindUnavailable, op,
			"Robomotion accepted the run but returned no job id; the job will appear at the next sync")
	}
	j, err := p.Job(ctx, jobID)
	if connector.KindOf(err) == connector.KindNotFound {
		// Not readable yet: report it as Robomotion just queued it.
		now := p.now()
		return connector.Job{Ref: jobID, ProcessRef: processRef, RobotRef: robotID, State: connector.StatePending,
			RawState: "0", CreatedAt: now, UpdatedAt: now, Trigger: "api"}, nil
	}
	return j, err
}

// productionRobot returns the first robot of type production.
func (p *Provider) productionRobot(ctx context.Context) (string, error) {
	var id string
	err := p.list(ctx, "list robots", "robots.list", "robots", func(items []json.RawMessage) error {
		for _, raw := range items {
			var r robot
			if json.Unmarshal(raw, &r) == nil && r.Type == "production" {
				id = r.ID
				return errStop
			}
		}
		return nil
	})
	if err == nil && id == "" {
		err = connector.Errorf(connector.KindInvalid, "start run",
			"the workspace has no production robot: choose a robot, or set a default robot ID in the connection settings")
	}
	return id, err
}
