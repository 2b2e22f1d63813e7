package runs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/connection"
	"bureau/connector"
	"bureau/estate"
	"bureau/store"
)

// Job is a started job as the job lists show it.
type Job = estate.Job

const defaultStartTimeout = 60 * time.Second

// startJob asks the account's provider to start the process and stores the
// job it reports, with the run.start event. requestID links the job to the
// run request it fulfils ("" for a direct start). The vendor call happens
// outside any transaction: the single writer is never held over the network.
func (s *Service) startJob(ctx context.Context, actor audit.Actor, tenantID, accountID string, proc process, args map[string]any, requestID string) (Job, error) {
	p, _, err := s.Connections.Provider(ctx, tenantID, accountID)
	var reentry *connection.NeedsReentryError
	switch {
	case errors.As(err, &reentry):
		return Job{}, apperr.Conflict("secret_needs_reentry",
			"A secret of this account's connection cannot be read any more. Re-enter it on the connection page, then start the run again.")
	case err != nil:
		if _, typed := apperr.As(err); typed {
			return Job{}, err // connection_missing
		}
		var ce *connector.Error
		if errors.As(err, &ce) {
			return Job{}, vendorError(err)
		}
		return Job{}, err
	}
	timeout := s.StartTimeout
	if timeout == 0 {
		timeout = defaultStartTimeout
	}
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	j, err := p.StartRun(callCtx, proc.Ref, connector.RunInput{Arguments: args})
	cancel()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = connector.Errorf(connector.KindUnavailable, "start run", "The provider did not answer within %s.", timeout)
		}
		return Job{}, vendorError(err)
	}
	job, err := s.storeJob(ctx, actor, tenantID, accountID, proc, s.normalise(j, proc), requestID)
	if err == nil && !connector.State(job.State).Terminal() {
		s.watch(p, tenantID, accountID, proc, j.Ref)
	}
	return job, err
}

// normalise fills what a vendor may leave out of a just-started job, so it
// can be stored and listed.
func (s *Service) normalise(j connector.Job, proc process) connector.Job {
	j.ProcessRef, j.ProcessName = proc.Ref, proc.Name
	if j.CreatedAt.IsZero() {
		j.CreatedAt = s.Now()
	}
	if !j.State.Valid() {
		j.State = connector.StatePending
	}
	if j.Trigger == "" {
		j.Trigger = "manual"
	}
	return j
}

func (s *Service) storeJob(ctx context.Context, actor audit.Actor, tenantID, accountID string, proc process, j connector.Job, requestID string) (Job, error) {
	var out Job
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *sql.Tx) error {
		sc := estate.Scope{TenantID: tenantID, AccountID: accountID}
		if _, err := estate.UpsertJobs(ctx, tx, sc, []connector.Job{j}, estate.SourceRun, now); err != nil {
			return err
		}
		details := map[string]any{"process_id": proc.ID, "process": proc.Name, "job_ref": j.Ref}
		if requestID != "" {
			details["run_request_id"] = requestID
			if _, err := tx.ExecContext(ctx, `UPDATE run_requests SET job_ref = ? WHERE account_id = ? AND id = ?`,
				j.Ref, accountID, requestID); err != nil {
				return fmt.Errorf("link run request to job: %w", err)
			}
		}
		var err error
		if out, err = jobByRef(ctx, tx, accountID, j.Ref); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, accountID, "run.start", "job", out.ID, details, now))
	})
	return out, err
}

func jobByRef(ctx context.Context, q store.Querier, accountID, ref string) (Job, error) {
	return estate.JobByRef(ctx, q, accountID, ref)
}

func optTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := store.MustTime(s.String)
	return &t
}

// vendorError is a vendor's refusal as the API reports it: 502, the
// connector's kind as the code (auth_failed, vendor_unavailable, …) and
// the vendor's own words, already stripped of secrets by the connector.
func vendorError(err error) error {
	e := apperr.New(apperr.KindBadGateway, string(connector.KindOf(err)), vendorMessage(err))
	e.Err = err
	var ce *connector.Error
	if errors.As(err, &ce) {
		e.Extra = map[string]any{"vendor_status": ce.Status}
		if ce.Code != "" {
			e.Extra["vendor_code"] = ce.Code
		}
	}
	return e
}

func vendorMessage(err error) string {
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Message != "" {
		msg := ce.Message
		if ce.Code != "" && !strings.Contains(msg, ce.Code) {
			msg += " (" + ce.Code + ")"
		}
		return msg
	}
	return "The provider could not be reached: " + err.Error()
}
