package bpsim

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

var processAttributes = []string{"Retired", "Published", "PublishedWebService", "PublishedDesktop"}

var processParams = filterParams([]string{"processName", "description", "groupName"}, "attributesInclude", "attributesExclude", "sortBy")

func (s *Sim) listProcesses(w http.ResponseWriter, r *http.Request) {
	if !can(r, processPerms...) {
		forbidden(w)
		return
	}
	q := r.URL.Query()
	include, err := listFilter(q, "attributesInclude", processAttributes)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	exclude, err := listFilter(q, "attributesExclude", processAttributes)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	order, err := sortOrder(q, "NameAsc", []string{"NameAsc", "NameDesc", "DescriptionAsc", "DescriptionDesc", "GroupAsc", "GroupDesc"})
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	name, desc, group := stringFilter(q, "processName"), stringFilter(q, "description"), stringFilter(q, "groupName")
	s.mu.Lock()
	var out []process
	for _, p := range s.processes {
		if name(p.ProcessName) && desc(p.ProcessDescription) && group(p.GroupName) &&
			(q.Get("attributesInclude") == "" || slices.ContainsFunc(p.Attributes, include)) &&
			(q.Get("attributesExclude") == "" || !slices.ContainsFunc(p.Attributes, exclude)) {
			out = append(out, *p)
		}
	}
	s.mu.Unlock()
	sortBy(out, order, func(p process, field string) string {
		switch field {
		case "Description":
			return p.ProcessDescription
		case "Group":
			return p.GroupName
		}
		return p.ProcessName
	})
	answerPage(w, q, processParams, out)
}

var displayStatuses = []string{"Working", "Idle", "Warning", "Offline", "Missing", "LoggedOut", "Private", "Details", "BPD", "Hybrid"}

var resourceParams = filterParams([]string{"name", "groupName", "poolName"}, "displayStatus", "retirementFilter", "resourceType", "sortBy")

func (s *Sim) listResources(w http.ResponseWriter, r *http.Request) {
	if !can(r, resourcePerms...) {
		forbidden(w)
		return
	}
	q := r.URL.Query()
	display, err := listFilter(q, "displayStatus", displayStatuses)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	order, err := sortOrder(q, "NameAsc", []string{
		"NameAsc", "NameDesc", "PoolAsc", "PoolDesc", "GroupAsc", "GroupDesc", "PendingAsc", "PendingDesc",
		"ActiveAsc", "ActiveDesc", "DisplayStatusAsc", "DisplayStatusDesc",
	})
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	name, group, pool := stringFilter(q, "name"), stringFilter(q, "groupName"), stringFilter(q, "poolName")
	// No resource is retired or of another type in the simulated estate.
	none := q.Get("retirementFilter") == "Retired" || (q.Get("resourceType") != "" && q.Get("resourceType") != "Enterprise")
	s.mu.Lock()
	now := s.clock.Now()
	var out []resourceView
	for _, res := range s.resources {
		v := s.resourceView(res, now)
		if !none && name(v.Name) && group(v.GroupName) && pool("") && display(v.DisplayStatus) {
			out = append(out, v)
		}
	}
	s.mu.Unlock()
	sortBy(out, order, func(v resourceView, field string) string {
		switch field {
		case "Group":
			return v.GroupName
		case "Pool":
			return ""
		case "Pending":
			return strconv.Itoa(1e6 + v.PendingSessionCount)
		case "Active":
			return strconv.Itoa(1e6 + v.ActiveSessionCount)
		case "DisplayStatus":
			return v.DisplayStatus
		}
		return v.Name
	})
	answerPage(w, q, resourceParams, out)
}

var scheduleParams = filterParams([]string{"name"}, "retirementStatus")

func (s *Sim) listSchedules(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	retirement, err := listFilter(q, "retirementStatus", []string{"Active", "Retired"})
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	name := stringFilter(q, "name")
	s.mu.Lock()
	var out []scheduleSummary
	for _, sch := range s.schedules {
		state := "Active"
		if sch.IsRetired {
			state = "Retired"
		}
		if name(sch.Name) && retirement(state) {
			out = append(out, sch)
		}
	}
	s.mu.Unlock()
	answerPage(w, q, scheduleParams, out)
}

