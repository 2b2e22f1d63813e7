package pasim

import (
	"time"

	"bureau/connector/simkit"
)

// Workflow categories and the desktop flow session status codes used here.
const (
	categoryCloud   = 5
	categoryDesktop = 6

	statusRunning   = 2
	statusWaiting   = 3
	statusSucceeded = 4
	statusFailed    = 8
)

type workflow struct {
	id, name, description string
	category              int
	state                 int // 0 Draft (off), 1 Activated (on)
	created, modified     time.Time
	clientData            string // the flow definition; "" is null
	failsRuns             bool   // runs started through the API end Failed
	runTrigger            string // its runs' flowrun.triggertype
}

func (w *workflow) row() row {
	status := 1 // Draft
	if w.state == 1 {
		status = 2 // Activated
	}
	return row{
		"workflowid": w.id, "name": w.name, "category": w.category, "statecode": w.state, "statuscode": status,
		"type": 1, "description": optString(w.description), "createdon": dvTime(w.created), "modifiedon": dvTime(w.modified),
		"clientdata": optString(w.clientData), "primaryentity": "none",
	}
}

// session is a desktop flow run. Seeded ones are fixed; live ones (started
// through RunDesktopFlow) move on the clock: Waiting → Running → final.
type session struct {
	id, workflow, name, machine string
	created                     time.Time
	runMode, trigger            int
	connection                  string

	status             int
	started, completed *time.Time
	modified           time.Time
	errCode, errMsg    string

	live, fails bool
}

// sessionStateCode is the statecode Dataverse pairs with a statuscode:
// NotSpecified, Deleted and Terminated are Inactive, the rest Active.
func sessionStateCode(status int) int {
	if status == 0 || status == 13 || status == 14 {
		return 1
	}
	return 0
}

func (x *session) row(o simkit.Options, now time.Time) row {
	status, started, completed, modified := x.status, x.started, x.completed, x.modified
	code, msg, machine := x.errCode, x.errMsg, x.machine
	if x.live {
		status, started, completed, modified = x.progress(o, now)
		if status == statusWaiting {
			machine = ""
		}
		if status != statusFailed {
			code, msg = "", ""
		}
	}
	return row{
		"flowsessionid": x.id, "name": x.name, "statecode": sessionStateCode(status), "statuscode": status,
		"createdon": dvTime(x.created), "startedon": opt(started), "completedon": opt(completed), "modifiedon": dvTime(modified),
		"_regardingobjectid_value": x.workflow, "_machineid_value": optString(machine),
		"errorcode": optString(code), "errormessage": optString(msg),
		"runmode": x.runMode, "triggertype": x.trigger, "connectionid": optString(x.connection),
	}
}

// progress is where a live session is at now.
func (x *session) progress(o simkit.Options, now time.Time) (status int, started, completed *time.Time, modified time.Time) {
	start := x.created.Add(o.RunPending)
	end := start.Add(o.RunDuration)
	switch o.RunState(x.created, now) {
	case "pending":
		return statusWaiting, nil, nil, x.created
	case "running":
		return statusRunning, &start, nil, start
	}
	if x.fails {
		return statusFailed, &start, &end, end
	}
	return statusSucceeded, &start, &end, end
}

// flowRun is a cloud flow run (the flowrun elastic table).
type flowRun struct {
	id, name, workflow, workflowName string
	status, trigger, errCode, errMsg string
	start                            time.Time
	end                              *time.Time
}

// runTTL is flowrun.ttlinseconds: runs are kept 28 days by default.
const runTTL = 28 * 24 * 3600

func (f *flowRun) row() row {
	modified := f.start
	var duration any
	if f.end != nil {
		modified = *f.end
		duration = int(f.end.Sub(f.start) / time.Second)
	}
	return row{
		"flowrunid": f.id, "name": f.name, "status": f.status, "starttime": dvTime(f.start), "endtime": opt(f.end),
		"duration": duration, "createdon": dvTime(f.start), "modifiedon": dvTime(modified),
		"_workflow_value": f.workflow, "workflowid": f.workflow, "workflowname": f.workflowName,
		"triggertype": f.trigger, "errorcode": optString(f.errCode), "errormessage": optString(f.errMsg), "ttlinseconds": runTTL,
	}
}

// machine is a flowmachine. An online one's agent keeps sending heartbeats
// (beat is how long before now the last one came); an offline one's last
// heartbeat is fixed at lastBeat.
type machine struct {
	id, name, group, agent string
	state, status, hosting int
	online                 bool
	beat                   time.Duration
	lastBeat, created      time.Time
}

func (m *machine) row(now time.Time) row {
	beat := m.lastBeat
	if m.online {
		beat = now.Add(-m.beat)
	}
	return row{
		"flowmachineid": m.id, "name": m.name, "statecode": m.state, "statuscode": m.status,
		"lastheartbeatdate": dvTime(beat), "agentversion": m.agent, "hostingtype": m.hosting, "sessioncapacity": 1,
		"_flowmachinegroupid_value": m.group, "createdon": dvTime(m.created), "modifiedon": dvTime(m.created),
	}
}
