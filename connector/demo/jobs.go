package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"bureau/connector"
)

// History is how far back the estate's jobs go.
const History = 30 * 24 * time.Hour

// Raw states: the demo's own words for the normalised states.
var rawStates = map[connector.State]string{
	connector.StatePending: "Pending", connector.StateRunning: "Running",
	connector.StateSuccessful: "Successful", connector.StateFaulted: "Faulted", connector.StateStopped: "Stopped",
}

// run is one job's timeline before it is seen at a given now.
type run struct {
	ref              string
	p                process
	robot            int
	created, started time.Time
	ended            time.Time
	final            connector.State
	err              string
	trigger          string
}

// slotRun computes the job of process p's slot k.
func (e *estate) slotRun(p process, k int64) run {
	h := e.hash(p.index, k, 0)
	created := p.slotStart(k).Add(time.Duration(h%60) * time.Second)
	started := created.Add(time.Duration(5+(h>>8)%40) * time.Second)
	span := uint64((p.maxDur - p.minDur) / time.Second)
	dur := p.minDur + time.Duration((h>>16)%span)*time.Second
	r := run{
		ref: slotRef(p.key, k), p: p, robot: int((h >> 40) % workingRobots),
		created: created, started: started, final: connector.StateSuccessful, trigger: p.trigger,
	}
	switch roll := (h >> 32) % 1000; {
	case roll < p.failRate:
		r.final = connector.StateFaulted
		dur = dur * time.Duration(30+(h>>44)%60) / 100 // failures end early
		r.err = jobError(p, h>>52, created)
	case roll < p.failRate+10:
		r.final = connector.StateStopped
		r.err = "Stopped by operator"
	}
	r.ended = started.Add(dur)
	return r
}

// slotRef is "<process>-<slot>", built in one allocation: a 30-day
// listing builds thousands.
func slotRef(key string, k int64) string {
	var b [64]byte
	return string(strconv.AppendInt(append(append(b[:0], key...), '-'), k, 10))
}

// jobError picks one of the process's errors; a missing-file error
// names the day's file.
func jobError(p process, h uint64, created time.Time) string {
	msg := p.errors[h%uint64(len(p.errors))]
	if strings.Contains(msg, "%s") {
		return fmt.Sprintf(msg, created.Format("2006-01-02"), 1+h%12)
	}
	return msg
}

// at is the run as it stands at now; times points at two spare slots for
// the start and end times, so a page of jobs costs one allocation for
// all of its times.
func (r run) at(now time.Time, times []time.Time) connector.Job {
	rb := robots[r.robot]
	j := connector.Job{
		Ref: r.ref, ProcessRef: r.p.key, ProcessName: r.p.name, RobotRef: rb.ref, RobotName: rb.name,
		CreatedAt: r.created, UpdatedAt: r.created, Trigger: r.trigger,
	}
	switch {
	case now.Before(r.started):
		j.State = connector.StatePending
	case now.Before(r.ended):
		j.State = connector.StateRunning
		times[0] = r.started
		j.StartedAt, j.UpdatedAt = &times[0], r.started
	default:
		j.State, j.Error = r.final, r.err
		times[0], times[1] = r.started, r.ended
		j.StartedAt, j.EndedAt, j.UpdatedAt = &times[0], &times[1], r.ended
	}
	j.RawState = rawStates[j.State]
	return j
}

// stream yields the estate's runs created in [from, now], oldest first,
// merging each process's timetable and the manual runs one run at a time.
type stream struct {
	e      *estate
	now    time.Time
	next   []run // the next run of each process
	slot   []int64
	manual []run // sorted by creation
}

func (e *estate) stream(from, now time.Time, manual []run) *stream {
	s := &stream{e: e, now: now, manual: manual}
	for _, p := range e.processes {
		k := p.slotAt(from.Add(-time.Minute)) // a run is created up to a minute into its slot
		r := e.slotRun(p, k)
		for r.created.Before(from) {
			k++
			r = e.slotRun(p, k)
		}
		s.next, s.slot = append(s.next, r), append(s.slot, k)
	}
	for len(s.manual) > 0 && s.manual[0].created.Before(from) {
		s.manual = s.manual[1:]
	}
	return s
}

// pop returns the oldest run not yet yielded, or false past now.
func (s *stream) pop() (run, bool) {
	best := -1
	for i, r := range s.next {
		if best < 0 || r.created.Before(s.next[best].created) {
			best = i
		}
	}
	if len(s.manual) > 0 && (best < 0 || s.manual[0].created.Before(s.next[best].created)) {
		r := s.manual[0]
		if r.created.After(s.now) {
			return run{}, false
		}
		s.manual = s.manual[1:]
		return r, true
	}
	r := s.next[best]
	if r.created.After(s.now) {
		return run{}, false
	}
	s.slot[best]++
	s.next[best] = s.e.slotRun(s.e.processes[best], s.slot[best])
	return r, true
}

// Jobs yields the jobs created at or after since (at most History back),
// oldest first, cfg.PageSize to a page. Nothing is held beyond one page.
func (d *Provider) Jobs(ctx context.Context, since time.Time, fn func([]connector.Job) error) error {
	now := d.now()
	from := now.Add(-History)
	if since.After(from) {
		from = since
	}
	s := d.estate.stream(from, now, manualRuns(d, from))
	for {
		page, times := make([]connector.Job, 0, d.pageSize), make([]time.Time, 2*d.pageSize)
		for len(page) < d.pageSize {
			r, ok := s.pop()
			if !ok {
				break
			}
			page = append(page, r.at(now, times[2*len(page):]))
		}
		if len(page) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < d.pageSize {
			return nil
		}
	}
}

// Job recomputes one job from its ref: "<process>-<slot>" for a
// timetable run, "<process>-m<n>" for a run started from Bureau.
func (d *Provider) Job(ctx context.Context, ref string) (connector.Job, error) {
	now := d.now()
	notFound := &connector.Error{Kind: connector.KindNotFound, Op: "read job", Message: "No job " + ref + " in the demo estate"}
	i := strings.LastIndexByte(ref, '-')
	if i < 0 {
		return connector.Job{}, notFound
	}
	p, ok := d.estate.process(ref[:i])
	if !ok {
		return connector.Job{}, notFound
	}
	times := make([]time.Time, 2)
	if n, isManual := strings.CutPrefix(ref[i+1:], "m"); isManual {
		r, ok := findManual(d, p, n)
		if !ok || r.created.After(now) {
			return connector.Job{}, notFound
		}
		return r.at(now, times), nil
	}
	k, err := strconv.ParseInt(ref[i+1:], 10, 64)
	if err != nil || strconv.FormatInt(k, 10) != ref[i+1:] {
		return connector.Job{}, notFound
	}
	r := d.estate.slotRun(p, k)
	if r.created.After(now) || r.created.Before(now.Add(-History)) {
		return connector.Job{}, notFound
	}
	return r.at(now, times), nil
}
