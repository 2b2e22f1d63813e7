package syncer

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bureau/apperr"
)

// SYNC-01: cron and manual triggers fired 20 times at once, through two
// syncers on one database (two replicas: their in-process locks know
// nothing of each other) → exactly one running row at any moment; every
// other trigger answers sync_running, and the cron ones leave a
// skipped_overlap row.
func TestNoOverlappingSyncs(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	release := make(chan struct{})
	entered := make(chan struct{}, 20)
	p := &fake{before: func(ctx context.Context, op string) error {
		if op == "processes" {
			entered <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}}
	a, _ := newSyncer(db, clock, only(p))
	b, _ := newSyncer(db, clock, only(p))

	var maxRunning atomic.Int64
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() { // samples the running rows while the triggers race
		defer close(watched)
		for {
			select {
			case <-stopWatch:
				return
			default:
			}
			var n int64
			_ = db.R.QueryRow(`SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1' AND status = 'running'`).Scan(&n)
			if n > maxRunning.Load() {
				maxRunning.Store(n)
			}
		}
	}()

	var wg sync.WaitGroup
	var won, refused, cronRefused atomic.Int64
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, trigger := a, TriggerCron
			if i%2 == 1 {
				s = b
			}
			if i%4 >= 2 {
				trigger = TriggerManual
			}
			run, err := s.Run(context.Background(), "t1", "a1", trigger, "")
			switch {
			case err == nil:
				won.Add(1)
				if run.Status != StatusSucceeded {
					errs <- apperr.New(apperr.KindInternal, "bad", "winner ended "+run.Status+": "+run.Error)
				}
			case apperr.CodeOf(err) == "sync_running":
				refused.Add(1)
				if trigger == TriggerCron {
					cronRefused.Add(1)
					if run.Status != StatusSkipped {
						errs <- apperr.New(apperr.KindInternal, "bad", "cron loser's record is "+run.Status)
					}
				}
			default:
				errs <- err
			}
		}()
	}
	<-entered // the winner is inside the provider
	eventually(t, 5*time.Second, "19 triggers refused", func() bool { return refused.Load() == 19 })
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1' AND status = 'running'`); n != 1 {
		t.Fatalf("%d running rows while a sync runs, want 1", n)
	}
	close(release)
	wg.Wait()
	close(stopWatch)
	<-watched
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if won.Load() != 1 {
		t.Fatalf("%d triggers ran a sync, want 1", won.Load())
	}
	if maxRunning.Load() > 1 {
		t.Fatalf("saw %d running rows at once", maxRunning.Load())
	}
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1' AND status = 'skipped_overlap' AND trigger = 'cron'`); n != int(cronRefused.Load()) || n == 0 {
		t.Fatalf("%d skipped_overlap rows, want one per refused cron trigger (%d)", n, cronRefused.Load())
	}
	if n := count(t, db, `SELECT COUNT(*) FROM sync_runs WHERE account_id = 'a1'`); n != 1+int(cronRefused.Load()) {
		t.Fatalf("%d rows: manual refusals must not leave rows", n)
	}
	// Another account was never blocked by a1's sync.
	if _, err := a.Run(context.Background(), "t1", "a2", TriggerManual, ""); err != nil {
		t.Fatalf("a2 sync: %v", err)
	}
}

// SYNC-07: a running row whose lease has passed (its process died) is
// taken over and ends as interrupted; one whose lease is live is not.
func TestExpiredLeaseIsTakenOver(t *testing.T) {
	db := openDB(t)
	clock := &testClock{now: t0}
	s, _ := newSyncer(db, clock, only(&fake{}))
	exec(t, db, `INSERT INTO sync_runs (id, tenant_id, account_id, trigger, status, started_at, lease_until)
		VALUES ('old', 't1', 'a1', 'cron', 'running', '2026-11-24T08:59:00.000000Z', '2026-11-24T09:01:00.000000Z')`)
	if _, err := s.Run(context.Background(), "t1", "a1", TriggerManual, ""); apperr.CodeOf(err) != "sync_running" {
		t.Fatalf("live lease: err = %v, want sync_running", err)
	}
	clock.Advance(2 * time.Minute)
	run, err := s.Run(context.Background(), "t1", "a1", TriggerManual, "")
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("after the lease passed: %+v %v", run, err)
	}
	old, err := Get(context.Background(), db.R, "a1", "old")
	if err != nil {
		t.Fatal(err)
	}
	if old.Status != StatusInterrupted || old.EndedAt == nil || old.ErrorCode != "interrupted" {
		t.Fatalf("old run = %+v, want interrupted", old)
	}
}

// SYNC-07, multi-node: a running sync keeps its lease fresh; when another
// node has taken the account over (the row is no longer running), the sync
// stops instead of writing on beside the new owner.
func TestHeartbeatKeepsAndLosesTheLease(t *testing.T) {
	db := openDB(t)
	entered := make(chan struct{}, 1)
	p := &fake{before: func(ctx context.Context, op string) error {
		if op == "jobs" {
			entered <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}}
	s := &Syncer{DB: db, Log: quietLog(), NewProvider: only(p), Timeout: 10 * time.Second, Heartbeat: 20 * time.Millisecond}
	run, err := s.Start(context.Background(), "t1", "a1", TriggerManual, "")
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	eventually(t, 5*time.Second, "lease extended", func() bool {
		r, _ := Get(context.Background(), db.R, "a1", run.ID)
		return r.LeaseUntil.After(run.LeaseUntil)
	})
	exec(t, db, `UPDATE sync_runs SET status = 'interrupted', ended_at = lease_until WHERE id = ?`, run.ID)
	// Within 5 s, well before its 10 s timeout could end it: the lost lease did.
	eventually(t, 5*time.Second, "sync stopped after losing its lease", func() bool { return !s.Running("a1") })
	if r, _ := Get(context.Background(), db.R, "a1", run.ID); r.Status != StatusInterrupted {
		t.Fatalf("the new owner's record was overwritten: %+v", r)
	}
}
