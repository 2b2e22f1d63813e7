package powerautomate

import (
	"context"
	"encoding/json"
	"net/http"

	"bureau/connector"
)

// runTimeout is how long a started desktop flow may run, in seconds
// (Dataverse's default is 3 hours, its maximum 24).
const runTimeout = 7200

// runDesktopFlow is the body of the RunDesktopFlow bound action.
type runDesktopFlow struct {
	RunMode        string `json:"runMode"`
	RunPriority    string `json:"runPriority"`
	ConnectionName string `json:"connectionName"`
	// ConnectionType is 1 for a connection, 2 for a connection reference.
	ConnectionType int    `json:"connectionType"`
	Timeout        int    `json:"timeout"`
	Inputs         string `json:"inputs,omitempty"` // the inputs as a JSON string
}

// StartRun starts a desktop flow with RunDesktopFlow and returns its
// flow session. Cloud flows have no start action in Dataverse.
func (p *Provider) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	const op = "start run"
	if !isGUID(processRef) {
		return connector.Job{}, connector.Errorf(connector.KindNotFound, op, "%q is not a flow id", processRef)
	}
	if in.RobotRef != "" {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op,
			"Power Automate picks the machine from the desktop flow connection; a run cannot be pinned to a machine")
	}
	body, err := p.runBody(in)
	if err != nil {
		return connector.Job{}, err
	}
	var w workflow
	if _, err := p.get(ctx, op, p.api+"workflows("+processRef+")?"+query("$select", "workflowid,name,category"), &w); err != nil {
		return connector.Job{}, err
	}
	if w.Category != categoryDesktop {
		return connector.Job{}, connector.Errorf(connector.KindInvalid, op,
			"%q is a cloud flow: only desktop flows can be started through Dataverse; cloud flows start from their own trigger", w.Name)
	}
	var out struct {
		SessionID string `json:"flowsessionId"`
	}
	action := p.api + "workflows(" + processRef + ")/Microsoft.Dynamics.CRM.RunDesktopFlow"
	// No Retry: a start that failed on the way back may have started a run.
	if _, err := p.caller.Do(ctx, connector.Request{Op: op, Method: http.MethodPost, URL: action, Header: p.header(), Body: body}, &out); err != nil {
		return connector.Job{}, err
	}
	if !isGUID(out.SessionID) {
		return connector.Job{}, connector.Errorf(connector.KindUnavailable, op, "RunDesktopFlow answered without a flow session id")
	}
	job, err := p.session(ctx, out.SessionID)
	if err != nil {
		// The run is queued even if reading it back failed: say so rather
		// than report a failure someone would answer by starting it again.
		now := p.now()
		return connector.Job{Ref: sessionPrefix + out.SessionID, ProcessRef: processRef, ProcessName: w.Name,
			State: connector.StatePending, RawState: "Waiting", CreatedAt: now, UpdatedAt: now, Trigger: "api"}, nil
	}
	job.ProcessName = w.Name
	return job, nil
}

func (p *Provider) runBody(in connector.RunInput) (runDesktopFlow, error) {
	body := runDesktopFlow{
		RunMode:        p.cfg.Setting("run_mode", "unattended"),
		RunPriority:    "normal",
		ConnectionName: p.cfg.Settings["connection_name"],
		ConnectionType: 1,
		Timeout:        runTimeout,
	}
	if body.ConnectionName == "" {
		return body, connector.Errorf(connector.KindConfig, "start run",
			"set the desktop flow connection in the account's connection settings to start desktop flows")
	}
	if p.cfg.Settings["connection_type"] == "connection_reference" {
		body.ConnectionType = 2
	}
	if len(in.Arguments) > 0 {
		b, err := json.Marshal(in.Arguments)
		if err != nil {
			return body, connector.Errorf(connector.KindInvalid, "start run", "the inputs cannot be encoded as JSON: %v", err)
		}
		body.Inputs = string(b)
	}
	return body, nil
}
