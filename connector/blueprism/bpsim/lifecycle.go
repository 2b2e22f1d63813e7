package bpsim

import (
	"strings"
	"time"
)

// phase is where a session is at a moment.
type phase struct {
	status     string
	start, end time.Time
}

// phaseAt works out a session's status. A session created through the API
// stays Pending until PATCHed to Running; it then waits RunPending for the
// resource to pick it up, runs RunDuration and ends Completed, or
// Terminated for a failing process. The start time is the creation time
// while pending and becomes the actual start once it runs (assumption: the
// API does not document when it is set).
func (s *Sim) phaseAt(ss *session, now time.Time) phase {
	if ss.history {
		return phase{ss.status, ss.start, ss.end}
	}
	if ss.runAt.IsZero() {
		return phase{status: "Pending", start: ss.created}
	}
	began := ss.runAt.Add(s.opts.RunPending)
	finish := began.Add(s.opts.RunDuration)
	if !ss.stopAt.IsZero() && ss.stopAt.Before(finish) {
		if ss.stopAt.Before(began) {
			return phase{"Stopped", ss.created, ss.stopAt}
		}
		return phase{"Stopped", began, ss.stopAt}
	}
	switch s.opts.RunState(ss.runAt, now) {
	case "pending":
		return phase{status: "Pending", start: ss.created}
	case "running":
		return phase{status: "Running", start: began}
	}
	if ss.fails {
		return phase{"Terminated", began, finish}
	}
	return phase{"Completed", began, finish}
}

// view is the session as the API shows it at now. Callers hold s.mu.
func (s *Sim) view(ss *session, now time.Time) sessionView {
	p, r := s.process(ss.processID), s.resource(ss.resourceID)
	ph := s.phaseAt(ss, now)
	v := sessionView{
		SessionID: ss.id, SessionNumber: ss.number,
		ProcessID: p.ProcessID, ProcessName: p.ProcessName, ProcessAttribute: p.Attributes,
		ResourceID: r.id, ResourceName: r.name, Username: ss.username,
		Status: ph.status, StartTime: stamp(ph.start), EndTime: stamp(ph.end),
		SessionSource: "Enterprise",
		start:         ph.start, end: ph.end,
	}
	s.describe(&v, ss, ph)
	return v
}

// describe fills the stage and exception fields for the session's status.
func (s *Sim) describe(v *sessionView, ss *session, ph phase) {
	switch ph.status {
	case "Pending":
		return
	case "Running":
		v.LatestStage, v.StageStarted = ptr("Work Queue Loop"), stamp(ph.start)
		return
	}
	v.StageStarted, v.TerminationReason = stamp(ph.end), ptr("None")
	if ss.history {
		v.LatestStage = ptr(ss.stage)
		v.TerminationReason = ptr(ss.reason)
		if ss.excMessage != "" {
			v.ExceptionMessage, v.ExceptionType = ptr(ss.excMessage), ptr(ss.excType)
		}
		return
	}
	switch ph.status {
	case "Completed":
		v.LatestStage = ptr("End")
	case "Stopped":
		v.LatestStage = ptr("Stop Requested")
	case "Terminated":
		e := exceptions[ss.number%len(exceptions)]
		v.LatestStage, v.TerminationReason = ptr("Exception"), ptr("ProcessError")
		v.ExceptionMessage, v.ExceptionType = ptr(e.message), ptr(e.kind)
	}
}

// resourceView is the resource as the API shows it at now: Working while
// a session runs on it. Callers hold s.mu.
func (s *Sim) resourceView(r *resource, now time.Time) resourceView {
	v := resourceView{
		ID: r.id, Name: r.name, GroupID: r.groupID, GroupName: r.groupName,
		Attributes: []string{"None"}, ResourceType: "Enterprise",
		DisplayStatus: r.base, DatabaseStatus: "Ready",
	}
	if !r.reachable() {
		v.DatabaseStatus = "Offline"
		return v
	}
	for _, ss := range s.sessions {
		if ss.resourceID != r.id || ss.history {
			continue
		}
		switch s.phaseAt(ss, now).status {
		case "Running":
			v.ActiveSessionCount++
		case "Pending":
			v.PendingSessionCount++
		}
	}
	if v.ActiveSessionCount > 0 {
		v.DisplayStatus = "Working"
	}
	return v
}

func (s *Sim) process(id string) *process {
	for _, p := range s.processes {
		if strings.EqualFold(p.ProcessID, id) {
			return p
		}
	}
	return nil
}

func (s *Sim) resource(id string) *resource {
	for _, r := range s.resources {
		if strings.EqualFold(r.id, id) {
			return r
		}
	}
	return nil
}

func (s *Sim) session(id string) *session {
	for _, ss := range s.sessions {
		if strings.EqualFold(ss.id, id) {
			return ss
		}
	}
	return nil
}
