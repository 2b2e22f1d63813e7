package aasim

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"bureau/connector/simkit"
)

// activity is one bot execution of /v3/activity/list.
type activity struct {
	id, deploymentID, automationID string
	bot, device                    record
	deployed                       time.Time
	final, message                 string
	// live runs move on the clock; seeded ones ended at fixedEnd.
	live     bool
	fixedEnd time.Time
}

// activitySchema: the documented filters (automationId, deviceId, status,
// deploymentId), the documented sort fields, and id and fileId.
// Assumption: startDateTime filters with lt…ge, as Bureau's incremental
// sync needs; the documentation only shows it sorting.
var activitySchema = schema{
	"id": text, "automationId": number, "deploymentId": text, "deviceId": number, "fileId": number,
	"userId": number, "status": text, "type": text, "automationName": text, "fileName": text,
	"startDateTime": date, "endDateTime": date, "modifiedOn": date,
}

func (s *Sim) newActivity(bot, device record, deployed time.Time) *activity {
	dep := s.uuid()
	s.nextID++
	return &activity{
		id: fmt.Sprintf("%s_%016x", dep, s.rng.Uint64()), deploymentID: dep, automationID: strconv.Itoa(s.nextID),
		bot: bot, device: device, deployed: deployed,
	}
}

func (s *Sim) uuid() string {
	a, b := s.rng.Uint64(), s.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

// state is the status, progress and times of a at now. A live run is
// QUEUED for the first half of its pending phase, then
// PENDING_EXECUTION, RUNNING, and finally its outcome.
func (a *activity) state(o simkit.Options, now time.Time) (status string, progress int, changed, end time.Time) {
	if !a.live {
		return a.final, finalProgress(a.final), a.fixedEnd, a.fixedEnd
	}
	running := a.deployed.Add(o.RunPending)
	switch o.RunState(a.deployed, now) {
	case "pending":
		if now.Before(a.deployed.Add(o.RunPending / 2)) {
			return "QUEUED", 0, a.deployed, time.Time{}
		}
		return "PENDING_EXECUTION", 0, a.deployed.Add(o.RunPending / 2), time.Time{}
	case "running":
		return "RUNNING", int(100 * now.Sub(running) / o.RunDuration), running, time.Time{}
	default:
		end = running.Add(o.RunDuration)
		return a.final, finalProgress(a.final), end, end
	}
}

func finalProgress(status string) int {
	switch status {
	case "COMPLETED":
		return 100
	case "DEPLOY_FAILED":
		return 0
	default:
		return 60
	}
}

// view is the list item. Assumption: the documented fields plus
// deploymentId, fileId, deviceId/deviceName, userId/userName, modifiedOn
// and message (the error text of a failed run), which the documentation
// names as filters or does not list at all; endDateTime is absent until
// the run ends; startDateTime is when it was deployed.
func (a *activity) view(o simkit.Options, now time.Time) record {
	status, progress, changed, end := a.state(o, now)
	rec := record{
		"id": a.id, "automationName": fmt.Sprintf("%s.%s.%s", a.bot["name"], a.deployed.Format("2006.01.02.15.04.05"), a.device["userName"]),
		"fileName": a.bot["name"], "filePath": a.bot["path"], "fileId": a.bot["id"], "type": "RUN_NOW",
		"startDateTime": stamp(a.deployed), "command": "", "status": status, "progress": progress,
		"deploymentId": a.deploymentID, "automationId": a.automationID,
		"deviceId": a.device["id"], "deviceName": a.device["hostName"], "userId": a.device["userId"], "userName": a.device["userName"],
		"modifiedOn": stamp(changed), "message": "",
	}
	if !end.IsZero() {
		rec["endDateTime"] = stamp(end)
		rec["message"] = a.message
	}
	return rec
}

func (s *Sim) listActivities(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.now()
	recs := make([]record, len(s.activities))
	for i, a := range s.activities {
		recs[i] = a.view(s.opts, now)
	}
	s.mu.Unlock()
	list(w, r, recs, activitySchema)
}

// execution is GET /v3/activity/execution/{id}. Assumption: it answers
// the activity's id, status and bot output variables (none here).
func (s *Sim) execution(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.activities {
		if a.id == r.PathValue("id") {
			status, _, _, _ := a.state(s.opts, s.now())
			writeJSON(w, http.StatusOK, map[string]any{"id": a.id, "status": status, "botOutVariables": map[string]any{"values": map[string]any{}}})
			return
		}
	}
	writeError(w, errorf(http.StatusNotFound, "activity.not.found", "Activity %s not found", r.PathValue("id")))
}

func (s *Sim) listFiles(w http.ResponseWriter, r *http.Request) {
	var recs []record
	switch r.PathValue("workspace") {
	case "public":
		s.mu.Lock()
		recs = append(recs, s.files...)
		s.mu.Unlock()
	case "private":
		// Bureau's user has no private bots.
	default:
		writeError(w, errNotFound)
		return
	}
	list(w, r, recs, fileSchema)
}

var fileSchema = schema{
	"id": number, "parentId": number, "name": text, "path": text, "type": text, "lastModified": date,
}

// deviceSchema: the documented filters, and the nickname people sort by.
var deviceSchema = schema{"id": number, "hostName": text, "userId": number, "status": text, "nickname": text}

func (s *Sim) listDevices(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	recs := append([]record{}, s.devices...)
	s.mu.Unlock()
	list(w, r, recs, deviceSchema)
}
