package runs

import (
	"context"
	"sync"
	"testing"
	"time"

	"bureau/connector"
)

// scripted is a provider whose job moves through the given states, one per
// read, the way a vendor's job does between polls.
type scripted struct {
	connector.Provider
	mu     sync.Mutex
	states []connector.State
	reads  int
}

func (p *scripted) Job(_ context.Context, ref string) (connector.Job, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.states[min(p.reads, len(p.states)-1)]
	p.reads++
	j := connector.Job{Ref: ref, ProcessRef: "p", State: s, RawState: string(s), CreatedAt: startTime}
	if s.Terminal() {
		end := startTime.Add(time.Minute)
		j.EndedAt = &end
	}
	return j, nil
}

// A run started from Bureau is followed until it ends, so its final state
// shows without waiting for the next sync.
func TestStartedJobIsFollowedUntilItEnds(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.svc.Watcher = &Watcher{Root: ctx, Every: time.Millisecond}
	t.Cleanup(func() { cancel(); f.svc.Watcher.Wait() })
	out, err := f.svc.Start(bg, actorOf(staff), staff, tenantID, betaID, f.ids(t, `SELECT id FROM processes WHERE account_id = 'a2' ORDER BY name`)[0], nil)
	if err != nil || out.Job == nil {
		t.Fatalf("start: %+v %v", out, err)
	}
	// The demo provider's real-time run takes a minute; the loop itself is
	// what is tested here, with a scripted vendor.
	cancel()
	f.svc.Watcher.Wait()

	p := &scripted{states: []connector.State{connector.StateRunning, connector.StateRunning, connector.StateSuccessful, connector.StateFaulted}}
	proc := process{ID: "x", Ref: "p", Name: "P"}
	f.svc.Watcher = &Watcher{Root: context.Background(), Every: time.Millisecond}
	f.svc.follow(context.Background(), p, tenantID, betaID, proc, out.Job.Ref)
	if p.reads != 3 {
		t.Fatalf("%d reads, want 3: it must stop at the first final state", p.reads)
	}
	var state string
	_ = f.db.R.QueryRow(`SELECT state FROM jobs WHERE account_id = ? AND ref = ?`, betaID, out.Job.Ref).Scan(&state)
	if state != "successful" {
		t.Fatalf("stored state %q, want successful", state)
	}
}
