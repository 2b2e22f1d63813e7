package robosim

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// paging reads page (1-based; assumption) and size. A missing page is 1,
// a missing size the default, a size over the maximum the maximum
// (assumption); anything unreadable is invalid_argument.
func paging(q url.Values) (page, size int, ok bool) {
	page, size = 1, defaultSize
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, false
		}
		size = min(n, maxSize)
	}
	return page, size, true
}

// writePage answers one page of items under key, with the total.
func writePage[T any](w http.ResponseWriter, r *http.Request, key string, items []T) {
	page, size, ok := paging(r.URL.Query())
	if !ok {
		refuse(w, "invalid_argument")
		return
	}
	from := min((page-1)*size, len(items))
	to := min(from+size, len(items))
	write(w, http.StatusOK, map[string]any{"ok": true, key: items[from:to], "total": len(items)})
}

// matches is the search parameter: a case-insensitive part of the name.
func matches(r *http.Request, name string) bool {
	q := strings.ToLower(r.URL.Query().Get("search"))
	return q == "" || strings.Contains(strings.ToLower(name), q)
}

func filter[T any](items []T, keep func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func (s *Sim) listFlows(w http.ResponseWriter, r *http.Request) {
	writePage(w, r, "flows", filter(s.flows, func(f flowRec) bool { return matches(r, f.Name) }))
}

func (s *Sim) listRobots(w http.ResponseWriter, r *http.Request) {
	writePage(w, r, "robots", filter(s.robots, func(x robotRec) bool { return matches(r, x.Name) }))
}

// listConnected answers users.robots.connected.list (assumption: the
// robots.list shape, paged the same way).
func (s *Sim) listConnected(w http.ResponseWriter, r *http.Request) {
	writePage(w, r, "robots", filter(s.robots, func(x robotRec) bool { return x.connected }))
}

func (s *Sim) listSchedules(w http.ResponseWriter, r *http.Request) {
	writePage(w, r, "schedules", filter(s.schedules, func(x scheduleRec) bool { return matches(r, x.Name) }))
}

// jobJSON is a job as jobs.list answers it (assumption beyond the
// community client's fields: error; times in epoch milliseconds,
// finished_at 0 while unfinished).
type jobJSON struct {
	ID         string `json:"id"`
	FlowID     string `json:"flow_id"`
	FlowName   string `json:"flow_name"`
	RobotID    string `json:"robot_id"`
	RobotName  string `json:"robot_name"`
	Status     int    `json:"status"`
	StartedAt  int64  `json:"started_at"`
	FinishedAt int64  `json:"finished_at"`
	Error      string `json:"error,omitempty"`
}

// view is the job as it stands at now.
func (s *Sim) view(j *jobRec, now time.Time) jobJSON {
	out := jobJSON{ID: j.id, FlowID: j.flowID, FlowName: j.flowName, RobotID: j.robotID, RobotName: j.robotName,
		Status: j.status, StartedAt: j.created.UnixMilli(), Error: j.err}
	if !j.started {
		out.FinishedAt = j.finished.UnixMilli()
		return out
	}
	switch s.opts.RunState(j.created, now) {
	case "pending":
		out.Status = StatusQueued
	case "running":
		out.Status = StatusRunning
	default:
		out.Status = StatusSuccess
		if j.fails {
			out.Status, out.Error = StatusFailed, jobErrors[0]
		}
		out.FinishedAt = j.created.Add(s.opts.RunPending + s.opts.RunDuration).UnixMilli()
	}
	return out
}

// listJobs answers newest first (assumption), filtered by search (flow
// name) and status (0 all, 1 running, 2 success, 3 failed: the community
// client's filter codes). The "date" parameter's format is unknown and
// it is ignored.
func (s *Sim) listJobs(w http.ResponseWriter, r *http.Request) {
	status := 0
	if v := r.URL.Query().Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			refuse(w, "invalid_argument")
			return
		}
		status = n
	}
	now := s.opts.Clock.Now()
	s.mu.Lock()
	out := make([]jobJSON, 0, len(s.jobs))
	for i := len(s.jobs) - 1; i >= 0; i-- {
		v := s.view(s.jobs[i], now)
		if matches(r, v.FlowName) && (status == 0 || v.Status == status) {
			out = append(out, v)
		}
	}
	s.mu.Unlock()
	slices.SortStableFunc(out, func(a, b jobJSON) int { return cmp.Compare(b.StartedAt, a.StartedAt) })
	writePage(w, r, "jobs", out)
}

// getJob answers jobs.get?job_id=… (assumption: not in the public docs).
func (s *Sim) getJob(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("job_id")
	if id == "" {
		refuse(w, "invalid_argument")
		return
	}
	now := s.opts.Clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.jobs {
		if j.id == id {
			write(w, http.StatusOK, map[string]any{"ok": true, "job": s.view(j, now)})
			return
		}
	}
	refuse(w, "job_not_found")
}

// runFlow answers flows.run {flow_id, robot_id} with {ok:true, job_id};
// an unknown flow is HTTP 200 {ok:false, error:"flow_not_found"}, as the
// live API answers. The run fails when it is the last flow of several,
// so both endings can be seen.
func (s *Sim) runFlow(w http.ResponseWriter, r *http.Request) {
	var in struct {
		FlowID  string `json:"flow_id"`
		RobotID string `json:"robot_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.FlowID == "" || in.RobotID == "" {
		refuse(w, "invalid_argument")
		return
	}
	fi := slices.IndexFunc(s.flows, func(f flowRec) bool { return f.ID == in.FlowID })
	if fi < 0 {
		refuse(w, "flow_not_found")
		return
	}
	ri := slices.IndexFunc(s.robots, func(x robotRec) bool { return x.ID == in.RobotID })
	if ri < 0 {
		refuse(w, "robot_not_found")
		return
	}
	s.mu.Lock()
	j := &jobRec{
		id: uuid(s.rng), flowID: in.FlowID, flowName: s.flows[fi].Name,
		robotID: in.RobotID, robotName: s.robots[ri].Name, created: s.opts.Clock.Now(),
		started: true, fails: len(s.flows) > 1 && fi == len(s.flows)-1,
	}
	s.jobs = append(s.jobs, j)
	s.mu.Unlock()
	write(w, http.StatusOK, map[string]any{"ok": true, "job_id": j.id})
}
