package bpsim

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var sessionStatuses = []string{"Pending", "Running", "Terminated", "Stopped", "Completed", "Stopping", "Warning"}

var sessionSorts = []string{
	"SessionNumberAsc", "SessionNumberDesc", "ProcessNameAsc", "ProcessNameDesc",
	"ResourceNameAsc", "ResourceNameDesc", "UserNameAsc", "UserNameDesc", "StatusAsc", "StatusDesc",
	"ExceptionTypeAsc", "ExceptionTypeDesc", "StartTimeAsc", "StartTimeDesc", "EndTimeAsc", "EndTimeDesc",
	"LatestStageAsc", "LatestStageDesc", "StageStartedAsc", "StageStartedDesc",
}

// sessionParams are the parameters that shape GET /sessions; anything
// else is ignored, as the real API does.
var sessionParams = filterParams(
	[]string{"processName", "resourceName", "userName", "startTime", "endTime"},
	"status", "sortBy", "processId.eq",
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (s *Sim) listSessions(w http.ResponseWriter, r *http.Request) {
	if !can(r, processPerms...) || !can(r, resourcePerms...) {
		forbidden(w)
		return
	}
	q := r.URL.Query()
	match, err := sessionMatcher(q)
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	order, err := sortOrder(q, "StartTimeDesc", sessionSorts) // default: an assumption
	if err != nil {
		answerBadQuery(w, err)
		return
	}
	s.mu.Lock()
	now := s.clock.Now()
	var views []sessionView
	for _, ss := range s.sessions {
		if v := s.view(ss, now); match(v) {
			views = append(views, v)
		}
	}
	s.mu.Unlock()
	sortSessions(views, order)
	answerPage(w, q, sessionParams, views)
}

func sessionMatcher(q url.Values) (func(sessionView) bool, error) {
	startTime, err := timeFilter(q, "startTime")
	if err != nil {
		return nil, err
	}
	endTime, err := timeFilter(q, "endTime")
	if err != nil {
		return nil, err
	}
	status, err := listFilter(q, "status", sessionStatuses)
	if err != nil {
		return nil, err
	}
	processName, resourceName, userName := stringFilter(q, "processName"), stringFilter(q, "resourceName"), stringFilter(q, "userName")
	processID := first(q["processId.eq"])
	return func(v sessionView) bool {
		return startTime(v.start) && endTime(v.end) && status(v.Status) &&
			processName(v.ProcessName) && resourceName(v.ResourceName) && userName(v.Username) &&
			(processID == "" || strings.EqualFold(processID, v.ProcessID))
	}, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// sortSessions orders by the sortBy field, ties by session number. Empty
// times sort first ascending, as SQL Server sorts NULL.
func sortSessions(vs []sessionView, order string) {
	desc := strings.HasSuffix(order, "Desc")
	field := strings.TrimSuffix(strings.TrimSuffix(order, "Desc"), "Asc")
	slices.SortStableFunc(vs, func(a, b sessionView) int {
		c := compareSession(a, b, field)
		if c == 0 {
			c = cmp.Compare(a.SessionNumber, b.SessionNumber)
		}
		if desc {
			return -c
		}
		return c
	})
}

func compareSession(a, b sessionView, field string) int {
	switch field {
	case "ProcessName":
		return strings.Compare(strings.ToLower(a.ProcessName), strings.ToLower(b.ProcessName))
	case "ResourceName":
		return strings.Compare(strings.ToLower(a.ResourceName), strings.ToLower(b.ResourceName))
	case "UserName":
		return strings.Compare(strings.ToLower(a.Username), strings.ToLower(b.Username))
	case "Status":
		return strings.Compare(a.Status, b.Status)
	case "ExceptionType":
		return strings.Compare(deref(a.ExceptionType), deref(b.ExceptionType))
	case "LatestStage":
		return strings.Compare(deref(a.LatestStage), deref(b.LatestStage))
	case "StartTime":
		return a.start.Compare(b.start)
	case "EndTime":
		return a.end.Compare(b.end)
	case "StageStarted":
		return strings.Compare(deref(a.StageStarted), deref(b.StageStarted))
	}
	return 0 // SessionNumber: the tie-break
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Sim) getSession(w http.ResponseWriter, r *http.Request) {
	if !can(r, processPerms...) || !can(r, resourcePerms...) {
		forbidden(w)
		return
	}
	id := r.PathValue("sessionId")
	if !uuidRE.MatchString(id) {
		badParameter(w, "The value supplied for 'sessionId' is invalid.", fmt.Sprintf("'%s' is not a valid ID.", id))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(id)
	if ss == nil {
		errorText(w, http.StatusNotFound, "Session not found.")
		return
	}
	writeJSON(w, http.StatusOK, s.view(ss, s.clock.Now()))
}

// createSession is step one of a run: a Pending session of the process on
// the resource. The answer is the new session's ID as a bare JSON string.
func (s *Sim) createSession(w http.ResponseWriter, r *http.Request) {
	if !can(r, "Create Process", "Edit Process", "Execute Process") || !can(r, "Control Resource") {
		forbidden(w)
		return
	}
	var in struct {
		ProcessID  string `json:"processId"`
		ResourceID string `json:"resourceId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		invalidField(w, "body", "The request body is not valid JSON.")
		return
	}
	for field, v := range map[string]string{"processId": in.ProcessID, "resourceId": in.ResourceID} {
		if !uuidRE.MatchString(v) {
			invalidField(w, field, fmt.Sprintf("The %s field is required and must be an ID.", field))
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, res := s.process(in.ProcessID), s.resource(in.ResourceID)
	switch {
	case p == nil:
		errorText(w, http.StatusNotFound, "Process not found.")
	case res == nil:
		errorText(w, http.StatusNotFound, "Resource not found.")
	case p.retired():
		invalidField(w, "processId", fmt.Sprintf("The process '%s' is retired and cannot be run.", p.ProcessName))
	case !res.reachable():
		invalidField(w, "resourceId", fmt.Sprintf("The resource '%s' is %s and cannot run sessions.", res.name, res.base))
	default:
		ss := &session{
			id: sessionID(s.nextNumber), number: s.nextNumber,
			processID: p.ProcessID, resourceID: res.id, username: grantOf(r).client,
			created: s.clock.Now(), fails: p.fails,
		}
		s.nextNumber++
		s.sessions = append(s.sessions, ss)
		writeJSON(w, http.StatusOK, ss.id)
	}
}

// updateSession is the last step of a run (status Running) and the way to
// stop one (Stopping, Stopped). 202 with no body.
func (s *Sim) updateSession(w http.ResponseWriter, r *http.Request) {
	if !can(r, "Create Process", "Edit Process", "Execute Process") || !can(r, "Control Resource") {
		generalError(w, http.StatusForbidden, "The user does not have execute permission for this action.")
		return
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || !slices.Contains([]string{"Running", "Stopping", "Stopped"}, in.Status) {
		invalidField(w, "status", "Only the statuses Running, Stopping and Stopped are supported.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(r.PathValue("sessionId"))
	if ss == nil {
		errorText(w, http.StatusNotFound, "Session not found.")
		return
	}
	now := s.clock.Now()
	status := s.phaseAt(ss, now).status
	switch {
	case in.Status == "Running" && (ss.history || !ss.runAt.IsZero()):
		errorText(w, http.StatusConflict, "The session has already been started.")
	case in.Status == "Running":
		ss.runAt = now
		w.WriteHeader(http.StatusAccepted)
	case status != "Running" && (status != "Pending" || ss.runAt.IsZero()):
		errorText(w, http.StatusConflict, fmt.Sprintf("The session is %s and cannot be stopped.", status))
	default:
		ss.stopAt = now
		w.WriteHeader(http.StatusAccepted)
	}
}

// deleteSession removes a session that was created but never started.
func (s *Sim) deleteSession(w http.ResponseWriter, r *http.Request) {
	if !can(r, "Control Resource") {
		forbidden(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(r.PathValue("sessionId"))
	switch {
	case ss == nil:
		errorText(w, http.StatusNotFound, "Session not found.")
	case ss.history || !ss.runAt.IsZero():
		badParameter(w, "The session cannot be deleted.", "Only a pending session can be deleted.")
	default:
		s.sessions = slices.DeleteFunc(s.sessions, func(x *session) bool { return x == ss })
		w.WriteHeader(http.StatusNoContent)
	}
}

var valueTypes = []string{"Binary", "Collection", "Date", "DateTime", "Flag", "Image", "Number", "Password", "RadioButtons", "Text", "Time", "TimeSpan"}

// putParameters sets the start-up parameters of a session not yet
// started: {"parameters": {name: {valueType, value}}}.
func (s *Sim) putParameters(w http.ResponseWriter, r *http.Request) {
	if !can(r, "Create Process", "Edit Process", "Execute Process") || !can(r, "Control Resource") {
		forbidden(w)
		return
	}
	var in struct {
		Parameters json.RawMessage `json:"parameters"`
	}
	var row map[string]struct {
		ValueType string `json:"valueType"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil || json.Unmarshal(in.Parameters, &row) != nil || row == nil {
		invalidField(w, "parameters", "The parameters field is required.")
		return
	}
	for name, p := range row {
		if !slices.Contains(valueTypes, p.ValueType) {
			invalidField(w, "parameters."+name+".valueType", fmt.Sprintf("'%s' is not a Blue Prism data type.", p.ValueType))
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(r.PathValue("sessionId"))
	switch {
	case ss == nil:
		errorText(w, http.StatusNotFound, "Session not found.")
	case ss.history || !ss.runAt.IsZero():
		errorText(w, http.StatusConflict, "Start-up parameters can only be set on a pending session.")
	default:
		ss.params = in.Parameters
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Sim) getParameters(w http.ResponseWriter, r *http.Request) {
	if !can(r, processPerms...) || !can(r, resourcePerms...) {
		forbidden(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(r.PathValue("sessionId"))
	if ss == nil {
		errorText(w, http.StatusNotFound, "Session not found.")
		return
	}
	params := ss.params
	if params == nil {
		params = json.RawMessage("{}")
	}
	writeJSON(w, http.StatusOK, map[string]json.RawMessage{"parameters": params})
}
