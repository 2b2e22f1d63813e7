package uipathsim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"bureau/connector/simkit"
)

type folder struct {
	id     int64
	name   string // DisplayName
	path   string // FullyQualifiedName
	parent *folder
	jobs   []*job // in Id order, hence in CreationTime order
	robots []*robot
}

type release struct {
	id          int64
	name        string
	pkg         string
	version     string
	description string
	folder      *folder
	created     time.Time
	fails       bool // started runs of this process fault
	schedule    *schedule
	input       string
}

type robot struct {
	id       int64
	session  int64
	name     string
	user     string
	machine  string
	host     string
	state    string // the seeded runtime state when not running a job
	folder   *folder
	reported time.Duration // how long ago its last heartbeat was, at seed time
}

type schedule struct {
	id      int64
	name    string
	release *release
	enabled bool
	cron    string
	summary string
	queue   string // a queue trigger's queue; cron is empty then
	next    func(now time.Time) time.Time
}

var processNames = []struct{ name, pkg, description string }{
	{"InvoiceProcessing", "Finance.InvoiceProcessing", "Reads supplier invoices from the AP mailbox and posts them to SAP"},
	{"VendorOnboarding", "Procurement.VendorOnboarding", "Creates vendor master records from approved onboarding forms"},
	{"PayrollReconciliation", "HR.PayrollReconciliation", "Reconciles payroll exports with the general ledger"},
	{"CustomerRefunds", "Finance.CustomerRefunds", "Issues approved customer refunds in the billing system"},
	{"MonthEndClose", "Finance.MonthEndClose", "Runs the month-end close checklist and journal uploads"},
	{"NewStarterSetup", "HR.NewStarterSetup", "Creates accounts and equipment requests for new employees"},
	{"ClaimsTriage", "Insurance.ClaimsTriage", "Classifies incoming claims and routes them to handlers"},
	{"OrderEntry", "Sales.OrderEntry", "Keys customer orders from email into the ERP"},
}

// faults are what seeded faulted jobs carry: UiPath's own exception texts.
var faults = []struct{ title, detail string }{
	{"Could not find the user-interface (UI) element for this action.",
		"UiPath.Core.SelectorNotFoundException: Could not find the user-interface (UI) element for this action.\r\n\r\nSource: Click 'Submit'"},
	{"Timeout reached.", "System.TimeoutException: Timeout reached.\r\n\r\nSource: Wait Element Vanish 'Loading'"},
	{"Job stopped with an unexpected exit code: 0xE0434352", "Job stopped with an unexpected exit code: 0xE0434352"},
	{"Login to SAP failed: user is locked.", "UiPath.Core.BusinessRuleException: Login to SAP failed: user is locked.\r\n\r\nSource: Throw 'Login failed'"},
}

func (s *Sim) seed(c simkit.Counts) {
	now := s.opts.Clock.Now()
	s.folders = []*folder{
		{id: 1001, name: "Shared", path: "Shared"},
		{id: 1002, name: "Finance", path: "Finance"},
	}
	s.folders = append(s.folders, &folder{id: 1003, name: "Invoices", path: "Finance/Invoices", parent: s.folders[1]})
	for i := range c.Processes {
		s.procs = append(s.procs, newRelease(i, s.folders[i%len(s.folders)], now))
	}
	for i := range c.Robots {
		r := newRobot(i, s.folders[i%len(s.folders)])
		r.folder.robots = append(r.folder.robots, r)
		s.robots = append(s.robots, r)
	}
	for i := range c.Schedules {
		if len(s.procs) == 0 {
			break
		}
		sc := newSchedule(i, s.procs[i%len(s.procs)])
		if sc.release.schedule == nil {
			sc.release.schedule = sc
		}
		s.scheds = append(s.scheds, sc)
	}
	s.seeded = simkit.Counts{Processes: len(s.procs), Jobs: s.seedJobs(c.Jobs), Robots: len(s.robots), Schedules: len(s.scheds)}
}