var scheduleLogStatuses = []string{"Pending", "Running", "Terminated", "Completed", "PartExceptioned"}

var scheduleLogParams = filterParams([]string{"startTime", "endTime", "scheduleName", "serverName"}, "scheduleLogStatus", "sortBy")

// listScheduleLogs answers /scheduleLogs and /scheduleLogs/{scheduleId}:
// the runs of schedules, newest first unless sorted otherwise.
func (s *Sim) listScheduleLogs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, err := scheduleLogMatcher(q)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	order, err := sortOrder(q, "StartTimeDesc", []string{
		"EndTimeAsc", "EndTimeDesc", "ScheduleLogIdAsc", "ScheduleLogIdDesc", "ScheduleNameAsc", "ScheduleNameDesc",
		"ServerNameAsc", "ServerNameDesc", "StartTimeAsc", "StartTimeDesc", "StatusAsc", "StatusDesc", "DurationAsc", "DurationDesc",
	})
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	s.mu.Lock()
	scheduleID, ok := s.scheduleFilter(r.PathValue("scheduleId"))
	var out []scheduleLog
	for _, l := range s.scheduleLogs {
		if (scheduleID == 0 || l.ScheduleID == scheduleID) && match(l) {
			out = append(out, l)
		}
	}
	s.mu.Unlock()
	if !ok {
		errorText(w, http.StatusNotFound, "Schedule not found.")
		return
	}
	sortBy(out, order, func(l scheduleLog, field string) string {
		switch field {
		case "EndTime":
			return l.EndTime
		case "ScheduleLogId":
			return strconv.Itoa(1e9 + l.ScheduleLogID)
		case "ScheduleName":
			return l.ScheduleName
		case "ServerName":
			return l.ServerName
		case "Status":
			return l.Status
		case "Duration":
			return l.Duration
		}
		return l.StartTime
	})
	answerPage(w, q, scheduleLogParams, out)
}

// scheduleFilter reads the optional {scheduleId}; 0 means every schedule.
// Callers hold s.mu.
func (s *Sim) scheduleFilter(raw string) (int, bool) {
	if raw == "" {
		return 0, true
	}
	id, err := strconv.Atoi(raw)
	if err != nil {
		return 0, false
	}
	return id, slices.ContainsFunc(s.schedules, func(sch scheduleSummary) bool { return sch.ID == id })
}

func scheduleLogMatcher(q url.Values) (func(scheduleLog) bool, error) {
	start, err := timeFilter(q, "startTime")
	if err != nil {
		return nil, err
	}
	end, err := timeFilter(q, "endTime")
	if err != nil {
		return nil, err
	}
	status, err := listFilter(q, "scheduleLogStatus", scheduleLogStatuses)
	if err != nil {
		return nil, err
	}
	name, server := stringFilter(q, "scheduleName"), stringFilter(q, "serverName")
	return func(l scheduleLog) bool {
		// The filter takes PascalCase values; the log answers lower camel case.
		wanted := strings.ToUpper(l.Status[:1]) + l.Status[1:]
		return start(l.start) && end(l.end) && status(wanted) && name(l.ScheduleName) && server(l.ServerName)
	}, nil
}

// sortBy orders items by the text key of order's field (order is e.g.
// "NameAsc"), stably.
func sortBy[T any](items []T, order string, key func(T, string) string) {
	desc := strings.HasSuffix(order, "Desc")
	field := strings.TrimSuffix(strings.TrimSuffix(order, "Desc"), "Asc")
	slices.SortStableFunc(items, func(a, b T) int {
		c := cmp.Compare(strings.ToLower(key(a, field)), strings.ToLower(key(b, field)))
		if desc {
			return -c
		}
		return c
	})
}

// answerPage writes one page of items with the next paging token.
func answerPage[T any](w http.ResponseWriter, q url.Values, params []string, items []T) {
	body, err := pageOf(q, fingerprint(q, params), items)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Sim) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"healthy": true,
		"dependencies": []map[string]any{
			{"name": "Database", "healthy": true},
			{"name": "Authentication Server", "healthy": true},
		},
	})
}
