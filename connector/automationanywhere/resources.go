package automationanywhere

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"bureau/connector"
)

// botType is the repository file type of a task bot.
const botType = "application/vnd.aa.taskbot"

type file struct {
	ID          id     `json:"id"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Description string `json:"description"`
}

// Processes lists the task bots of the public workspace: the ones that can
// be deployed to unattended Bot Runners.
func (p *provider) Processes(ctx context.Context, fn func([]connector.Process) error) error {
	req := listRequest{Filter: eq("type", botType), Sort: []sortBy{{Field: "name", Direction: "asc"}}}
	return list(ctx, p, "list bots", "/v2/repository/workspaces/public/files/list", req, toProcess, fn)
}

func toProcess(f file, raw json.RawMessage) connector.Process {
	return connector.Process{Ref: string(f.ID), Name: f.Name, Description: f.Description, Folder: folderOf(f.Path), Raw: raw}
}

// folderOf drops the bot's own name from its repository path
// ("Automation Anywhere\Bots\Finance\Invoices" → "…\Finance").
func folderOf(path string) string {
	if i := strings.LastIndexAny(path, `\/`); i >= 0 {
		return path[:i]
	}
	return ""
}

type device struct {
	ID       id     `json:"id"`
	HostName string `json:"hostName"`
	Nickname string `json:"nickname"`
	Status   string `json:"status"`
}

// Robots lists the Bot Agent devices.
func (p *provider) Robots(ctx context.Context, fn func([]connector.Robot) error) error {
	req := listRequest{Sort: []sortBy{{Field: "id", Direction: "asc"}}}
	return list(ctx, p, "list devices", "/v2/devices/list", req, toRobot, fn)
}

func toRobot(d device, raw json.RawMessage) connector.Robot {
	name := d.Nickname
	if name == "" {
		name = d.HostName
	}
	return connector.Robot{Ref: string(d.ID), Name: name, Status: robotStatus(d.Status), RawStatus: d.Status, Machine: d.HostName, Raw: raw}
}

// robotStatus: the Control Room reports connection, not work, so a
// connected device is "available" even while it runs a bot.
func robotStatus(raw string) connector.RobotStatus {
	switch raw {
	case "CONNECTED":
		return connector.RobotAvailable
	case "DISCONNECTED", "OFFLINE":
		return connector.RobotOffline
	default:
		return connector.RobotUnknown
	}
}

type schedule struct {
	ID              id     `json:"id"`
	Name            string `json:"name"`
	FileID          id     `json:"fileId"`
	FileName        string `json:"fileName"`
	Status          string `json:"status"`
	ScheduleType    string `json:"scheduleType"`
	StartDate       string `json:"startDate"`
	StartTime       string `json:"startTime"`
	TimeZone        string `json:"timeZone"`
	NextRun         string `json:"zonedNextRunDateTime"`
	DailyRecurrence *struct {
		Interval int `json:"interval"`
	} `json:"dailyRecurrence"`
	WeeklyRecurrence *struct {
		Interval   int      `json:"interval"`
		DaysOfWeek []string `json:"daysOfWeek"`
	} `json:"weeklyRecurrence"`
}

// Schedules lists scheduled automations through the v1 scheduler API,
// still served (deprecated since v.34) and documented with the fields we
// need; the v2 list's shape is not public yet.
func (p *provider) Schedules(ctx context.Context, fn func([]connector.Schedule) error) error {
	req := listRequest{Sort: []sortBy{{Field: "id", Direction: "asc"}}}
	return list(ctx, p, "list schedules", "/v1/schedule/automations/list", req, toSchedule, fn)
}

func toSchedule(s schedule, raw json.RawMessage) connector.Schedule {
	return connector.Schedule{
		Ref: string(s.ID), Name: s.Name, ProcessRef: string(s.FileID), ProcessName: s.FileName,
		Enabled: s.Status == "ACTIVE", Summary: summary(s), Timezone: s.TimeZone,
		NextRunAt: parseTime(s.NextRun), Raw: raw,
	}
}

// summary says when a schedule runs in words, from its type and start
// time ("Every 2 days at 09:30").
func summary(s schedule) string {
	at := ""
	if s.StartTime != "" {
		at = " at " + s.StartTime
	}
	switch s.ScheduleType {
	case "DAILY":
		n := 1
		if s.DailyRecurrence != nil && s.DailyRecurrence.Interval > 1 {
			n = s.DailyRecurrence.Interval
		}
		return every(n, "day") + at
	case "WEEKLY":
		text := "Every week"
		if w := s.WeeklyRecurrence; w != nil {
			text = every(max(w.Interval, 1), "week")
			if len(w.DaysOfWeek) > 0 {
				text += " on " + strings.Join(w.DaysOfWeek, ", ")
			}
		}
		return text + at
	case "MONTHLY":
		return "Every month" + at
	case "NONE", "ONCE":
		return strings.TrimSpace("Once " + s.StartDate + at)
	case "":
		return ""
	default:
		return strings.ToUpper(s.ScheduleType[:1]) + strings.ToLower(s.ScheduleType[1:]) + at
	}
}

func every(n int, unit string) string {
	if n == 1 {
		return "Every " + unit
	}
	return fmt.Sprintf("Every %d %ss", n, unit)
}
