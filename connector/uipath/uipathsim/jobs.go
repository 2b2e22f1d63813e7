package uipathsim

import (
	"sort"
	"time"
)

// stopGrace is how long a soft-stopped running job stays Stopping.
const stopGrace = 5 * time.Second

// job is a compact record; its state at any moment follows from its times,
// so 100,000 of them cost a few megabytes and no background work.
type job struct {
	id       int64
	release  *release
	robot    *robot
	created  time.Time
	pending  time.Duration // created → started
	run      time.Duration // started → finished
	outcome  string        // the state it finishes in
	fault    int           // index into faults when it faults, else -1
	source   string        // Manual, Schedule, Queue
	schedule *schedule
	started  bool // started through StartJobs
	input    string
	stopAt   time.Time
	stopKill bool
}

type jobStore struct {
	nextID int64
	byID   map[int64]*job
	// started are the jobs started through the API, the only ones that
	// change after seeding.
	started []*job
	// maxSpan bounds LastModificationTime − CreationTime over every job,
	// so a filter on a later time can start its scan by binary search.
	maxSpan time.Duration
}

func (st *jobStore) add(j *job) {
	j.id = st.nextID
	st.nextID++
	st.byID[j.id] = j
	f := j.release.folder
	f.jobs = append(f.jobs, j)
}

// status is a job as of now.
type status struct {
	state                    string
	start, end, lastModified time.Time
}

func (j *job) status(now time.Time) status {
	startAt := j.created.Add(j.pending)
	endAt := startAt.Add(j.run)
	if !j.stopAt.IsZero() && !now.Before(j.stopAt) {
		return j.stopped(now, startAt)
	}
	switch {
	case now.Before(startAt):
		return status{state: "Pending"} // never modified: no LastModificationTime
	case now.Before(endAt):
		return status{state: "Running", start: startAt, lastModified: startAt}
	case j.outcome == "Suspended":
		return status{state: "Suspended", start: startAt, lastModified: endAt}
	}
	return status{state: j.outcome, start: startAt, end: endAt, lastModified: endAt}
}

func (j *job) stopped(now, startAt time.Time) status {
	if j.stopAt.Before(startAt) {
		return status{state: "Stopped", end: j.stopAt, lastModified: j.stopAt}
	}
	if j.stopKill {
		return status{state: "Stopped", start: startAt, end: j.stopAt, lastModified: j.stopAt}
	}
	if now.Before(j.stopAt.Add(stopGrace)) {
		return status{state: "Stopping", start: startAt, lastModified: j.stopAt}
	}
	end := j.stopAt.Add(stopGrace)
	return status{state: "Stopped", start: startAt, end: end, lastModified: end}
}

// busy reports whether the job holds its robot now.
func (st status) busy() bool { return st.state == "Running" || st.state == "Stopping" }

func (s *Sim) jobSchema(now time.Time) schema[*job] {
	statusTime := func(pick func(status) time.Time) field[*job] {
		return field[*job]{kTime, func(j *job) value { return timeValue(pick(j.status(now))) }}
	}
	fields := map[string]field[*job]{
		"Id":           {kInt, func(j *job) value { return value{n: j.id} }},
		"CreationTime": {kTime, func(j *job) value { return value{t: j.created} }},
		"StartTime":    statusTime(func(st status) time.Time { return st.start }),
		"EndTime":      statusTime(func(st status) time.Time { return st.end }),
		"State":        {kEnum, func(j *job) value { return value{s: j.status(now).state} }},
		"ReleaseName":  {kString, func(j *job) value { return value{s: j.release.name} }},
		"ProcessType":  {kEnum, func(*job) value { return value{s: "Process"} }},
		"SourceType":   {kEnum, func(j *job) value { return value{s: j.source} }},
		"OrganizationUnitId": {kInt, func(j *job) value {
			return value{n: j.release.folder.id}
		}},
	}
	if s.mode == cloud { // API v16 (on-prem) jobs have no LastModificationTime
		fields["LastModificationTime"] = statusTime(func(st status) time.Time { return st.lastModified })
	}
	return schema[*job]{
		typeName: "UiPath.Server.Configuration.OData.JobDto", fields: fields,
		navs: []string{"Robot", "Release", "Machine"}, natural: []string{"Id", "CreationTime"},
	}
}

