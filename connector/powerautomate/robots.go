package powerautomate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"bureau/connector"
)

// heartbeatWindow: a machine whose agent has not checked in for longer is
// offline (the agent reports every minute or so; assumption: five minutes
// rides out a missed beat or two).
const heartbeatWindow = 5 * time.Minute

// machineStatus names flowmachines.statuscode values (Dataverse's
// flowmachine_statuscode choice).
var machineStatus = map[int]string{
	1: "Active", 2: "Inactive", 3: "RequiresReconnection", 4: "ManualMaintenance", 5: "DrainMode",
	6: "ToDelete", 7: "Temporary", 8: "Error", 9: "Disabled", 10: "Provisioning", 11: "RequiresGroupKey",
	12: "ProvisionedWithError", 13: "HostedMachineOvercapacity", 14: "HostedMachineOvercapacityDeleted",
	15: "HostedMachineOvercapacityDisabled",
}

const machineColumns = "flowmachineid,name,statecode,statuscode,lastheartbeatdate,agentversion,hostingtype,_flowmachinegroupid_value"

type machine struct {
	ID         string  `json:"flowmachineid"`
	Name       string  `json:"name"`
	StateCode  int     `json:"statecode"`
	StatusCode *int    `json:"statuscode"`
	Heartbeat  *string `json:"lastheartbeatdate"`
}

func (m machine) robot(raw json.RawMessage, now time.Time) connector.Robot {
	r := connector.Robot{Ref: m.ID, Name: m.Name, Machine: m.Name, LastSeen: dvTime(m.Heartbeat), Raw: raw,
		Status: connector.RobotOffline, RawStatus: fmt.Sprintf("statecode %d", m.StateCode)}
	if m.StatusCode != nil {
		r.RawStatus = fmt.Sprintf("statuscode %d", *m.StatusCode)
		if name, ok := machineStatus[*m.StatusCode]; ok {
			r.RawStatus = name
		}
	}
	// statecode 0 is Active; Inactive (1) and Maintenance (2) take no runs
	// whatever the heartbeat says.
	if m.StateCode == 0 && r.LastSeen != nil && now.Sub(*r.LastSeen) <= heartbeatWindow {
		r.Status = connector.RobotAvailable
	}
	return r
}

// Robots lists the environment's machines.
func (p *Provider) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	q := query("$select", machineColumns)
	return p.list(ctx, "list machines", "flowmachines", q, func(raw []json.RawMessage) error {
		now := p.now()
		rs, err := decodeEach("list machines", raw, func(m machine, r json.RawMessage) connector.Robot { return m.robot(r, now) })
		if err != nil {
			return err
		}
		return fn(rs)
	})
}

func (p *Provider) now() time.Time {
	if p.cfg.Now != nil {
		return p.cfg.Now()
	}
	return time.Now()
}
