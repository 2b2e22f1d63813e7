package estate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"bureau/store"
)

// Schedule is one vendor schedule as the API lists it. ProcessID is the
// process its process_ref names, when Bureau knows that process.
type Schedule struct {
	ID          string     `json:"id"`
	Ref         string     `json:"ref"`
	Name        string     `json:"name"`
	ProcessRef  string     `json:"process_ref"`
	ProcessName string     `json:"process_name"`
	ProcessID   *string    `json:"process_id"`
	Enabled     bool       `json:"enabled"`
	Cron        string     `json:"cron"`
	Summary     string     `json:"summary"`
	Timezone    string     `json:"timezone"`
	NextRunAt   *time.Time `json:"next_run_at"`
}

// ListSchedules returns the account's schedules v may see, by name, a page
// at a time. A restricted viewer (ISO-12) sees only schedules of their
// processes; a schedule whose process is unknown belongs to no one's
// assignment and is shown only to those who see everything.
func ListSchedules(ctx context.Context, db *store.DB, tenantID, accountID string, v Viewer, page Page) ([]Schedule, string, error) {
	key, err := page.cursorKey(2)
	if err != nil {
		return nil, "", err
	}
	visible, vargs := "1 = 1", []any(nil)
	if !v.AllProcesses {
		visible, vargs = VisibleProcessesSQL("p.id", accountID, v)
		visible = "p.id IS NOT NULL AND " + visible
	}
	where := "s.tenant_id = ? AND s.account_id = ? AND " + visible
	args := append([]any{tenantID, accountID}, vargs...)
	if key != nil {
		where += " AND (lower(s.name), s.id) > (?, ?)"
		args = append(args, key[0], key[1])
	}
	limit := page.limit()
	rows, err := db.R.QueryContext(ctx, `SELECT s.id, s.ref, s.name, s.process_ref, COALESCE(NULLIF(s.process_name, ''), p.name, ''),
			p.id, s.enabled, s.cron, s.summary, s.timezone, s.next_run_at
		FROM schedules s
		LEFT JOIN processes p ON p.account_id = s.account_id AND p.ref = s.process_ref AND s.process_ref != ''
		WHERE `+where+` ORDER BY lower(s.name), s.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list schedules: %w", err)
	}
	out, next, err := store.ScanPage(rows, limit, scanSchedule, func(s Schedule) []string { return []string{strings.ToLower(s.Name), s.ID} })
	if err != nil {
		return nil, "", fmt.Errorf("list schedules: %w", err)
	}
	return out, next, nil
}

func scanSchedule(rows *sql.Rows) (Schedule, error) {
	var s Schedule
	var pid, next sql.NullString
	if err := rows.Scan(&s.ID, &s.Ref, &s.Name, &s.ProcessRef, &s.ProcessName, &pid, &s.Enabled, &s.Cron, &s.Summary,
		&s.Timezone, &next); err != nil {
		return s, err
	}
	if pid.Valid {
		s.ProcessID = &pid.String
	}
	s.NextRunAt = timeOf(next)
	return s, nil
}
