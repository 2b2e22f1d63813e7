package runs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

func errDecided() error {
	return apperr.Conflict("run_request_decided", "This run request has already been decided.")
}

func errExpired() error {
	return apperr.Gone("run_request_expired", "This run request expired before it was approved. Ask for the run again.")
}

// errOverdue tells a decision's transaction that the request was just
// marked expired: the transaction commits, the caller answers 410.
var errOverdue = errors.New("run request overdue")

// maxReason bounds a rejection's reason.
const maxReason = 1000

// pendingRequest is a request being decided.
type pendingRequest struct {
	id        string
	proc      process
	arguments string
	requester string
}

// open loads the request for a decision: it must exist (for the caller),
// be pending and not be past its expiry on the service clock. An overdue
// request is marked expired in tx and errOverdue returned.
func (s *Service) open(ctx context.Context, tx *sql.Tx, c Caller, tenantID, accountID, id string) (pendingRequest, error) {
	cond, vargs := visibility(c, accountID)
	var r pendingRequest
	var status, expires string
	err := tx.QueryRowContext(ctx, `SELECT r.id, p.id, p.ref, p.name, r.arguments, r.requested_by, r.status, r.expires_at
		FROM run_requests r JOIN processes p ON p.account_id = r.account_id AND p.id = r.process_id
		WHERE r.account_id = ? AND r.id = ? AND `+cond, append([]any{accountID, id}, vargs...)...).Scan(
		&r.id, &r.proc.ID, &r.proc.Ref, &r.proc.Name, &r.arguments, &r.requester, &status, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.NotFound()
	}
	if err != nil {
		return r, fmt.Errorf("run request %s: %w", id, err)
	}
	if status != StatusPending {
		return r, errDecided()
	}
	if s.Now().After(store.MustTime(expires)) {
		if err := markExpired(ctx, tx, tenantID, accountID, r.id, r.proc.ID, expires, s.Now()); err != nil {
			return r, err
		}
		return r, errOverdue
	}
	return r, nil
}

// decide runs fn on the pending request inside one write; an overdue
// request commits as expired and answers 410.
func (s *Service) decide(ctx context.Context, c Caller, tenantID, accountID, id string, fn func(tx *sql.Tx, r pendingRequest) error) error {
	overdue := false
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		r, err := s.open(ctx, tx, c, tenantID, accountID, id)
		if errors.Is(err, errOverdue) {
			overdue = true
			return nil
		}
		if err != nil {
			return err
		}
		return fn(tx, r)
	})
	if err == nil && overdue {
		return errExpired()
	}
	return err
}

// Approve approves a pending request and starts its job. The request is
// claimed (approved, with who and when) before the vendor is called, so a
// second approver gets 409 rather than a second job; a vendor refusal then
// marks it failed with the vendor's words and answers 502.
func (s *Service) Approve(ctx context.Context, actor audit.Actor, c Caller, tenantID, accountID, id string) (Request, Job, error) {
	acc, err := s.accountSettings(ctx, s.DB.R, tenantID, accountID)
	if err != nil {
		return Request{}, Job{}, err
	}
	if err := acc.active(); err != nil {
		return Request{}, Job{}, err
	}
	var claimed pendingRequest
	err = s.decide(ctx, c, tenantID, accountID, id, func(tx *sql.Tx, r pendingRequest) error {
		claimed = r
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE run_requests SET status = 'approved', decided_by = ?, decided_at = ?
			WHERE account_id = ? AND id = ? AND status = 'pending'`, c.UserID, store.Time(now), accountID, r.id); err != nil {
			return fmt.Errorf("approve run request: %w", err)
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, accountID, "run.approve", "run_request", r.id,
			map[string]any{"process_id": r.proc.ID, "process": r.proc.Name, "requested_by": r.requester}, now))
	})
	if err != nil {
		return Request{}, Job{}, err
	}
	var args map[string]any
	if err := json.Unmarshal([]byte(claimed.arguments), &args); err != nil {
		args = nil // stored by us as an object; an unreadable one runs without arguments
	}
	job, err := s.startJob(ctx, actor, tenantID, accountID, claimed.proc, args, claimed.id)
	if err != nil {
		if ferr := s.fail(ctx, actor, tenantID, accountID, claimed, err); ferr != nil {
			return Request{}, Job{}, errors.Join(err, ferr)
		}
		return Request{}, Job{}, err
	}
	req, err := getRequest(ctx, s.DB.R, Caller{}, accountID, claimed.id)
	return req, job, err
}

// fail records why an approved request's job could not be started.
func (s *Service) fail(ctx context.Context, actor audit.Actor, tenantID, accountID string, r pendingRequest, cause error) error {
	msg := "The run could not be started."
	code := "internal"
	if e, ok := apperr.As(cause); ok {
		msg, code = e.Message, e.Code
	}
	now := s.Now()
	return s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE run_requests SET status = 'failed', error = ? WHERE account_id = ? AND id = ?`,
			msg, accountID, r.id); err != nil {
			return fmt.Errorf("mark run request failed: %w", err)
		}
		ev := actor.Event(tenantID, accountID, "run.fail", "run_request", r.id,
			map[string]any{"process_id": r.proc.ID, "code": code, "error": msg}, now)
		ev.Outcome = "failure"
		return audit.Append(ctx, tx, ev)
	})
}

