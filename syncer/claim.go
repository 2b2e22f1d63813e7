package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// claimReq is who wants to sync which account.
type claimReq struct {
	tenantID, accountID, trigger string
	actor                        *audit.Actor
}

// errOverlap says the account already has a live running row.
var errOverlap = errors.New("a sync of this account is running")

// errSyncRunning is the API's answer to an overlapping trigger.
func errSyncRunning() error {
	return apperr.Conflict("sync_running", "A sync of this account is already running; its record appears in the sync history when it ends.")
}

func validTrigger(t string) bool {
	return t == TriggerCron || t == TriggerManual || t == TriggerSetup
}

// claim makes the account this process's to sync: the in-process lock
// first (cheap, and it keeps this process from taking over its own live
// run), then the running row, whose partial unique index is the guard that
// holds across processes and replicas (SYNC-01).
func (s *Syncer) claim(ctx context.Context, req claimReq) (Run, error) {
	if !validTrigger(req.trigger) {
		return Run{}, fmt.Errorf("sync trigger %q is not one of cron, manual, setup", req.trigger)
	}
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return Run{}, apperr.Conflict("shutting_down", "Bureau is shutting down; try the sync again in a moment.")
	}
	if _, busy := s.active[req.accountID]; busy {
		s.mu.Unlock()
		return s.overlap(ctx, req)
	}
	if s.active == nil {
		s.active = map[string]*activeRun{}
	}
	a := &activeRun{}
	a.ctx, a.cancel = context.WithCancelCause(context.Background())
	s.active[req.accountID] = a
	s.wg.Add(1)
	s.mu.Unlock()

	run, err := s.insertRunning(ctx, req)
	if err != nil {
		s.release(req.accountID)
		if errors.Is(err, errOverlap) {
			return s.overlap(ctx, req)
		}
		return run, err
	}
	return run, nil
}

// release gives the account back once its run is recorded.
func (s *Syncer) release(accountID string) {
	s.mu.Lock()
	if a, ok := s.active[accountID]; ok {
		a.cancel(nil)
		delete(s.active, accountID)
	}
	s.mu.Unlock()
	s.wg.Done()
}

func (s *Syncer) activeOf(accountID string) *activeRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active[accountID]
}

// insertRunning checks the account may sync and inserts its running row,
// taking over a running row whose lease has passed (its process died).
func (s *Syncer) insertRunning(ctx context.Context, req claimReq) (Run, error) {
	now := s.now()
	run := Run{ID: store.NewID(), TenantID: req.tenantID, AccountID: req.accountID, Trigger: req.trigger,
		Status: StatusRunning, StartedAt: now, LeaseUntil: now.Add(s.lease()), Attempts: 1}
	if req.actor != nil {
		run.RequestedBy = req.actor.ID
	}
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if err := checkAccount(ctx, tx, req.tenantID, req.accountID); err != nil {
			return err
		}
		if err := s.takeOverExpired(ctx, tx, req); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_runs (id, tenant_id, account_id, trigger, status, started_at, lease_until, attempts, requested_by)
			VALUES (?, ?, ?, ?, 'running', ?, ?, 1, NULLIF(?, ''))`,
			run.ID, run.TenantID, run.AccountID, run.Trigger, store.Time(run.StartedAt), store.Time(run.LeaseUntil), run.RequestedBy)
		if store.IsUnique(err) {
			return errOverlap
		}
		if err != nil {
			return fmt.Errorf("claim sync: %w", err)
		}
		if req.trigger != TriggerManual {
			return nil // the cron fires every few minutes: its record is the sync_runs row
		}
		actor := audit.Actor{Kind: audit.ActorSystem}
		if req.actor != nil {
			actor = *req.actor
		}
		return audit.Append(ctx, tx, actor.Event(req.tenantID, req.accountID, "sync.run", "sync_run", run.ID,
			map[string]any{"trigger": req.trigger}, now))
	})
	return run, err
}

// checkAccount refuses a deactivated account (SYNC-08) and one without a
// connection.
func checkAccount(ctx context.Context, tx *sql.Tx, tenantID, accountID string) error {
	var status string
	var connected int
	err := tx.QueryRowContext(ctx, `SELECT a.status, EXISTS (SELECT 1 FROM connections c WHERE c.tenant_id = a.tenant_id AND c.account_id = a.id)
		FROM accounts a WHERE a.tenant_id = ? AND a.id = ?`, tenantID, accountID).Scan(&status, &connected)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return apperr.NotFound()
	case err != nil:
		return fmt.Errorf("sync account: %w", err)
	case status != "active":
		return apperr.Conflict("account_deactivated", "This account is deactivated; reactivate it to sync again.")
	case connected == 0:
		return apperr.Conflict("connection_missing", "This account has no RPA connection yet; set one up first.")
	}
	return nil
}

// takeOverExpired ends a running row whose lease has passed as
// interrupted, so a dead process never blocks the account for good
// (SYNC-07); a live one is an overlap.
func (s *Syncer) takeOverExpired(ctx context.Context, tx *sql.Tx, req claimReq) error {
	var id, lease string
	err := tx.QueryRowContext(ctx, `SELECT id, lease_until FROM sync_runs WHERE account_id = ? AND status = 'running'`,
		req.accountID).Scan(&id, &lease)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("running sync: %w", err)
	}
	now := s.now()
	if store.MustTime(lease).After(now) {
		return errOverlap
	}
	_, err = tx.ExecContext(ctx, `UPDATE sync_runs SET status = 'interrupted', ended_at = ?, error = ?, error_code = 'interrupted'
		WHERE account_id = ? AND id = ? AND status = 'running'`, store.Time(now), msgInterrupted, req.accountID, id)
	if err != nil {
		return fmt.Errorf("take over sync: %w", err)
	}
	s.log().Warn("sync lease expired; taking over", "account_id", req.accountID, "run_id", id)
	return nil
}

const msgInterrupted = "The sync stopped before it finished: Bureau was restarted or the server running it stopped answering."

// overlap answers a trigger that met a running sync. A cron trigger leaves
// a skipped_overlap row, so the history shows the tick was not lost.
func (s *Syncer) overlap(ctx context.Context, req claimReq) (Run, error) {
	if req.trigger != TriggerCron {
		return Run{}, errSyncRunning()
	}
	now := s.now()
	run := Run{ID: store.NewID(), TenantID: req.tenantID, AccountID: req.accountID, Trigger: req.trigger,
		Status: StatusSkipped, StartedAt: now, EndedAt: &now, LeaseUntil: now, Attempts: 0}
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_runs (id, tenant_id, account_id, trigger, status, started_at, ended_at, lease_until, attempts)
			VALUES (?, ?, ?, ?, 'skipped_overlap', ?, ?, ?, 0)`,
			run.ID, run.TenantID, run.AccountID, run.Trigger, store.Time(now), store.Time(now), store.Time(now))
		return err
	})
	if err != nil {
		return run, fmt.Errorf("record skipped sync: %w", err)
	}
	return run, errSyncRunning()
}

// MarkInterrupted ends every run left running by a process that died
// (SYNC-07). Call it at startup, before the scheduler fires, on a single
// node; with several replicas the lease does this job.
func (s *Syncer) MarkInterrupted(ctx context.Context) (int, error) {
	var n int64
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_runs SET status = 'interrupted', ended_at = ?, error = ?, error_code = 'interrupted'
			WHERE status = 'running'`, store.Time(s.now()), msgInterrupted)
		if err != nil {
			return fmt.Errorf("mark interrupted syncs: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}
