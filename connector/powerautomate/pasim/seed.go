package pasim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"bureau/connector/simkit"
)

var desktopNames = []string{
	"Invoice entry (SAP GUI)", "Vendor master update", "Bank statement download",
	"Payroll reconciliation", "Customs declaration filing", "Insurance claim intake",
}

// scheduledFlows pairs a cloud flow name with its Recurrence trigger,
// written as the designer writes them (hours as strings).
var scheduledFlows = []struct {
	name       string
	recurrence map[string]any
}{
	{"Daily AP reconciliation", map[string]any{"frequency": "Day", "interval": 1, "timeZone": "W. Europe Standard Time",
		"schedule": map[string]any{"hours": []string{"9"}, "minutes": []int{0}}}},
	{"Vendor report (Mon, Wed, Fri)", map[string]any{"frequency": "Week", "interval": 1, "timeZone": "Eastern Standard Time",
		"schedule": map[string]any{"weekDays": []string{"Monday", "Wednesday", "Friday"}, "hours": []string{"7"}, "minutes": []int{30}}}},
	{"Inbox sweep every 4 hours", map[string]any{"frequency": "Hour", "interval": 4, "startTime": "2026-01-05T06:00:00Z"}},
	{"Month-end close pack", map[string]any{"frequency": "Month", "interval": 1, "startTime": "2026-01-01T08:00:00Z", "timeZone": "UTC"}},
	{"Queue monitor", map[string]any{"frequency": "Minute", "interval": 15}},
}

var otherFlows = []struct {
	name, trigger string
	definition    map[string]any
}{
	{"Invoice email intake", "Automated", map[string]any{"When_a_new_email_arrives_(V3)": map[string]any{
		"type": "OpenApiConnectionNotification", "inputs": map[string]any{"host": map[string]any{
			"connectionName": "shared_office365", "operationId": "OnNewEmailV3", "apiId": "/providers/Microsoft.PowerApps/apis/shared_office365"},
			"parameters": map[string]any{"folderPath": "Inbox", "subjectFilter": "Invoice"}}}}},
	{"Approval reminder", "Manual", map[string]any{"manual": map[string]any{
		"type": "Request", "kind": "Button", "inputs": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{}}}}}},
}

// Seeded run outcomes, cycled: mostly successes, every failure kind.
var (
	sessionCycle = []int{4, 8, 4, 4, 7, 4, 9, 4, 10, 4, 4, 6}
	runCycle     = []string{"Succeeded", "Failed", "Succeeded", "Succeeded", "Cancelled", "Succeeded", "Succeeded", "Failed"}
)

// sessionErrors are desktop flow failures (assumption: codes and wording
// are plausible; Dataverse documents only the columns).
var sessionErrors = map[int][2]string{
	statusFailed: {"ActionFailed", "Failed to click element 'Button \"Post\"' in window 'SAP Easy Access': element not found."},
	9:            {"SessionExistsForTheUserWhenUnattended", "There is a user session on the target machine. Cannot execute unattended desktop flow."},
	10:           {"DesktopFlowRunTimedOut", "The desktop flow run timed out after 7200 seconds."},
}

func (s *Sim) seed() {
	c := s.opts.Counts
	now := s.now()
	s.user, s.unit, s.org = s.guid(), s.guid(), s.guid()
	// Cloud flows: the scheduled ones and one more with another trigger,
	// keeping at least one desktop flow, the only kind that can start.
	cloud := min(max(c.Schedules+1, c.Processes/2), max(c.Processes-1, 0))
	scheduled := min(c.Schedules, cloud)
	s.seedDesktopFlows(now, c.Processes-cloud)
	s.seedCloudFlows(now, cloud, scheduled)
	s.seedMachines(now, c.Robots)
	sessions := c.Jobs - c.Jobs/2
	if cloud == 0 {
		sessions = c.Jobs
	}
	s.seedSessions(now, sessions)
	s.seedRuns(now, c.Jobs-sessions)
	s.seeded = simkit.Counts{Processes: len(s.workflows), Jobs: len(s.sessions) + len(s.runs),
		Robots: len(s.machines), Schedules: scheduled}
	s.missing = "session:" + s.guid()
}

func pick(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s %d", names[i%len(names)], i/len(names)+1)
}

func (s *Sim) seedDesktopFlows(now time.Time, n int) {
	for i := range n {
		created := now.Add(-time.Duration(120-i) * 24 * time.Hour)
		w := &workflow{id: s.guid(), name: pick(desktopNames, i), category: categoryDesktop, state: 1,
			created: created, modified: created.Add(time.Duration(i+1) * 36 * time.Hour),
			failsRuns: n > 1 && i == n-1}
		if i%2 == 0 {
			w.description = "Runs unattended on the finance machine group."
		}
		s.workflows = append(s.workflows, w)
	}
}

func (s *Sim) seedCloudFlows(now time.Time, n, scheduled int) {
	var target string // the desktop flow the cloud flows call
	if len(s.workflows) > 0 {
		target = s.workflows[0].id
	}
	for i := range n {
		created := now.Add(-time.Duration(100-i) * 24 * time.Hour)
		w := &workflow{id: s.guid(), category: categoryCloud, state: 1, created: created, modified: created.Add(48 * time.Hour)}
		var triggers map[string]any
		if i < scheduled {
			f := scheduledFlows[i%len(scheduledFlows)]
			w.name, w.runTrigger = pick([]string{f.name}, i/len(scheduledFlows)), "Scheduled"
			triggers = map[string]any{"Recurrence": map[string]any{"type": "Recurrence", "recurrence": f.recurrence}}
			if i == 2 {
				w.state = 0 // a schedule someone turned off
			}
		} else {
			f := otherFlows[(i-scheduled)%len(otherFlows)]
			w.name, w.runTrigger, triggers = pick([]string{f.name}, (i-scheduled)/len(otherFlows)), f.trigger, f.definition
		}
		w.clientData = clientData(triggers, target)
		s.workflows = append(s.workflows, w)
	}
}