// Reject turns a pending request down, with an optional reason.
func (s *Service) Reject(ctx context.Context, actor audit.Actor, c Caller, tenantID, accountID, id, reason string) (Request, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxReason {
		var f apperr.Fields
		f.Add("reason", "reason_too_long", fmt.Sprintf("The reason may be at most %d characters.", maxReason))
		return Request{}, f.Err()
	}
	var out Request
	err := s.decide(ctx, c, tenantID, accountID, id, func(tx *sql.Tx, r pendingRequest) error {
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE run_requests SET status = 'rejected', decided_by = ?, decided_at = ?, reason = ?
			WHERE account_id = ? AND id = ? AND status = 'pending'`, c.UserID, store.Time(now), reason, accountID, r.id); err != nil {
			return fmt.Errorf("reject run request: %w", err)
		}
		if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "run.reject", "run_request", r.id,
			map[string]any{"process_id": r.proc.ID, "process": r.proc.Name, "reason": reason}, now)); err != nil {
			return err
		}
		var err error
		out, err = getRequest(ctx, tx, Caller{}, accountID, r.id)
		return err
	})
	return out, err
}

// ExpireDue marks every overdue pending request of every account expired,
// each with its run.expire event; the background sweep calls it.
func (s *Service) ExpireDue(ctx context.Context) (int, error) { return s.expireDue(ctx, "") }

// expireDue marks overdue requests expired: of one account, or of all when
// accountID is "", in batches of expireBatch.
func (s *Service) expireDue(ctx context.Context, accountID string) (int, error) {
	total := 0
	for {
		n, err := s.expireBatch(ctx, accountID)
		total += n
		if err != nil || n < expireBatch {
			return total, err
		}
	}
}

const expireBatch = 1000

// ExpireEvery runs ExpireDue every interval until ctx ends.
func (s *Service) ExpireEvery(ctx context.Context, every time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.ExpireDue(ctx); err != nil && ctx.Err() == nil && logf != nil {
				logf("expire run requests", "err", err.Error())
			}
		}
	}
}

type overdue struct{ id, tenant, account, process, expires string }

// expireBatch expires up to expireBatch overdue requests. A cheap read
// first keeps lists from taking the writer when nothing is due.
func (s *Service) expireBatch(ctx context.Context, accountID string) (int, error) {
	now := store.Time(s.Now())
	const due = `SELECT id, tenant_id, account_id, process_id, expires_at FROM run_requests
		WHERE status = 'pending' AND expires_at < ? AND (? = '' OR account_id = ?) LIMIT ?`
	if list, err := overdueRows(ctx, s.DB.R, due, now, accountID); err != nil || len(list) == 0 {
		return 0, err
	}
	n := 0
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		list, err := overdueRows(ctx, tx, due, now, accountID)
		if err != nil {
			return err
		}
		for _, o := range list {
			if err := markExpired(ctx, tx, o.tenant, o.account, o.id, o.process, o.expires, s.Now()); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

func overdueRows(ctx context.Context, q store.Querier, query, now, accountID string) ([]overdue, error) {
	rows, err := q.QueryContext(ctx, query, now, accountID, accountID, expireBatch)
	if err != nil {
		return nil, fmt.Errorf("overdue run requests: %w", err)
	}
	defer rows.Close()
	var out []overdue
	for rows.Next() {
		var o overdue
		if err := rows.Scan(&o.id, &o.tenant, &o.account, &o.process, &o.expires); err != nil {
			return nil, fmt.Errorf("overdue run requests: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// markExpired expires one request as of its expiry time, by the system.
func markExpired(ctx context.Context, tx *sql.Tx, tenantID, accountID, id, processID, expires string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE run_requests SET status = 'expired', decided_at = ?
		WHERE account_id = ? AND id = ? AND status = 'pending'`, expires, accountID, id); err != nil {
		return fmt.Errorf("expire run request: %w", err)
	}
	system := audit.Actor{Kind: audit.ActorSystem}
	return audit.Append(ctx, tx, system.Event(tenantID, accountID, "run.expire", "run_request", id,
		map[string]any{"process_id": processID, "expired_at": expires}, now))
}