// lowerBound is the first index of jobs (in Id and CreationTime order) that
// can match n: CreationTime and Id bounds are exact; a bound on a later
// time T allows CreationTime from T − maxSpan. It is what keeps paging
// through 100,000 jobs since a watermark linear rather than quadratic.
func (st *jobStore) lowerBound(jobs []*job, n *node) int {
	if n == nil {
		return 0
	}
	switch n.op {
	case "and":
		return max(st.lowerBound(jobs, n.left), st.lowerBound(jobs, n.right))
	case "or":
		return min(st.lowerBound(jobs, n.left), st.lowerBound(jobs, n.right))
	case "ge", "gt", "eq":
	default:
		return 0
	}
	switch {
	case n.prop == "Id" && n.lit.kind == litInt:
		return sort.Search(len(jobs), func(i int) bool { return jobs[i].id >= n.lit.n })
	case n.lit.kind != litTime:
		return 0
	case n.prop == "CreationTime":
		return sort.Search(len(jobs), func(i int) bool { return !jobs[i].created.Before(n.lit.t) })
	case n.prop == "StartTime" || n.prop == "EndTime" || n.prop == "LastModificationTime":
		from := n.lit.t.Add(-st.maxSpan)
		return sort.Search(len(jobs), func(i int) bool { return !jobs[i].created.Before(from) })
	}
	return 0
}

func (s *Sim) jobDTO(j *job, now time.Time, expand map[string]bool) jobDTO {
	st := j.status(now)
	r := j.release
	d := jobDTO{
		Key: uuid(uuidJob, j.id), StartTime: ts(st.start), EndTime: ts(st.end), State: st.state,
		JobPriority: "Normal", SpecificPriorityValue: 45, Source: j.source, SourceType: j.source,
		BatchExecutionKey: uuid(uuidBatch, j.id), CreationTime: odataTime(j.created), ReleaseName: r.name,
		Type: "Unattended", InputArguments: j.input, RuntimeType: "Unattended", ReleaseVersionID: r.id*10 + 1,
		EntryPointPath: "Main.xaml", OrganizationUnitID: r.folder.id, OrganizationUnitFullyQualifiedName: r.folder.path,
		ProcessType: "Process", RemoteControlAccess: "None", ID: j.id,
	}
	if j.schedule != nil {
		d.Source, d.StartingScheduleID = j.schedule.name, &j.schedule.id
	}
	robot := j.robot
	if j.started && st.start.IsZero() {
		robot = nil // a modern-folder job gets its robot when it starts
	}
	if robot != nil {
		d.HostMachineName = robot.host
		if expand["Robot"] {
			d.Robot = robotDTOOf(robot)
		}
	}
	if expand["Release"] {
		rd := releaseDTOOf(r)
		d.Release = &rd
	}
	if !j.stopAt.IsZero() {
		d.StopStrategy = map[bool]string{true: "Kill", false: "SoftStop"}[j.stopKill]
	}
	s.jobOutcome(&d, j, st)
	if s.mode == cloud {
		d.LastModificationTime = ts(st.lastModified)
	}
	return d
}

// jobOutcome fills Info, OutputArguments and, in the cloud, JobError.
func (s *Sim) jobOutcome(d *jobDTO, j *job, st status) {
	switch st.state {
	case "Successful":
		d.Info, d.OutputArguments = "Job completed", `{"out_ItemsProcessed":`+itoa(int64(10+j.id%40))+`}`
	case "Stopped":
		d.Info = "Job stopped"
	case "Suspended":
		d.Info = "Job suspended, waiting for an action to be completed"
	case "Faulted":
		fl := faults[max(j.fault, 0)]
		d.Info = fl.detail
		if s.mode == cloud {
			d.JobError = &jobErrorDTO{Code: "Robot.ExecutionError", Title: fl.title, Detail: fl.detail, Category: "User", Timestamp: ts(st.end)}
		}
	}
}