// clientData is a cloud flow definition as Dataverse stores it: a JSON
// string holding the Logic Apps workflow definition.
func clientData(triggers map[string]any, desktopFlow string) string {
	actions := map[string]any{}
	if desktopFlow != "" {
		actions["Run_a_flow_built_with_Power_Automate_for_desktop"] = map[string]any{
			"type": "OpenApiConnection", "runAfter": map[string]any{},
			"inputs": map[string]any{
				"host": map[string]any{"connectionName": "shared_uiflow", "operationId": "RunUIFlow_V2",
					"apiId": "/providers/Microsoft.PowerApps/apis/shared_uiflow"},
				"parameters":     map[string]any{"uiFlowId": desktopFlow, "runMode": "unattended"},
				"authentication": "@parameters('$authentication')",
			},
		}
	}
	doc := map[string]any{
		"properties": map[string]any{
			"connectionReferences": map[string]any{"shared_uiflow": map[string]any{
				"runtimeSource": "embedded", "api": map[string]any{"name": "shared_uiflow"},
				"connection": map[string]any{"connectionReferenceLogicalName": ConnectionReference}}},
			"definition": map[string]any{
				"$schema":        "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
				"contentVersion": "1.0.0.0",
				"parameters": map[string]any{
					"$connections":    map[string]any{"defaultValue": map[string]any{}, "type": "Object"},
					"$authentication": map[string]any{"defaultValue": map[string]any{}, "type": "SecureObject"},
				},
				"triggers": triggers,
				"actions":  actions,
			},
			"templateName": "",
		},
		"schemaVersion": "1.0.0.0",
	}
	b, _ := json.Marshal(doc) // maps of plain values always encode
	return string(b)
}

func (s *Sim) seedMachines(now time.Time, n int) {
	group := s.guid()
	for i := range n {
		m := &machine{id: s.guid(), name: fmt.Sprintf("RPA-VM-%02d", i+1), group: group, agent: "2.49.173.24286",
			status: 1, created: now.Add(-time.Duration(200-i) * 24 * time.Hour)}
		switch i % 4 {
		case 0, 1:
			m.online, m.beat = true, time.Duration(20+i*15)*time.Second
		case 2:
			m.lastBeat = now.Add(-74 * time.Hour) // its agent stopped
		case 3:
			m.state, m.status = 2, 3 // Maintenance: RequiresReconnection
			m.lastBeat = now.Add(-10 * 24 * time.Hour)
		}
		s.machines = append(s.machines, m)
	}
}

func (s *Sim) flowsOf(category int) []*workflow {
	var out []*workflow
	for _, w := range s.workflows {
		if w.category == category {
			out = append(out, w)
		}
	}
	return out
}

func (s *Sim) seedSessions(now time.Time, n int) {
	flows := s.flowsOf(categoryDesktop)
	if len(flows) == 0 {
		return
	}
	for i := range n {
		wf := flows[i%len(flows)]
		created := now.Add(-time.Duration(n-i)*3*time.Hour - time.Duration(i%4)*11*time.Minute)
		started := created.Add(time.Duration(20+i%5*15) * time.Second)
		x := &session{id: s.guid(), workflow: wf.id, name: wf.name, created: created,
			runMode: 2, trigger: 0, status: sessionCycle[i%len(sessionCycle)], started: &started, modified: started}
		if i%6 == 5 {
			x.runMode = 1
		}
		if i%3 == 0 {
			x.trigger = 3
		}
		if len(s.machines) > 0 {
			x.machine = s.machines[i%len(s.machines)].id
		}
		if x.status != 6 { // all but Suspended have ended
			end := started.Add(time.Duration(3+(i*7)%10) * time.Minute)
			x.completed, x.modified = &end, end
		}
		if e, ok := sessionErrors[x.status]; ok {
			x.errCode, x.errMsg = e[0], e[1]
		}
		s.sessions = append(s.sessions, x)
	}
}

func (s *Sim) seedRuns(now time.Time, n int) {
	flows := s.flowsOf(categoryCloud)
	if len(flows) == 0 {
		return
	}
	for i := range n {
		wf := flows[i%len(flows)]
		start := now.Add(-time.Duration(n-i)*2*time.Hour - time.Duration(i%3)*13*time.Minute)
		end := start.Add(time.Duration(i%5+1) * 40 * time.Second)
		f := &flowRun{id: s.guid(), name: s.runName(), workflow: wf.id, workflowName: wf.name,
			status: runCycle[i%len(runCycle)], trigger: wf.runTrigger, start: start, end: &end}
		if f.status == "Failed" {
			f.errCode, f.errMsg = "ActionFailed", "An action failed. No dependent actions succeeded."
		}
		s.runs = append(s.runs, f)
	}
}

// runName is a flow service run id, e.g. 08584…CU21 (flowrun.name).
func (s *Sim) runName() string {
	var b strings.Builder
	b.WriteString("08584")
	for range 24 {
		b.WriteByte(byte('0' + s.rng.IntN(10)))
	}
	fmt.Fprintf(&b, "CU%02d", s.rng.IntN(40))
	return b.String()
}
