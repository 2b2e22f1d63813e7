package aasim

import (
	"fmt"
	"strconv"
	"time"

	"bureau/connector/simkit"
)

const (
	botType    = "application/vnd.aa.taskbot"
	folderType = "application/vnd.aa.directory"
	formType   = "application/vnd.aa.form" // not a bot: the type filter must drop it
	botsRoot   = `Automation Anywhere\Bots`
)

var botNames = []string{
	"Invoice Intake", "Vendor Onboarding", "Payroll Reconciliation", "Claims Triage",
	"Order to Cash Sync", "Bank Statement Download", "HR Offboarding", "Inventory Report",
}

var folders = []string{"Finance", "Operations", "HR"}

// failMessages are what failed activities say. Assumption: the field is
// "message"; the texts are in the Control Room's style, not copied.
var failMessages = []string{
	"Bot execution failed at line 14: Window 'SAP Easy Access' not found",
	"Bot execution failed at line 7: File 'C:\\Input\\statement.xlsx' does not exist",
	"Bot execution failed at line 22: Credential 'ERP-Login' could not be retrieved from the locker",
	"Bot execution failed at line 3: Object not found for action 'Click'",
}

func (s *Sim) seed() {
	now := s.now()
	s.users = []user{{id: "301", username: APIUser, password: APIPassword, apiKey: APIKey, first: "Bureau", last: "Sync"}}
	s.seedFiles(now)
	s.seedDevices(now)
	s.seedSchedules(now)
	s.seedActivities(now)
	s.seeded = simkit.Counts{Processes: len(s.bots()), Jobs: len(s.activities), Robots: len(s.devices), Schedules: len(s.schedules)}
}

func (s *Sim) seedFiles(now time.Time) {
	id := 1000
	for _, f := range folders {
		id++
		s.files = append(s.files, record{"id": strconv.Itoa(id), "parentId": "1000", "name": f, "path": botsRoot + `\` + f,
			"type": folderType, "folder": true, "workspaceType": "PUBLIC", "lastModified": stamp(now.Add(-90 * 24 * time.Hour))})
	}
	for i := range s.opts.Counts.Processes {
		id++
		name := botNames[i%len(botNames)]
		if i >= len(botNames) {
			name = fmt.Sprintf("%s %d", name, i/len(botNames)+1)
		}
		folder := i % len(folders)
		s.files = append(s.files, record{
			"id": strconv.Itoa(id), "parentId": strconv.Itoa(1001 + folder), "name": name,
			"path": botsRoot + `\` + folders[folder] + `\` + name, "type": botType, "folder": false,
			"workspaceType": "PUBLIC", "description": "Unattended " + name + " bot", "size": 4096 + i*512,
			"lastModified": stamp(now.Add(-time.Duration(10+i) * 24 * time.Hour)), "lastModifiedBy": "301",
		})
	}
	id++
	s.files = append(s.files, record{"id": strconv.Itoa(id), "parentId": "1001", "name": "Invoice Approval Form",
		"path": botsRoot + `\Finance\Invoice Approval Form`, "type": formType, "folder": false, "workspaceType": "PUBLIC",
		"lastModified": stamp(now.Add(-30 * 24 * time.Hour))})
}

// bots returns the task bots, in repository order.
func (s *Sim) bots() []record {
	var out []record
	for _, f := range s.files {
		if f["type"] == botType {
			out = append(out, f)
		}
	}
	return out
}

// deviceStatuses cycle over the seeded devices. Assumption: CONNECTED is
// documented; DISCONNECTED and OFFLINE are plausible others.
var deviceStatuses = []string{"CONNECTED", "CONNECTED", "DISCONNECTED", "CONNECTED", "OFFLINE"}

func (s *Sim) seedDevices(now time.Time) {
	for i := range s.opts.Counts.Robots {
		u := user{id: strconv.Itoa(401 + i), username: fmt.Sprintf("runner%02d", i+1), password: "Runner#" + strconv.Itoa(i+1),
			first: "Runner", last: strconv.Itoa(i + 1), runAs: true}
		s.users = append(s.users, u)
		host := fmt.Sprintf("AA-RUNNER-%02d", i+1)
		nickname := ""
		if i%2 == 0 {
			nickname = fmt.Sprintf("%s runner %d", folders[i%len(folders)], i+1)
		}
		s.devices = append(s.devices, record{
			"id": strconv.Itoa(21 + i), "type": "BOT_RUNNER", "hostName": host, "fullyQualifiedHostName": host + ".corp.example.com",
			"userId": u.id, "userName": u.username, "status": deviceStatuses[i%len(deviceStatuses)],
			"botAgentVersion": "22.60.10", "nickname": nickname, "updatedOn": stamp(now.Add(-time.Duration(i+1) * time.Hour)),
		})
	}
}

// deviceOf is the default device of a run-as user.
func (s *Sim) deviceOf(userID string) record {
	for _, d := range s.devices {
		if d["userId"] == userID {
			return d
		}
	}
	return record{}
}

func (s *Sim) seedActivities(now time.Time) {
	n := s.opts.Counts.Jobs
	bots := s.bots()
	if len(bots) == 0 || len(s.devices) == 0 {
		return
	}
	for i := range n {
		// Spread over the previous three days; every one ends before now.
		start := now.Add(-72*time.Hour*time.Duration(n-i)/time.Duration(n) - 25*time.Minute - time.Duration(s.rng.IntN(600))*time.Second)
		a := s.newActivity(bots[i%len(bots)], s.devices[i%len(s.devices)], start)
		a.final, a.message = seededOutcome(i)
		a.fixedEnd = start.Add(time.Duration(60+s.rng.IntN(1140)) * time.Second)
		if a.final == "DEPLOY_FAILED" {
			a.fixedEnd = start.Add(4 * time.Second)
		}
		s.activities = append(s.activities, a)
	}
}

// seededOutcome makes most runs succeed and a fifth fail, with a stopped,
// a timed-out and a never-deployed run among them.
func seededOutcome(i int) (string, string) {
	switch {
	case i%10 == 3 || i%10 == 8:
		return "RUN_FAILED", failMessages[i%len(failMessages)]
	case i%17 == 11:
		return "RUN_ABORTED", "Stopped by user runner01"
	case i%19 == 14:
		return "RUN_TIMED_OUT", "The bot did not finish within the configured timeout of 60 minutes"
	case i%23 == 21:
		return "DEPLOY_FAILED", "Device AA-RUNNER-03 is not connected"
	default:
		return "COMPLETED", ""
	}
}

var timeZones = []string{"Europe/London", "America/New_York", "Asia/Kolkata"}

func (s *Sim) seedSchedules(now time.Time) {
	bots := s.bots()
	if len(bots) == 0 {
		return
	}
	types := []string{"DAILY", "WEEKLY", "MONTHLY"}
	for i := range s.opts.Counts.Schedules {
		b := bots[i%len(bots)]
		s.schedules = append(s.schedules, &schedule{
			id: strconv.Itoa(661 + i), name: fmt.Sprintf("%s_%d", b["name"], i+1), fileID: b["id"].(string), fileName: b["name"].(string),
			active: i%3 != 2, kind: types[i%len(types)], interval: 1 + i%2, zone: timeZones[i%len(timeZones)],
			startTime: fmt.Sprintf("%02d:%02d", 6+i%12, (i*15)%60), created: now.Add(-time.Duration(60+i) * 24 * time.Hour),
		})
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
