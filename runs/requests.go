package runs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"bureau/apperr"
	"bureau/store"
)

// Request statuses.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
	StatusExpired  = "expired"
	StatusFailed   = "failed"
)

var statuses = map[string]bool{StatusPending: true, StatusApproved: true, StatusRejected: true, StatusExpired: true, StatusFailed: true}

// Request is a run request as the API shows it.
type Request struct {
	ID          string          `json:"id"`
	Process     Ref             `json:"process"`
	RequestedBy Person          `json:"requested_by"`
	Status      string          `json:"status"`
	Arguments   json.RawMessage `json:"arguments"`
	CreatedAt   time.Time       `json:"created_at"`
	ExpiresAt   time.Time       `json:"expires_at"`
	DecidedBy   *Person         `json:"decided_by"`
	DecidedAt   *time.Time      `json:"decided_at"`
	Reason      string          `json:"reason"`
	JobRef      string          `json:"job_ref"`
	// JobID is Bureau's id of the started job (for a link), once stored.
	JobID *string `json:"job_id"`
	Error string  `json:"error"`
}

const requestColumns = `r.id, p.id, p.name, u.id, u.name, u.email, r.status, r.arguments, r.created_at, r.expires_at,
	d.id, d.name, r.decided_at, r.reason, r.job_ref, j.id, r.error`

const requestFrom = ` FROM run_requests r
	JOIN processes p ON p.account_id = r.account_id AND p.id = r.process_id
	JOIN users u ON u.id = r.requested_by
	LEFT JOIN users d ON d.id = r.decided_by
	LEFT JOIN jobs j ON j.account_id = r.account_id AND j.ref = r.job_ref AND r.job_ref != ''`

func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var args, created, expires string
	var decidedID, decidedName, decidedAt, jobID sql.NullString
	err := row.Scan(&r.ID, &r.Process.ID, &r.Process.Name, &r.RequestedBy.ID, &r.RequestedBy.Name, &r.RequestedBy.Email,
		&r.Status, &args, &created, &expires, &decidedID, &decidedName, &decidedAt, &r.Reason, &r.JobRef, &jobID, &r.Error)
	if err != nil {
		return r, err
	}
	r.Arguments = json.RawMessage(args)
	r.CreatedAt, r.ExpiresAt = store.MustTime(created), store.MustTime(expires)
	if decidedID.Valid {
		r.DecidedBy = &Person{ID: decidedID.String, Name: decidedName.String}
	}
	r.DecidedAt = optTime(decidedAt)
	if jobID.Valid {
		r.JobID = &jobID.String
	}
	return r, nil
}

// getRequest reads one request of the account that the caller may see.
func getRequest(ctx context.Context, q store.Querier, c Caller, accountID, id string) (Request, error) {
	cond, args := visibility(c, accountID)
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+`
		WHERE r.account_id = ? AND r.id = ? AND `+cond, append([]any{accountID, id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.NotFound()
	}
	if err != nil {
		return r, fmt.Errorf("run request %s: %w", id, err)
	}
	return r, nil
}

// Filter selects and pages run requests.
type Filter struct {
	Status string
	Limit  int
	Cursor string
}

// List returns the account's run requests, newest first, that the caller
// may see (an Account User: those of their assigned processes). Overdue
// requests are marked expired first, so the list never shows a pending
// request that can no longer be approved.
func (s *Service) List(ctx context.Context, c Caller, tenantID, accountID string, f Filter) ([]Request, string, error) {
	if f.Status != "" && !statuses[f.Status] {
		return nil, "", apperr.New(apperr.KindBadRequest, "filter_invalid",
			"status must be one of pending, approved, rejected, expired, failed.")
	}
	afterCreated, afterID := "", ""
	if f.Cursor != "" {
		key, err := store.DecodeCursor(f.Cursor, 2)
		if err != nil {
			return nil, "", apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made; start from the first page.")
		}
		afterCreated, afterID = key[0], key[1]
	}
	if _, err := s.expireDue(ctx, accountID); err != nil {
		return nil, "", err
	}
	cond, vargs := visibility(c, accountID)
	args := append([]any{accountID, f.Status, f.Status, f.Cursor, afterCreated, afterID}, vargs...)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+requestColumns+requestFrom+`
		WHERE r.account_id = ? AND (? = '' OR r.status = ?) AND (? = '' OR (r.created_at, r.id) < (?, ?)) AND `+cond+`
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list run requests: %w", err)
	}
	out, next, err := store.ScanPage(rows, f.Limit, func(r *sql.Rows) (Request, error) { return scanRequest(r) },
		func(r Request) []string { return []string{store.Time(r.CreatedAt), r.ID} })
	if err != nil {
		return nil, "", fmt.Errorf("list run requests: %w", err)
	}
	return out, next, nil
}
