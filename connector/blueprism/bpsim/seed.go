package bpsim

import (
	"fmt"
	"time"

	"bureau/connector/simkit"
)

var processNames = []struct{ name, description string }{
	{"Invoice Processing", "Reads supplier invoices from the shared mailbox and posts them to the ledger"},
	{"Customer Onboarding", "KYC checks and account creation for new customers"},
	{"Payroll Reconciliation", "Matches payroll runs against bank statements"},
	{"Vendor Master Update", "Applies approved vendor changes to the ERP"},
	{"Claims Intake", "Registers new insurance claims from the web portal"},
	{"Month-End Close", "Posts accruals and runs the month-end checklist"},
	{"Purchase Order Matching", "Three-way match of purchase orders, receipts and invoices"},
	{"Employee Offboarding", "Revokes access and archives mailboxes of leavers"},
}

var groupNames = []string{"Finance", "Operations", "HR"}

// baseStatuses cycle over the seeded resources: most can work, some are
// offline, logged out or missing, as in a real estate.
var baseStatuses = []string{"Idle", "Idle", "Offline", "LoggedOut", "Idle", "Missing"}

var exceptions = []struct{ kind, message string }{
	{"System Exception", "Could not find element 'Submit' in application 'SAP GUI' after 30 seconds"},
	{"Business Exception", "Invoice total does not match the purchase order total"},
	{"System Exception", "Login to the ERP failed: the password for svc_rpa has expired"},
	{"System Exception", "Work queue 'Claims' is locked by another session"},
}

var scheduleKinds = []struct {
	name, interval string
	period         int
}{
	{"Daily Invoice Run", "Day", 1},
	{"Claims Sweep", "Hour", 2},
	{"Weekly Payroll Check", "Week", 1},
	{"Month-End Close", "Month", 1},
	{"Mailbox Poll", "Minute", 15},
	{"Year-End Archive", "Year", 1},
}

func (s *Sim) seed() {
	now := s.clock.Now()
	c := s.opts.Counts
	for i := range c.Processes {
		s.processes = append(s.processes, seedProcess(i))
	}
	for i := range c.Robots {
		g := i % len(groupNames)
		s.resources = append(s.resources, &resource{
			id: resourceID(i), name: fmt.Sprintf("BPRR-PROD-%02d", i+1),
			groupID: groupID(100 + g), groupName: "Runtime Resources " + groupNames[g],
			base: baseStatuses[i%len(baseStatuses)],
		})
	}
	if len(s.processes) > 0 && len(s.resources) > 0 {
		for i := range c.Jobs {
			s.sessions = append(s.sessions, s.seedSession(i, c.Jobs, now))
		}
	}
	s.nextNumber = len(s.sessions) + 1
	for i := range c.Schedules {
		s.schedules = append(s.schedules, seedSchedule(i, now))
	}
	s.seedScheduleLogs(now)
	s.seeded = simkit.Counts{Processes: len(s.processes), Jobs: len(s.sessions), Robots: len(s.resources), Schedules: len(s.schedules)}
}

func seedProcess(i int) *process {
	n := processNames[i%len(processNames)]
	name := n.name
	if i >= len(processNames) {
		name = fmt.Sprintf("%s %d", n.name, i/len(processNames)+1)
	}
	attrs := []string{"Published"}
	if i%7 == 5 {
		attrs = []string{"Retired"}
	}
	g := i % len(groupNames)
	return &process{
		ProcessID: processID(i), ProcessName: name, ProcessDescription: n.description,
		GroupID: groupID(g), GroupName: groupNames[g], Attributes: attrs,
		fails: i%5 == 4,
	}
}

// seedSession spreads n finished sessions over the days before now, about
// one every 3h17m: mostly Completed, every fifth Terminated, a few Stopped.
func (s *Sim) seedSession(i, n int, now time.Time) *session {
	start := now.Add(-time.Duration(n-i) * 197 * time.Minute)
	end := start.Add(time.Duration(2+i*7%19)*time.Minute + time.Duration(i*13%60)*time.Second)
	ss := &session{
		id: sessionID(i + 1), number: i + 1, history: true,
		processID:  s.processes[i%len(s.processes)].ProcessID,
		resourceID: s.resources[i%len(s.resources)].id,
		username:   []string{"Scheduler", "j.smith", "a.khan"}[i%3],
		created:    start, start: start, end: end,
		status: "Completed", reason: "None", stage: "End",
	}
	switch {
	case i%5 == 1:
		e := exceptions[(i/5)%len(exceptions)]
		ss.status, ss.reason, ss.stage = "Terminated", "ProcessError", "Exception"
		ss.excType, ss.excMessage = e.kind, e.message
	case i%13 == 6:
		ss.status, ss.stage = "Stopped", "Stop Requested"
	}
	return ss
}

func seedSchedule(i int, now time.Time) scheduleSummary {
	k := scheduleKinds[i%len(scheduleKinds)]
	start := time.Date(now.Year(), now.Month(), now.Day(), 6+i%4, 0, 0, 0, time.UTC).AddDate(0, 0, -30)
	sch := scheduleSummary{
		ID: i + 1, Name: k.name, Description: "Runs " + processNames[i%len(processNames)].name,
		InitialTaskID: 100 + i, TasksCount: 1, IsRetired: i%3 == 2,
		IntervalType: k.interval, TimePeriod: k.period, DayOfMonth: "None",
		StartDate: stamp(start), CalendarID: 1, CalendarName: "Working Week",
	}
	if i >= len(scheduleKinds) {
		sch.Name = fmt.Sprintf("%s %d", k.name, i/len(scheduleKinds)+1)
	}
	if k.interval == "Week" {
		sch.DayOfWeek = ptr("Monday")
	}
	return sch
}

// seedScheduleLogs gives every active schedule three past runs.
func (s *Sim) seedScheduleLogs(now time.Time) {
	outcomes := []string{"completed", "completed", "terminated", "completed", "partExceptioned"}
	id := 1
	for _, sch := range s.schedules {
		if sch.IsRetired {
			continue
		}
		for d := 3; d >= 1; d-- {
			start := now.AddDate(0, 0, -d).Add(-time.Duration(sch.ID) * time.Hour)
			end := start.Add(time.Duration(5+id%20) * time.Minute)
			s.scheduleLogs = append(s.scheduleLogs, scheduleLog{
				ScheduleLogID: id, StartTime: *stamp(start), EndTime: *stamp(end),
				Duration: timeSpan(end.Sub(start)), Status: outcomes[id%len(outcomes)],
				ServerName: "BPAPP01", ScheduleID: sch.ID, ScheduleName: sch.Name,
				start: start, end: end,
			})
			id++
		}
	}
}

// timeSpan writes a duration as .NET writes a TimeSpan (hh:mm:ss).
func timeSpan(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}
