package uipathsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

type startProcess struct {
	ReleaseKey     string  `json:"ReleaseKey"`
	ReleaseName    string  `json:"ReleaseName"`
	Strategy       string  `json:"Strategy"`
	JobsCount      int     `json:"JobsCount"`
	RobotIDs       []int64 `json:"RobotIds"`
	InputArguments string  `json:"InputArguments"`
	Source         string  `json:"Source"`
}

// startJobs is StartJobs: it creates Pending jobs for a release of the
// folder and answers 201 with them. Modern folders run ModernJobsCount
// (or JobsCount) jobs on any robot, or Specific robots by Id.
func (s *Sim) startJobs(q *request, f *folder) {
	var body struct {
		StartInfo *startProcess `json:"startInfo"`
	}
	if err := json.NewDecoder(q.r.Body).Decode(&body); err != nil || body.StartInfo == nil {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, "startInfo must not be null.")
		return
	}
	in := body.StartInfo
	rel := s.findRelease(f, in)
	if rel == nil {
		writeError(q.w, http.StatusNotFound, codeItemNotFound, "Process does not exist.")
		return
	}
	if in.InputArguments != "" && !json.Valid([]byte(in.InputArguments)) {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, "Input arguments are not a valid JSON object.")
		return
	}
	robots, msg := s.startRobots(f, in)
	if msg != "" {
		// Assumption: the exact wording of strategy errors is undocumented.
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, msg)
		return
	}
	now := s.opts.Clock.Now()
	qq, err := parseQuery(q.r.URL.Query(), s.jobSchema(now))
	if err != nil {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, err.Error())
		return
	}
	var items []any
	for _, r := range robots {
		j := s.newRun(rel, r, in.InputArguments)
		items = append(items, s.jobDTO(j, now, qq.expand))
	}
	env := envelope{Context: s.metadataURL(q.r) + "#Jobs", Value: items}
	writeJSON(q.w, http.StatusCreated, env)
}

func (s *Sim) findRelease(f *folder, in *startProcess) *release {
	for _, r := range s.releasesIn(f) {
		if in.ReleaseKey != "" && strings.EqualFold(uuid(uuidRelease, r.id), in.ReleaseKey) {
			return r
		}
		if in.ReleaseKey == "" && in.ReleaseName == r.name {
			return r
		}
	}
	return nil
}

// startRobots picks one robot per job to create (nil: any robot, chosen
// when the job starts), or explains why the request cannot run.
func (s *Sim) startRobots(f *folder, in *startProcess) ([]*robot, string) {
	switch in.Strategy {
	case "ModernJobsCount", "JobsCount":
		if in.JobsCount < 1 {
			return nil, "JobsCount must be greater than 0."
		}
		return make([]*robot, min(in.JobsCount, 100)), ""
	case "Specific":
		var out []*robot
		for _, id := range in.RobotIDs {
			i := slices.IndexFunc(s.robots, func(r *robot) bool { return r.id == id })
			if i < 0 {
				return nil, "Robot does not exist."
			}
			out = append(out, s.robots[i])
		}
		if len(out) == 0 {
			return nil, "RobotIds must not be empty for the Specific strategy."
		}
		return out, ""
	case "":
		return nil, "The Strategy field is required."
	}
	return nil, "Strategy " + in.Strategy + " is not supported in modern folders."
}

// newRun adds a started job: pending, then running, then finished on the
// clock (Faulted for the broken processes, else Successful).
func (s *Sim) newRun(rel *release, r *robot, input string) *job {
	j := &job{
		release: rel, robot: r, created: s.opts.Clock.Now(), pending: s.opts.RunPending, run: s.opts.RunDuration,
		outcome: "Successful", fault: -1, source: "Manual", started: true, input: input,
	}
	if rel.fails {
		j.outcome = "Faulted"
	}
	s.jobs.add(j)
	if rel.fails {
		j.fault = int(j.id % int64(len(faults)))
	}
	if j.robot == nil {
		if rs := robotsOf(s, rel.folder); len(rs) > 0 {
			j.robot = rs[int(j.id%int64(len(rs)))]
		}
	}
	s.jobs.started = append(s.jobs.started, j)
	s.jobs.maxSpan = max(s.jobs.maxSpan, j.pending+j.run+stopGrace)
	return j
}

// stopJob is StopJob: SoftStop lets a running job wind down through
// Stopping; Kill, or stopping a pending job, ends it at once.
func (s *Sim) stopJob(q *request, f *folder) {
	var body struct {
		Strategy string `json:"strategy"`
	}
	if err := json.NewDecoder(q.r.Body).Decode(&body); err != nil || (body.Strategy != "SoftStop" && body.Strategy != "Kill") {
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, "strategy must be SoftStop or Kill.")
		return
	}
	j, ok := s.jobs.byID[q.key]
	if !ok || j.release.folder != f {
		writeError(q.w, http.StatusNotFound, codeItemNotFound, "Job does not exist.")
		return
	}
	now := s.opts.Clock.Now()
	switch j.status(now).state {
	case "Successful", "Faulted", "Stopped", "Stopping":
		// Assumption: the real code and wording are undocumented.
		writeError(q.w, http.StatusBadRequest, codeInvalidRequest, "Job is already in a final state and cannot be stopped.")
		return
	}
	j.stopAt, j.stopKill = now, body.Strategy == "Kill"
	// A suspended seeded job stopped now changes long after its creation.
	s.jobs.maxSpan = max(s.jobs.maxSpan, now.Add(stopGrace).Sub(j.created))
	q.w.WriteHeader(http.StatusOK)
}
