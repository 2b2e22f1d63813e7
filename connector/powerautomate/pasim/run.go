package pasim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// runsPerMinute is RunDesktopFlow's documented limit per connection.
const runsPerMinute = 70

var runParameters = map[string]bool{
	"runMode": true, "runPriority": true, "connectionName": true, "connectionType": true,
	"timeout": true, "inputs": true, "callbackUrl": true,
}

type runRequest struct {
	RunMode        string `json:"runMode"`
	ConnectionName string `json:"connectionName"`
	ConnectionType *int   `json:"connectionType"`
	Timeout        *int   `json:"timeout"`
	Inputs         string `json:"inputs"`
}

// runDesktopFlow is the RunDesktopFlow action bound to a workflow: it
// queues a flow session and answers its id.
func (s *Sim) runDesktopFlow(w http.ResponseWriter, r *http.Request, id string) {
	if !guidPattern.MatchString(id) {
		dvError(w, http.StatusBadRequest, codeQuery, "Bad Request - Error in query syntax.")
		return
	}
	req, err := readRunRequest(r)
	if err != nil {
		dvError(w, http.StatusBadRequest, codeInvalidArgument, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wf := s.workflow(id)
	if wf == nil {
		dvError(w, http.StatusNotFound, codeNotFound, fmt.Sprintf("workflow With Id = %s Does Not Exist", strings.ToLower(id)))
		return
	}
	if wf.category != categoryDesktop {
		// assumption: wording and code of this refusal.
		dvError(w, http.StatusBadRequest, codeInvalidArgument, fmt.Sprintf("The workflow %s is not a desktop flow.", wf.id))
		return
	}
	now := s.now()
	if wait := s.throttle(now); wait > 0 {
		retryAfterHeader(w, wait)
		dvError(w, http.StatusTooManyRequests, codeRequestLimit, // assumption: wording and code
			fmt.Sprintf("Rate limit exceeded: a connection can start at most %d desktop flow runs per minute.", runsPerMinute))
		return
	}
	x := s.startSession(wf, req, now)
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": origin(r) + apiPrefix + "$metadata#Microsoft.Dynamics.CRM.RunDesktopFlowResponse",
		"flowsessionId":  x.id,
	})
}

// readRunRequest checks the action's parameters (assumption: the wording
// of the refusals; OData's for an unknown parameter).
func readRunRequest(r *http.Request) (runRequest, error) {
	var req runRequest
	raw, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return req, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return req, fmt.Errorf("The request body is not valid JSON: %v", err)
	}
	for name := range fields {
		if !runParameters[name] {
			return req, fmt.Errorf("The parameter '%s' in the request payload is not a valid parameter for the operation 'RunDesktopFlow'.", name)
		}
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return req, fmt.Errorf("The request body does not match the parameters of RunDesktopFlow: %v", err)
	}
	return req, checkRunRequest(req)
}

func checkRunRequest(req runRequest) error {
	connType := 1
	if req.ConnectionType != nil {
		connType = *req.ConnectionType
	}
	known := (connType == 1 && req.ConnectionName == ConnectionName) || (connType == 2 && req.ConnectionName == ConnectionReference)
	switch {
	case req.RunMode != "attended" && req.RunMode != "unattended":
		return fmt.Errorf("runMode must be 'attended' or 'unattended', not '%s'.", req.RunMode)
	case req.ConnectionName == "":
		return fmt.Errorf("The parameter 'connectionName' is required.")
	case connType != 1 && connType != 2:
		return fmt.Errorf("connectionType must be 1 (connection) or 2 (connection reference).")
	case !known:
		return fmt.Errorf("Connection '%s' was not found or is not a desktop flows connection.", req.ConnectionName)
	case req.Timeout != nil && (*req.Timeout < 1 || *req.Timeout > 24*3600):
		return fmt.Errorf("timeout must be between 1 and 86400 seconds.")
	case req.Inputs != "" && !json.Valid([]byte(req.Inputs)):
		return fmt.Errorf("inputs must be a JSON serialized string.")
	}
	return nil
}

// throttle records a start and says how long to wait when the connection
// is over its per-minute limit.
func (s *Sim) throttle(now time.Time) time.Duration {
	kept := s.starts[:0]
	for _, t := range s.starts {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	s.starts = kept
	if len(s.starts) >= runsPerMinute {
		return s.starts[0].Add(time.Minute).Sub(now)
	}
	s.starts = append(s.starts, now)
	return 0
}

func (s *Sim) startSession(wf *workflow, req runRequest, now time.Time) *session {
	mode := 2
	if req.RunMode == "attended" {
		mode = 1
	}
	x := &session{
		id: s.guid(), workflow: wf.id, name: wf.name, created: now, modified: now,
		runMode: mode, trigger: 3, connection: req.ConnectionName, status: statusWaiting,
		live: true, fails: wf.failsRuns, machine: s.freeMachine(),
		errCode: "ActionFailed", errMsg: "Failed to click element 'Button \"Post\"' in window 'SAP Easy Access': element not found.",
	}
	s.sessions = append(s.sessions, x)
	return x
}

// freeMachine is where a started run will land: the first machine with a
// recent heartbeat.
func (s *Sim) freeMachine() string {
	for _, m := range s.machines {
		if m.online && m.state == 0 {
			return m.id
		}
	}
	return ""
}

func (s *Sim) workflow(id string) *workflow {
	for _, w := range s.workflows {
		if strings.EqualFold(w.id, id) {
			return w
		}
	}
	return nil
}
