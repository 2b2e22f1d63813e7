package robosim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// workspaceID and userID fill the documented workspace_id/user_id fields.
const (
	workspaceID = "db4c4965-7389-4160-a1cc-4181975fe1e8"
	userID      = "eaec19c5-95fe-441a-b37c-c427c30034a2"
)

type flowRec struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// robotRec is robots.list's documented item.
type robotRec struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	connected   bool
}

// scheduleRec is schedules.list's documented item.
type scheduleRec struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	UserID      string `json:"user_id"`
	RobotID     string `json:"robot_id"`
	FlowID      string `json:"flow_id"`
	Name        string `json:"name"`
	Cron        string `json:"cron"`
	Timezone    string `json:"timezone"`
	Type        int    `json:"type"`
	Active      int    `json:"active"`
}

// jobRec is a job. Seeded jobs have a fixed status; started ones derive
// theirs from the clock.
type jobRec struct {
	id, flowID, flowName, robotID, robotName string
	created                                  time.Time
	status                                   int
	finished                                 time.Time
	err                                      string
	started                                  bool // by flows.run
	fails                                    bool // a started run that ends failed
}

var flowNames = []string{
	"Invoice Intake", "SAP Vendor Sync", "Daily Bank Reconciliation", "HR Onboarding",
	"Email Triage", "Excel Report Builder", "Customs Declarations", "Competitor Price Scraper",
}

var robotNames = []string{"Butler", "Jarvis", "Alfred", "Friday", "Cortana", "Hal"}

var robotTypes = []string{"production", "production", "development", "ondemand"}

// jobErrors are failures in the words of Robomotion's node errors
// (assumption: the job's error field carries the failing node's message).
var jobErrors = []string{
	"Core.Browser.Click: element not found: //button[@id='submit']",
	"Core.Browser.WaitElement: timeout after 30s waiting for #invoice-table",
	"Robomotion.MicrosoftExcel.Open: file not found: C:\\Robots\\input\\orders.xlsx",
	"Robomotion.SAP.Login: connection refused by application server sap-prd:3200",
}

var crons = []struct {
	cron string
	typ  int
}{
	{"0 0/5 * * * *", 0}, {"0 0 9 * * *", 2}, {"0 30 8 * * 1-5", 5}, {"0 0 6 * * 1", 3}, {"0 0 7 1 * *", 4},
}

var timezones = []string{
	"(UTC+03:00) Istanbul", "(UTC-07:00) Pacific Time (US & Canada)",
	"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "(UTC) Coordinated Universal Time",
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
}

func pick(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s %d", names[i%len(names)], i/len(names)+1)
}

func (s *Sim) seed() {
	c := s.opts.Counts
	for i := range c.Processes {
		s.flows = append(s.flows, flowRec{ID: uuid(s.rng), Name: pick(flowNames, i)})
	}
	for i := range c.Robots {
		s.robots = append(s.robots, robotRec{
			ID: uuid(s.rng), WorkspaceID: workspaceID, Name: pick(robotNames, i),
			Type: robotTypes[i%len(robotTypes)], connected: c.Robots == 1 || i < c.Robots-1,
		})
	}
	for i := range c.Schedules {
		s.schedules = append(s.schedules, s.newSchedule(i))
	}
	now := s.opts.Clock.Now()
	for i := range c.Jobs {
		s.jobs = append(s.jobs, s.seedJob(i, now))
	}
	// Oldest first, as started jobs are appended.
	for i, j := 0, len(s.jobs)-1; i < j; i, j = i+1, j-1 {
		s.jobs[i], s.jobs[j] = s.jobs[j], s.jobs[i]
	}
}

func (s *Sim) newSchedule(i int) scheduleRec {
	cr := crons[i%len(crons)]
	active := 1
	if i == 2 {
		active = 0 // one paused schedule
	}
	return scheduleRec{
		ID: uuid(s.rng), WorkspaceID: workspaceID, UserID: userID,
		RobotID: s.robots[i%len(s.robots)].ID, FlowID: s.flows[i%len(s.flows)].ID,
		Name: s.flows[i%len(s.flows)].Name + " schedule", Cron: cr.cron,
		Timezone: timezones[i%len(timezones)], Type: cr.typ, Active: active,
	}
}

// seedJob makes the i-th most recent job: one every ~4 hours going back
// from an hour before now, lasting 1–20 minutes.
func (s *Sim) seedJob(i int, now time.Time) *jobRec {
	f := s.flows[i%len(s.flows)]
	r := s.robots[i%len(s.robots)]
	created := now.Add(-time.Hour - time.Duration(i)*4*time.Hour - time.Duration(s.rng.IntN(3600))*time.Second)
	j := &jobRec{
		id: uuid(s.rng), flowID: f.ID, flowName: f.Name, robotID: r.ID, robotName: r.Name,
		created: created, status: StatusSuccess,
		finished: created.Add(time.Minute + time.Duration(s.rng.IntN(19*60))*time.Second),
	}
	switch {
	case i%5 == 2:
		j.status, j.err = StatusFailed, jobErrors[i%len(jobErrors)]
	case i%11 == 9:
		j.status = StatusStopped
	}
	return j
}
