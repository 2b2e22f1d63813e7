package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"bureau/connector"
	"bureau/store"
)

// work runs a claimed sync to its end, records it and gives the account
// back. The run's context ends at the deadline (SYNC-03), when Stop gives
// up waiting, or when the lease is lost.
func (s *Syncer) work(ctx context.Context, run Run) Run {
	defer s.release(run.AccountID)
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if a := s.activeOf(run.AccountID); a != nil {
		stop := context.AfterFunc(a.ctx, func() { cancel(context.Cause(a.ctx)) })
		defer stop()
	}
	tctx, cancelT := context.WithTimeoutCause(runCtx, s.timeout(), errTimeout)
	defer cancelT()
	stopLease := s.keepLease(tctx, run, cancel)
	err := s.execute(tctx, &run)
	stopLease()
	return s.finish(ctx, tctx, run, err)
}

// finish writes the run's record. It uses a context of its own: the run's
// may be over (timed out, cancelled) and the record must still land.
func (s *Syncer) finish(parent, runCtx context.Context, run Run, err error) Run {
	status, code, message := s.outcome(runCtx, err)
	now := s.now()
	run.Status, run.ErrorCode, run.Error, run.EndedAt = status, code, message, &now
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), 15*time.Second)
	defer cancel()
	werr := s.DB.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_runs SET status = ?, ended_at = ?, attempts = ?, processes = ?, jobs = ?,
				robots = ?, schedules = ?, changed = ?, error = ?, error_code = ?
			WHERE account_id = ? AND id = ? AND status = 'running'`,
			run.Status, store.Time(now), run.Attempts, run.Counts.Processes, run.Counts.Jobs, run.Counts.Robots,
			run.Counts.Schedules, run.Changed, run.Error, run.ErrorCode, run.AccountID, run.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			s.log().Warn("sync record was taken over before it finished", "account_id", run.AccountID, "run_id", run.ID)
		}
		return markUnhealthy(ctx, tx, run, now)
	})
	if werr != nil {
		s.log().Error("record sync run", "account_id", run.AccountID, "run_id", run.ID, "error", werr)
	}
	s.logOutcome(run, err)
	return run
}

// markUnhealthy records a refused credential on the connection, as a
// failed Test Connection would, so the connection page says why syncs stop
// (SYNC-05: auth failures are not retried, the connection is unhealthy).
func markUnhealthy(ctx context.Context, tx *sql.Tx, run Run, now time.Time) error {
	if run.ErrorCode != string(connector.KindAuth) && run.ErrorCode != string(connector.KindForbidden) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE connections SET last_test_at = ?, last_test_ok = 0, last_test_details = '',
			last_test_code = ?, last_test_message = ?
		WHERE tenant_id = ? AND account_id = ?`, store.Time(now), run.ErrorCode, run.Error, run.TenantID, run.AccountID)
	if err != nil {
		return fmt.Errorf("mark connection unhealthy: %w", err)
	}
	return nil
}

func (s *Syncer) logOutcome(run Run, err error) {
	attrs := []any{"account_id", run.AccountID, "run_id", run.ID, "trigger", run.Trigger, "status", run.Status,
		"attempts", run.Attempts, "changed", run.Changed, "jobs", run.Counts.Jobs}
	switch run.Status {
	case StatusSucceeded:
		s.log().Info("sync finished", attrs...)
	default:
		attrs = append(attrs, "error_code", run.ErrorCode, "error", run.Error)
		if err != nil {
			attrs = append(attrs, "cause", sanitize(err.Error()))
		}
		s.log().Warn("sync did not succeed", attrs...)
	}
}

// keepLease extends the run's lease every heartbeat while it works, so
// another replica never takes over a live sync, and one that died is taken
// over within three heartbeats (SYNC-07). A lease found taken over cancels
// the run: someone else owns the account now.
func (s *Syncer) keepLease(ctx context.Context, run Run, lost context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.heartbeat())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			held, err := s.extendLease(ctx, run)
			switch {
			case err != nil:
				s.log().Warn("extend sync lease", "account_id", run.AccountID, "run_id", run.ID, "error", err)
			case !held:
				s.log().Warn("sync lease lost; stopping", "account_id", run.AccountID, "run_id", run.ID)
				lost(errLostRun)
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (s *Syncer) extendLease(ctx context.Context, run Run) (bool, error) {
	var n int64
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_runs SET lease_until = ? WHERE account_id = ? AND id = ? AND status = 'running'`,
			store.Time(s.now().Add(s.lease())), run.AccountID, run.ID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n > 0, err
}
