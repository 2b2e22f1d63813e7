package syncer

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

// Run is one sync run's record (SYNC-09).
type Run struct {
	ID          string
	TenantID    string
	AccountID   string
	Trigger     string
	Status      string
	StartedAt   time.Time
	EndedAt     *time.Time
	LeaseUntil  time.Time
	Attempts    int
	Counts      Counts
	Changed     int
	Error       string
	ErrorCode   string
	RequestedBy string
}

// Counts are the records a sync read from the provider, per entity.
type Counts struct {
	Processes int `json:"processes"`
	Jobs      int `json:"jobs"`
	Robots    int `json:"robots"`
	Schedules int `json:"schedules"`
}

// MarshalJSON renders the API's shape (API.md, GET …/sync-runs): error and
// error_code are null when the run did not fail.
func (r Run) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID        string     `json:"id"`
		Trigger   string     `json:"trigger"`
		Status    string     `json:"status"`
		StartedAt time.Time  `json:"started_at"`
		EndedAt   *time.Time `json:"ended_at"`
		Attempts  int        `json:"attempts"`
		Counts    Counts     `json:"counts"`
		Changed   int        `json:"changed"`
		Error     *string    `json:"error"`
		ErrorCode *string    `json:"error_code"`
	}{r.ID, r.Trigger, r.Status, r.StartedAt, r.EndedAt, r.Attempts, r.Counts, r.Changed, nullable(r.Error), nullable(r.ErrorCode)})
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

const runColumns = `id, tenant_id, account_id, trigger, status, started_at, ended_at, lease_until, attempts,
	processes, jobs, robots, schedules, changed, error, error_code, COALESCE(requested_by, '')`

func scanRun(row interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var started, lease string
	var ended sql.NullString
	err := row.Scan(&r.ID, &r.TenantID, &r.AccountID, &r.Trigger, &r.Status, &started, &ended, &lease, &r.Attempts,
		&r.Counts.Processes, &r.Counts.Jobs, &r.Counts.Robots, &r.Counts.Schedules, &r.Changed, &r.Error, &r.ErrorCode, &r.RequestedBy)
	if err != nil {
		return r, err
	}
	r.StartedAt, r.LeaseUntil = store.MustTime(started), store.MustTime(lease)
	if ended.Valid {
		t := store.MustTime(ended.String)
		r.EndedAt = &t
	}
	return r, nil
}

// Get reads one run of the account; apperr.NotFound otherwise.
func Get(ctx context.Context, q store.Querier, accountID, runID string) (Run, error) {
	r, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM sync_runs WHERE account_id = ? AND id = ?`, accountID, runID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.NotFound()
	}
	if err != nil {
		return r, fmt.Errorf("sync run: %w", err)
	}
	return r, nil
}

// Latest is the account's newest run that is not a skipped overlap, or nil
// when it never synced (the dashboard's and overview's last sync).
func Latest(ctx context.Context, q store.Querier, accountID string) (*Run, error) {
	r, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM sync_runs
		WHERE account_id = ? AND status != 'skipped_overlap' ORDER BY started_at DESC, id DESC LIMIT 1`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("last sync run: %w", err)
	}
	return &r, nil
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Cursor string
}

// List pages through the account's runs, newest first.
func List(ctx context.Context, q store.Querier, accountID string, page Page) ([]Run, string, error) {
	if page.Limit <= 0 {
		page.Limit = 50
	}
	afterStarted, afterID := "", ""
	if page.Cursor != "" {
		key, err := store.DecodeCursor(page.Cursor, 2)
		if err != nil {
			return nil, "", apperr.New(apperr.KindBadRequest, "cursor_invalid", "The cursor is not one this server made.")
		}
		afterStarted, afterID = key[0], key[1]
	}
	rows, err := q.QueryContext(ctx, `SELECT `+runColumns+` FROM sync_runs
		WHERE account_id = ? AND (? = '' OR started_at < ? OR (started_at = ? AND id < ?))
		ORDER BY started_at DESC, id DESC LIMIT ?`,
		accountID, page.Cursor, afterStarted, afterStarted, afterID, page.Limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list sync runs: %w", err)
	}
	out, next, err := store.ScanPage(rows, page.Limit, func(r *sql.Rows) (Run, error) { return scanRun(r) },
		func(r Run) []string { return []string{store.Time(r.StartedAt), r.ID} })
	if err != nil {
		return nil, "", fmt.Errorf("list sync runs: %w", err)
	}
	return out, next, nil
}
