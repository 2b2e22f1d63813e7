package blueprism

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"bureau/connector"
)

// process is a Process of GET /processes.
type process struct {
	ProcessID          string `json:"processId"`
	ProcessName        string `json:"processName"`
	ProcessDescription string `json:"processDescription"`
	GroupName          string `json:"groupName"`
}

func toProcess(p process, raw json.RawMessage) connector.Process {
	return connector.Process{Ref: p.ProcessID, Name: p.ProcessName, Description: p.ProcessDescription, Folder: p.GroupName, Raw: raw}
}

// Processes lists every process, retired ones included (Raw keeps the
// attributes that say so).
func (c *Client) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	const op = "list processes"
	return c.eachPage(ctx, op, "processes", nil, func(items []json.RawMessage) error {
		ps, err := decodeEach(op, items, toProcess)
		if err != nil {
			return err
		}
		return fn(ps)
	})
}

// resource is a Resource of GET /resources: a runtime resource (digital
// worker).
type resource struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	DisplayStatus string `json:"displayStatus"`
}

// robotStatus maps displayStatus. Warning is a resource whose session is
// slow to report: still working on it, so busy.
func robotStatus(display string) connector.RobotStatus {
	switch display {
	case "Working", "Warning":
		return connector.RobotBusy
	case "Idle":
		return connector.RobotAvailable
	case "Offline", "Missing", "LoggedOut":
		return connector.RobotOffline
	}
	return connector.RobotUnknown
}

func toRobot(r resource, raw json.RawMessage) connector.Robot {
	machine, _, _ := strings.Cut(r.Name, ":") // a resource is named host or host:port
	return connector.Robot{
		Ref: r.ID, Name: r.Name, Machine: machine,
		Status: robotStatus(r.DisplayStatus), RawStatus: r.DisplayStatus, Raw: raw,
	}
}

// Robots lists the runtime resources (non-retired: the API's default).
func (c *Client) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	const op = "list resources"
	return c.eachPage(ctx, op, "resources", nil, func(items []json.RawMessage) error {
		rs, err := decodeEach(op, items, toRobot)
		if err != nil {
			return err
		}
		return fn(rs)
	})
}

// schedule is a ScheduleSummary. It names no process: that sits on the
// schedule's tasks, one call per task away.
type schedule struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	IsRetired    bool   `json:"isRetired"`
	IntervalType string `json:"intervalType"`
	TimePeriod   int    `json:"timePeriod"`
	DayOfWeek    string `json:"dayOfWeek"`
	StartDate    bpTime `json:"startDate"`
	EndDate      bpTime `json:"endDate"`
	TimeZoneID   string `json:"timeZoneId"` // not in the 7.5.1 summary; read when a server sends it
}

func toSchedule(s schedule, raw json.RawMessage) connector.Schedule {
	return connector.Schedule{
		Ref:      strconv.Itoa(s.ID),
		Name:     s.Name,
		Enabled:  !s.IsRetired,
		Summary:  summary(s),
		Timezone: s.TimeZoneID,
		Raw:      raw,
	}
}

// Schedules lists active and retired schedules.
func (c *Client) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	const op = "list schedules"
	return c.eachPage(ctx, op, "schedules", nil, func(items []json.RawMessage) error {
		ss, err := decodeEach(op, items, toSchedule)
		if err != nil {
			return err
		}
		return fn(ss)
	})
}
