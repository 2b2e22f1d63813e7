package uipathsim

import (
	"net/http"
	"time"
)

// serveList answers a collection GET: rows narrows the candidates once the
// query is parsed (jobs use it to skip to a watermark).
func serveList[T any](s *Sim, q *request, set string, sc schema[T], rows func(query[T]) []T, render func(T, map[string]bool) any) {
	qq, err := parseQuery(q.r.URL.Query(), sc)
	if err != nil {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, err.Error())
		return
	}
	page, count := apply(rows(qq), qq, sc)
	items := make([]any, len(page))
	for i, x := range page {
		items[i] = render(x, qq.expand)
	}
	s.writeCollection(q.w, q.r, set, items, count, qq.count, qq.sel, qq.expand)
}

// serveOne answers a keyed GET, honouring $expand and $select.
func serveOne[T any](q *request, sc schema[T], row T, found bool, notFound string, render func(T, map[string]bool) any) {
	if !found {
		writeError(q.w, http.StatusNotFound, codeItemNotFound, notFound)
		return
	}
	qq, err := parseQuery(q.r.URL.Query(), sc)
	if err != nil {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, err.Error())
		return
	}
	var out any = render(row, qq.expand)
	if len(qq.sel) > 0 {
		out = project(out, qq.sel, qq.expand)
	}
	writeJSON(q.w, http.StatusOK, out)
}

func all[T any](rows []T) func(query[T]) []T { return func(query[T]) []T { return rows } }

func intField[T any](get func(T) int64) field[T] {
	return field[T]{kInt, func(x T) value { return value{n: get(x)} }}
}

func stringField[T any](get func(T) string) field[T] {
	return field[T]{kString, func(x T) value { return value{s: get(x)} }}
}

func (s *Sim) listFolders(q *request, _ *folder) {
	sc := schema[*folder]{
		typeName: "UiPath.Server.Configuration.OData.FolderDto", natural: []string{"Id"},
		fields: map[string]field[*folder]{
			"Id":                 intField(func(f *folder) int64 { return f.id }),
			"DisplayName":        stringField(func(f *folder) string { return f.name }),
			"FullyQualifiedName": stringField(func(f *folder) string { return f.path }),
		},
	}
	serveList(s, q, "Folders", sc, all(s.folders), func(f *folder, _ map[string]bool) any { return s.folderDTO(f) })
}

func releaseSchema() schema[*release] {
	return schema[*release]{
		typeName: "UiPath.Server.Configuration.OData.ReleaseDto", natural: []string{"Id"},
		navs: []string{"Environment", "CurrentVersion", "EntryPoint"},
		fields: map[string]field[*release]{
			"Id":           intField(func(r *release) int64 { return r.id }),
			"Name":         stringField(func(r *release) string { return r.name }),
			"ProcessKey":   stringField(func(r *release) string { return r.pkg }),
			"Key":          stringField(func(r *release) string { return uuid(uuidRelease, r.id) }),
			"CreationTime": {kTime, func(r *release) value { return value{t: r.created} }},
		},
	}
}

func (s *Sim) releasesIn(f *folder) []*release {
	var out []*release
	for _, r := range s.procs {
		if r.folder == f {
			out = append(out, r)
		}
	}
	return out
}

func renderRelease(r *release, _ map[string]bool) any { return releaseDTOOf(r) }

func (s *Sim) listReleases(q *request, f *folder) {
	serveList(s, q, "Releases", releaseSchema(), all(s.releasesIn(f)), renderRelease)
}

func (s *Sim) getRelease(q *request, f *folder) {
	var hit *release
	for _, r := range s.releasesIn(f) {
		if r.id == q.key {
			hit = r
		}
	}
	serveOne(q, releaseSchema(), hit, hit != nil, "Process does not exist.", renderRelease)
}

func (s *Sim) listJobs(q *request, f *folder) {
	now := s.opts.Clock.Now()
	narrow := func(qq query[*job]) []*job { return f.jobs[s.jobs.lowerBound(f.jobs, qq.ast):] }
	serveList(s, q, "Jobs", s.jobSchema(now), narrow, func(j *job, expand map[string]bool) any {
		return s.jobDTO(j, now, expand)
	})
}

func (s *Sim) getJob(q *request, f *folder) {
	now := s.opts.Clock.Now()
	j, ok := s.jobs.byID[q.key]
	ok = ok && j.release.folder == f // a job is visible in its own folder only
	serveOne(q, s.jobSchema(now), j, ok, "Job does not exist.", func(j *job, expand map[string]bool) any {
		return s.jobDTO(j, now, expand)
	})
}

func (s *Sim) listSchedules(q *request, f *folder) {
	now := s.opts.Clock.Now()
	var rows []*schedule
	for _, sc := range s.scheds {
		if sc.release.folder == f {
			rows = append(rows, sc)
		}
	}
	sc := schema[*schedule]{
		typeName: "UiPath.Server.Configuration.OData.ProcessScheduleDto", natural: []string{"Id"},
		fields: map[string]field[*schedule]{
			"Id":          intField(func(x *schedule) int64 { return x.id }),
			"Name":        stringField(func(x *schedule) string { return x.name }),
			"ReleaseId":   intField(func(x *schedule) int64 { return x.release.id }),
			"ReleaseName": stringField(func(x *schedule) string { return x.release.name }),
			"Enabled":     {kBool, func(x *schedule) value { return value{b: x.enabled} }},
		},
	}
	serveList(s, q, "ProcessSchedules", sc, all(rows), func(x *schedule, _ map[string]bool) any { return scheduleDTOOf(x, now) })
}

// robotState is a robot's runtime state now: Busy while a started job
// runs on it, else its seeded state.
func (s *Sim) robotState(r *robot, now time.Time) string {
	for _, j := range s.jobs.started {
		if j.robot == r && j.status(now).busy() {
			return "Busy"
		}
	}
	return r.state
}

func (s *Sim) listSessions(q *request, f *folder) {
	now := s.opts.Clock.Now()
	sc := schema[*robot]{
		typeName: "UiPath.Server.Configuration.OData.SessionDto", natural: []string{"Id"},
		navs: []string{"Robot", "Job"},
		fields: map[string]field[*robot]{
			"Id":          intField(func(r *robot) int64 { return r.session }),
			"State":       {kEnum, func(r *robot) value { return value{s: s.robotState(r, now)} }},
			"MachineName": stringField(func(r *robot) string { return r.machine }),
		},
	}
	serveList(s, q, "Sessions", sc, all(f.robots), func(r *robot, expand map[string]bool) any {
		state := s.robotState(r, now)
		d := sessionDTO{
			HostMachineName: r.host, MachineID: 601, MachineName: r.machine, State: state,
			ReportingTime: ts(now.Add(-r.reported).Truncate(time.Second)), IsUnresponsive: state == "Disconnected",
			OrganizationUnitID: f.id, FolderName: f.name, RobotSessionType: "LongLived", Version: "23.10.2", Platform: "Windows", ID: r.session,
		}
		if expand["Robot"] {
			d.Robot = robotDTOOf(r)
		}
		return d
	})
}

func (s *Sim) listRobots(q *request, f *folder) {
	sc := schema[*robot]{
		typeName: "UiPath.Server.Configuration.OData.RobotDto", natural: []string{"Id"},
		fields: map[string]field[*robot]{
			"Id":   intField(func(r *robot) int64 { return r.id }),
			"Name": stringField(func(r *robot) string { return r.name }),
		},
	}
	serveList(s, q, "Robots", sc, all(f.robots), func(r *robot, _ map[string]bool) any { return robotDTOOf(r) })
}
