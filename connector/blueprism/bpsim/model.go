package bpsim

import (
	"encoding/json"
	"fmt"
	"time"
)

// process is the spec's Process, as GET /processes answers it.
type process struct {
	ProcessID          string   `json:"processId"`
	ProcessName        string   `json:"processName"`
	ProcessDescription string   `json:"processDescription"`
	GroupID            string   `json:"groupId"`
	GroupName          string   `json:"groupName"`
	Attributes         []string `json:"attributes"`
	// fails: runs of it started through the API end Terminated.
	fails bool
}

func (p *process) retired() bool {
	for _, a := range p.Attributes {
		if a == "Retired" {
			return true
		}
	}
	return false
}

// resource is a runtime resource; its display status is worked out from
// the sessions on it.
type resource struct {
	id, name, groupID, groupName string
	// base is the status with no session running: Idle, Offline,
	// LoggedOut or Missing.
	base string
}

func (r *resource) reachable() bool { return r.base == "Idle" }

// resourceView is the spec's Resource.
type resourceView struct {
	ID                  string   `json:"id"`
	Name                string   `json:"name"`
	GroupID             string   `json:"groupId"`
	GroupName           string   `json:"groupName"`
	Attributes          []string `json:"attributes"`
	ActiveSessionCount  int      `json:"activeSessionCount"`
	WarningSessionCount int      `json:"warningSessionCount"`
	PendingSessionCount int      `json:"pendingSessionCount"`
	DatabaseStatus      string   `json:"databaseStatus"`
	DisplayStatus       string   `json:"displayStatus"`
	ResourceType        string   `json:"resourceType"`
}

// scheduleSummary is the spec's ScheduleSummary.
type scheduleSummary struct {
	ID            int     `json:"id"`
	Name          string  `json:"name"`
	Description   string  `json:"description"`
	InitialTaskID int     `json:"initialTaskId"`
	IsRetired     bool    `json:"isRetired"`
	TasksCount    int     `json:"tasksCount"`
	IntervalType  string  `json:"intervalType"`
	TimePeriod    int     `json:"timePeriod"`
	DayOfWeek     *string `json:"dayOfWeek"`
	DayOfMonth    string  `json:"dayOfMonth"`
	StartDate     *string `json:"startDate"`
	EndDate       *string `json:"endDate"`
	CalendarID    int     `json:"calendarId"`
	CalendarName  string  `json:"calendarName"`
}

// scheduleLog is the spec's ScheduleLogSummary (status in lower case, as
// the spec has it).
type scheduleLog struct {
	ScheduleLogID int    `json:"scheduleLogId"`
	StartTime     string `json:"startTime"`
	EndTime       string `json:"endTime"`
	Duration      string `json:"duration"`
	Status        string `json:"status"`
	ServerName    string `json:"serverName"`
	ScheduleID    int    `json:"scheduleId"`
	ScheduleName  string `json:"scheduleName"`
	start, end    time.Time
}

// session is one session: seeded history, or one started through the API.
type session struct {
	id         string
	number     int
	processID  string
	resourceID string
	username   string
	created    time.Time
	// Seeded history is fixed.
	history    bool
	status     string
	start, end time.Time
	excMessage string
	excType    string
	reason     string
	stage      string
	// Started through the API: runAt is the PATCH to Running, stopAt a
	// PATCH to Stopping or Stopped.
	runAt, stopAt time.Time
	fails         bool
	params        json.RawMessage
}

// sessionView is the spec's SessionSummary.
type sessionView struct {
	SessionID         string   `json:"sessionId"`
	SessionNumber     int      `json:"sessionNumber"`
	ProcessID         string   `json:"processId"`
	ProcessName       string   `json:"processName"`
	ResourceID        string   `json:"resourceId"`
	ResourceName      string   `json:"resourceName"`
	Username          string   `json:"username"`
	Status            string   `json:"status"`
	StartTime         *string  `json:"startTime"`
	EndTime           *string  `json:"endTime"`
	LatestStage       *string  `json:"latestStage"`
	StageStarted      *string  `json:"stageStarted"`
	ExceptionMessage  *string  `json:"exceptionMessage"`
	ExceptionType     *string  `json:"exceptionType"`
	TerminationReason *string  `json:"terminationReason"`
	SessionSource     string   `json:"sessionSource"`
	ProcessAttribute  []string `json:"processAttribute"`

	start, end time.Time
}

// Deterministic IDs: a fixed prefix per kind and the record's number.
func processID(i int) string  { return fmt.Sprintf("7c0e4f2b-93d1-4b66-a2af-%012x", i+1) }
func resourceID(i int) string { return fmt.Sprintf("5d2c8e0a-71b4-4a8e-9f30-%012x", i+1) }
func groupID(i int) string    { return fmt.Sprintf("99e23d41-e8ec-4ffe-89c9-%012x", i+1) }
func sessionID(n int) string  { return fmt.Sprintf("e8a9d7c2-5f10-4b3e-bd64-%012x", n) }
