package uipath

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"bureau/connector"
)

// States maps Orchestrator's JobDto.State enum (identical in API v16 and
// v20) to Bureau's states.
var States = connector.StateMap{
	States: map[string]connector.State{
		"Pending":     connector.StatePending,
		"Running":     connector.StateRunning,
		"Stopping":    connector.StateRunning,
		"Terminating": connector.StateRunning,
		"Resumed":     connector.StateRunning,
		"Successful":  connector.StateSuccessful,
		"Faulted":     connector.StateFaulted,
		"Stopped":     connector.StateStopped,
		"Suspended":   connector.StateSuspended,
	},
	Fallback: connector.StateRunning,
}

// robotStatuses maps SessionDto.State.
var robotStatuses = map[string]connector.RobotStatus{
	"Available":    connector.RobotAvailable,
	"Busy":         connector.RobotBusy,
	"Disconnected": connector.RobotOffline,
	"Unknown":      connector.RobotUnknown,
}

// odataTime reads Orchestrator's times: RFC 3339, or (older on-prem
// servers) without a zone, which is UTC there. Null stays zero.
type odataTime struct{ time.Time }

func (t *odataTime) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		v, err = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
	}
	t.Time = v.UTC()
	return err
}

func (t odataTime) ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.Time
	return &v
}

type folderDTO struct {
	ID                 int64  `json:"Id"`
	DisplayName        string `json:"DisplayName"`
	FullyQualifiedName string `json:"FullyQualifiedName"`
}

type releaseDTO struct {
	ID                 int64  `json:"Id"`
	Key                string `json:"Key"`
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	OrganizationUnitID int64  `json:"OrganizationUnitId"`
	FolderPath         string `json:"OrganizationUnitFullyQualifiedName"`
}

type jobDTO struct {
	ID                   int64     `json:"Id"`
	State                string    `json:"State"`
	CreationTime         odataTime `json:"CreationTime"`
	StartTime            odataTime `json:"StartTime"`
	EndTime              odataTime `json:"EndTime"`
	LastModificationTime odataTime `json:"LastModificationTime"`
	ReleaseName          string    `json:"ReleaseName"`
	Source               string    `json:"Source"`
	SourceType           string    `json:"SourceType"`
	Info                 string    `json:"Info"`
	HostMachineName      string    `json:"HostMachineName"`
	OrganizationUnitID   int64     `json:"OrganizationUnitId"`
	Robot                *struct {
		ID   int64  `json:"Id"`
		Name string `json:"Name"`
	} `json:"Robot"`
	Release *struct {
		ID   int64  `json:"Id"`
		Name string `json:"Name"`
	} `json:"Release"`
	JobError *struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"JobError"`
}

type sessionDTO struct {
	ID              int64     `json:"Id"`
	State           string    `json:"State"`
	IsUnresponsive  bool      `json:"IsUnresponsive"`
	ReportingTime   odataTime `json:"ReportingTime"`
	MachineName     string    `json:"MachineName"`
	HostMachineName string    `json:"HostMachineName"`
	Robot           *struct {
		ID   int64  `json:"Id"`
		Name string `json:"Name"`
	} `json:"Robot"`
}

type scheduleDTO struct {
	ID                         int64     `json:"Id"`
	Name                       string    `json:"Name"`
	Enabled                    bool      `json:"Enabled"`
	ReleaseID                  int64     `json:"ReleaseId"`
	ReleaseName                string    `json:"ReleaseName"`
	StartProcessCron           string    `json:"StartProcessCron"`
	StartProcessCronSummary    string    `json:"StartProcessCronSummary"`
	StartProcessNextOccurrence odataTime `json:"StartProcessNextOccurrence"`
	TimeZoneID                 string    `json:"TimeZoneId"`
	TimeZoneIana               string    `json:"TimeZoneIana"`
	QueueDefinitionName        string    `json:"QueueDefinitionName"`
}

func ref(id int64) string { return strconv.FormatInt(id, 10) }

func (r releaseDTO) process(f folderDTO, raw json.RawMessage) connector.Process {
	return connector.Process{
		Ref: ref(r.ID), Name: r.Name, Description: r.Description,
		Folder: firstNonEmpty(r.FolderPath, f.FullyQualifiedName), Raw: raw,
	}
}

func (j jobDTO) job(raw json.RawMessage) connector.Job {
	out := connector.Job{
		Ref: ref(j.ID), ProcessName: j.ReleaseName, State: States.Normalise(j.State), RawState: j.State,
		CreatedAt: j.CreationTime.Time, StartedAt: j.StartTime.ptr(), EndedAt: j.EndTime.ptr(),
		Trigger: strings.ToLower(firstNonEmpty(j.SourceType, j.Source)), Raw: raw,
	}
	out.ProcessRef = j.ReleaseName // without the expanded release, its name is all there is
	if j.Release != nil {
		out.ProcessRef, out.ProcessName = ref(j.Release.ID), firstNonEmpty(j.ReleaseName, j.Release.Name)
	}
	if j.Robot != nil {
		out.RobotRef, out.RobotName = ref(j.Robot.ID), j.Robot.Name
	}
	out.UpdatedAt = latest(j.LastModificationTime.Time, j.CreationTime.Time, j.StartTime.Time, j.EndTime.Time)
	if out.State == connector.StateFaulted {
		out.Error = j.errorText()
	}
	return out
}

// errorText is why a job faulted: the structured JobError (API v20) or
// the Info text every version has.
func (j jobDTO) errorText() string {
	if j.JobError != nil {
		if s := firstNonEmpty(j.JobError.Detail, j.JobError.Title); s != "" {
			return s
		}
	}
	return firstNonEmpty(j.Info, "Faulted")
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// robot maps a runtime session. Unattended sessions carry their robot;
// a machine-level session without one is named after its machine.
func (s sessionDTO) robot(raw json.RawMessage) connector.Robot {
	out := connector.Robot{
		Ref: "session-" + ref(s.ID), Name: firstNonEmpty(s.HostMachineName, s.MachineName),
		RawStatus: s.State, Machine: firstNonEmpty(s.HostMachineName, s.MachineName), LastSeen: s.ReportingTime.ptr(), Raw: raw,
	}
	if s.Robot != nil {
		out.Ref, out.Name = ref(s.Robot.ID), s.Robot.Name
	}
	out.Status = robotStatuses[s.State]
	if out.Status == "" {
		out.Status = connector.RobotUnknown
	}
	if s.IsUnresponsive {
		out.Status = connector.RobotOffline // no heartbeat for over two minutes
	}
	return out
}

func (s scheduleDTO) schedule(raw json.RawMessage) connector.Schedule {
	out := connector.Schedule{
		Ref: ref(s.ID), Name: s.Name, ProcessRef: ref(s.ReleaseID), ProcessName: s.ReleaseName, Enabled: s.Enabled,
		Cron: s.StartProcessCron, Summary: s.StartProcessCronSummary, Timezone: firstNonEmpty(s.TimeZoneIana, s.TimeZoneID),
		NextRunAt: s.StartProcessNextOccurrence.ptr(), Raw: raw,
	}
	if s.ReleaseID == 0 {
		out.ProcessRef = ""
	}
	if out.Summary == "" && s.QueueDefinitionName != "" {
		out.Summary = "When items are added to queue " + s.QueueDefinitionName
	}
	return out
}
