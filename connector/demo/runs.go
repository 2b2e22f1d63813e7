package demo

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"bureau/connector"
)

// A run started from Bureau waits manualPending, runs manualDuration and
// succeeds.
const (
	manualPending  = 10 * time.Second
	manualDuration = 60 * time.Second
	// maxManual bounds the runs kept per estate.
	maxManual = 1000
)

type manualRec struct {
	n       int
	process int
	robot   int
	created time.Time
}

// The runs started from Bureau, by seed: the demo's only state, so that
// every provider built for one account sees the same runs.
var (
	manualMu   sync.Mutex
	manual     = map[string][]manualRec{}
	manualNext = map[string]int{}
)

func (d *Provider) manualRun(m manualRec) run {
	created := m.created
	return run{
		ref: d.estate.processes[m.process].key + "-m" + strconv.Itoa(m.n), p: d.estate.processes[m.process],
		robot: m.robot, created: created, started: created.Add(manualPending),
		ended: created.Add(manualPending + manualDuration), final: connector.StateSuccessful, trigger: "manual",
	}
}

// manualRuns returns the seed's runs created at or after from, oldest first.
func manualRuns(d *Provider, from time.Time) []run {
	manualMu.Lock()
	recs := slices.Clone(manual[d.seed])
	manualMu.Unlock()
	slices.SortStableFunc(recs, func(a, b manualRec) int { return a.created.Compare(b.created) })
	var out []run
	for _, m := range recs {
		if !m.created.Before(from) {
			out = append(out, d.manualRun(m))
		}
	}
	return out
}

// findManual returns run n of process p, n as written in the ref.
func findManual(d *Provider, p process, n string) (run, bool) {
	manualMu.Lock()
	defer manualMu.Unlock()
	for _, m := range manual[d.seed] {
		if strconv.Itoa(m.n) == n && m.process == p.index {
			return d.manualRun(m), true
		}
	}
	return run{}, false
}

// StartRun records a run of the process. The run goes pending → running
// → successful on the clock and shows in Jobs. Arguments are accepted
// and ignored: the demo's processes take none.
func (d *Provider) StartRun(ctx context.Context, processRef string, in connector.RunInput) (connector.Job, error) {
	p, ok := d.estate.process(processRef)
	if !ok {
		return connector.Job{}, &connector.Error{Kind: connector.KindNotFound, Op: "start run", Message: "No process " + processRef + " in the demo estate"}
	}
	robot := -1
	if in.RobotRef != "" {
		robot = slices.IndexFunc(robots, func(r robotDef) bool { return r.ref == in.RobotRef })
		if robot < 0 {
			return connector.Job{}, &connector.Error{Kind: connector.KindNotFound, Op: "start run", Message: "No robot " + in.RobotRef + " in the demo estate"}
		}
		if robots[robot].offline {
			return connector.Job{}, connector.Errorf(connector.KindInvalid, "start run", "%s is offline and cannot take jobs", robots[robot].name)
		}
	}
	now := d.now()
	manualMu.Lock()
	manualNext[d.seed]++
	m := manualRec{n: manualNext[d.seed], process: p.index, robot: robot, created: now}
	if robot < 0 {
		m.robot = m.n % workingRobots
	}
	recs := slices.DeleteFunc(manual[d.seed], func(r manualRec) bool { return r.created.Before(now.Add(-History)) })
	if len(recs) >= maxManual {
		recs = recs[len(recs)-maxManual+1:]
	}
	manual[d.seed] = append(recs, m)
	manualMu.Unlock()
	return d.manualRun(m).at(now, make([]time.Time, 2)), nil
}
