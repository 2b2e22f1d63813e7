// Package runs starts processes on an account's RPA tool from Bureau (SPEC
// §4 "Manual run"). When the account requires approval, a caller who may
// not approve runs (a Client) leaves a run request instead; a staff member
// or Account Admin approves it within the account's approval timeout, or it
// expires. Every started job is stored at once (source "run"), so it shows
// in the job lists before the next sync.
package runs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connection"
	"bureau/store"
)

// Service starts runs and keeps run requests.
type Service struct {
	DB          *store.DB
	Connections *connection.Service
	Now         func() time.Time
	// StartTimeout bounds one vendor call to start a job (default 60 s).
	StartTimeout time.Duration
	// Watcher, when set, follows each started job until it ends.
	Watcher *Watcher
}

// Caller is who asks, as far as runs care.
type Caller struct {
	UserID string
	// Restricted callers (Account Users) see only the processes assigned
	// to them, directly or through a group (ISO-12).
	Restricted bool
	// CanApprove callers (staff, Account Admins) start runs directly even
	// when the account requires approval.
	CanApprove bool
}

// Outcome is what Start did: started a job, or left a request for approval.
type Outcome struct {
	Job     *Job
	Request *Request
}

// Ref names a related object.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Person names a user.
type Person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// maxArguments bounds the stored JSON of a run's arguments.
const maxArguments = 64 << 10

// Start runs the process now, or, when the account requires approval and
// the caller may not approve, records a pending run request.
func (s *Service) Start(ctx context.Context, actor audit.Actor, caller Caller, tenantID, accountID, processID string, args map[string]any) (Outcome, error) {
	acc, err := s.accountSettings(ctx, s.DB.R, tenantID, accountID)
	if err != nil {
		return Outcome{}, err
	}
	if err := acc.active(); err != nil {
		return Outcome{}, err
	}
	proc, err := visibleProcess(ctx, s.DB.R, caller, accountID, processID)
	if err != nil {
		return Outcome{}, err
	}
	argsJSON, err := encodeArguments(args)
	if err != nil {
		return Outcome{}, err
	}
	if acc.requireApproval && !caller.CanApprove {
		req, err := s.request(ctx, actor, caller, tenantID, accountID, proc, argsJSON, acc.timeout)
		return Outcome{Request: &req}, err
	}
	job, err := s.startJob(ctx, actor, tenantID, accountID, proc, args, "")
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{Job: &job}, nil
}

// request records a pending run request that expires after the account's
// approval timeout.
func (s *Service) request(ctx context.Context, actor audit.Actor, caller Caller, tenantID, accountID string, proc process,
	argsJSON string, timeout time.Duration) (Request, error) {
	now := s.Now()
	id := store.NewID()
	expires := now.Add(timeout)
	var out Request
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_requests (id, tenant_id, account_id, process_id, requested_by, arguments,
				status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
			id, tenantID, accountID, proc.ID, caller.UserID, argsJSON, store.Time(now), store.Time(expires)); err != nil {
			return fmt.Errorf("create run request: %w", err)
		}
		if err := audit.Append(ctx, tx, actor.Event(tenantID, accountID, "run.request", "run_request", id,
			map[string]any{"process_id": proc.ID, "process": proc.Name, "expires_at": store.Time(expires)}, now)); err != nil {
			return err
		}
		var err error
		out, err = getRequest(ctx, tx, Caller{}, accountID, id)
		return err
	})
	return out, err
}

// accountState is what runs need of the account.
type accountState struct {
	status          string
	requireApproval bool
	timeout         time.Duration
}

func (a accountState) active() error {
	if a.status != "active" {
		return apperr.Conflict("account_deactivated", "This client account is deactivated. Reactivate it before starting runs.")
	}
	return nil
}

func (s *Service) accountSettings(ctx context.Context, q store.Querier, tenantID, accountID string) (accountState, error) {
	var a accountState
	var seconds int
	err := q.QueryRowContext(ctx, `SELECT status, require_run_approval, approval_timeout_seconds FROM accounts
		WHERE tenant_id = ? AND id = ?`, tenantID, accountID).Scan(&a.status, &a.requireApproval, &seconds)
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.NotFound()
	}
	if err != nil {
		return a, fmt.Errorf("account settings: %w", err)
	}
	a.timeout = time.Duration(seconds) * time.Second
	return a, nil
}

// encodeArguments checks and serialises a run's arguments: a JSON object
// of bounded size whose keys are named.
func encodeArguments(args map[string]any) (string, error) {
	if args == nil {
		return "{}", nil
	}
	var f apperr.Fields
	for k := range args {
		if k == "" {
			f.Add("arguments", "arguments_invalid", "Every argument needs a name.")
			return "", f.Err()
		}
	}
	raw, err := json.Marshal(args)
	if err != nil {
		f.Add("arguments", "arguments_invalid", "The arguments cannot be encoded as JSON.")
		return "", f.Err()
	}
	if len(raw) > maxArguments {
		f.Add("arguments", "arguments_too_large", "The arguments may take at most 64 KiB of JSON.")
		return "", f.Err()
	}
	return string(raw), nil
}