func newRelease(i int, f *folder, now time.Time) *release {
	p := processNames[i%len(processNames)]
	name, pkg := p.name, p.pkg
	if i >= len(processNames) {
		name, pkg = fmt.Sprintf("%s_%d", p.name, i), fmt.Sprintf("%s%d", p.pkg, i)
	}
	r := &release{
		id: int64(201 + i), name: name, pkg: pkg, version: fmt.Sprintf("1.%d.%d", i%4, 3+i),
		description: p.description, folder: f, created: now.AddDate(0, -3, -i),
		fails: i%5 == 4, // one process in five is broken: its runs fault
	}
	if i == 0 {
		r.input = `{"in_Mailbox":"ap@contoso.com","in_MaxItems":50}`
	}
	return r
}

func newRobot(i int, f *folder) *robot {
	states := []string{"Available", "Available", "Disconnected", "Unknown"}
	r := &robot{
		id: int64(401 + i), session: int64(301 + i),
		name:    fmt.Sprintf("svc-rpa-%02d", i+1),
		user:    fmt.Sprintf(`CONTOSO\svc-rpa-%02d`, i+1),
		machine: "Unattended-Template", host: fmt.Sprintf("RPA-VM-%02d", i+1),
		state: states[i%len(states)], folder: f, reported: 20 * time.Second,
	}
	if r.state == "Disconnected" {
		r.reported = 26 * time.Hour
	}
	return r
}

func newSchedule(i int, r *release) *schedule {
	sc := &schedule{id: int64(501 + i), release: r, enabled: i%4 != 3}
	switch i % 3 {
	case 0:
		sc.name, sc.cron, sc.summary = r.name+" weekday morning", "0 0 9 ? * MON-FRI *", "At 09:00 AM, Monday through Friday"
		sc.next = nextWeekdayAt(9)
	case 1:
		sc.name, sc.cron, sc.summary = r.name+" every 30 minutes", "0 0/30 * 1/1 * ? *", "Every 30 minutes"
		sc.next = func(now time.Time) time.Time { return now.Truncate(30 * time.Minute).Add(30 * time.Minute) }
	default:
		sc.name, sc.queue = r.name+" queue trigger", r.name+"Queue"
	}
	return sc
}

func nextWeekdayAt(hour int) func(time.Time) time.Time {
	return func(now time.Time) time.Time {
		t := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC)
		for !t.After(now) || t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
}

// seedJobs spreads n finished jobs over the two weeks before now, ending at
// least an hour ago, in Id order, and says how many it made (none without
// processes). A fixed-seed PCG varies them.
func (s *Sim) seedJobs(n int) int {
	now := s.opts.Clock.Now()
	s.jobs = jobStore{nextID: 5_000_001, byID: make(map[int64]*job, n)}
	for _, f := range s.folders {
		f.jobs = nil
	}
	if len(s.procs) == 0 {
		return 0
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	first, last := now.Add(-14*24*time.Hour), now.Add(-time.Hour)
	step := last.Sub(first) / time.Duration(max(n, 1))
	for i := range n {
		rel := s.procs[rng.IntN(len(s.procs))]
		j := &job{
			release: rel, created: first.Add(time.Duration(i) * step).Truncate(time.Millisecond),
			pending: time.Duration(2+rng.IntN(40)) * time.Second,
			run:     time.Duration(30+rng.IntN(1800)) * time.Second,
			source:  "Manual",
		}
		j.outcome, j.fault = seededOutcome(rng)
		if rel.schedule != nil && rng.IntN(3) > 0 {
			j.source, j.schedule = "Schedule", rel.schedule
			if rel.schedule.queue != "" {
				j.source = "Queue"
			}
		}
		if rs := robotsOf(s, rel.folder); len(rs) > 0 {
			j.robot = rs[rng.IntN(len(rs))]
		}
		s.jobs.add(j)
	}
	s.jobs.maxSpan = maxSeedSpan
	return n
}

// maxSeedSpan bounds LastModificationTime − CreationTime of seeded jobs
// (pending ≤ 42 s, run ≤ 1830 s).
const maxSeedSpan = 42*time.Second + 1830*time.Second

func seededOutcome(rng *rand.Rand) (string, int) {
	switch p := rng.IntN(100); {
	case p < 74:
		return "Successful", -1
	case p < 90:
		return "Faulted", rng.IntN(len(faults))
	case p < 98:
		return "Stopped", -1
	default:
		return "Suspended", -1
	}
}

// robotsOf are the robots serving f, or every robot when f has none.
func robotsOf(s *Sim, f *folder) []*robot {
	if len(f.robots) > 0 {
		return f.robots
	}
	return s.robots
}
