package estate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"bureau/store"
)

// Robot is one robot as the API lists it.
type Robot struct {
	ID         string     `json:"id"`
	Ref        string     `json:"ref"`
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	RawStatus  string     `json:"raw_status"`
	Machine    string     `json:"machine"`
	LastSeenAt *time.Time `json:"last_seen_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// visibleRobotsSQL is the condition on robots r that v may see. Robots are
// not assigned; a restricted viewer (ISO-12) sees the robots that ran a job
// of one of their processes, which those jobs show anyway, and no others.
func visibleRobotsSQL(accountID string, v Viewer) (string, []any) {
	if v.AllProcesses {
		return "1 = 1", nil
	}
	visible, vargs := VisibleProcessesSQL("j.process_id", accountID, v)
	return `r.ref IN (SELECT j.robot_ref FROM jobs j WHERE j.account_id = ? AND ` + visible + `)`,
		append([]any{accountID}, vargs...)
}

// ListRobots returns the account's robots that v may see, by name, a page
// at a time.
func ListRobots(ctx context.Context, db *store.DB, tenantID, accountID string, v Viewer, page Page) ([]Robot, string, error) {
	key, err := page.cursorKey(2)
	if err != nil {
		return nil, "", err
	}
	visible, vargs := visibleRobotsSQL(accountID, v)
	where := "r.tenant_id = ? AND r.account_id = ? AND " + visible
	args := append([]any{tenantID, accountID}, vargs...)
	if key != nil {
		where += " AND (lower(r.name), r.id) > (?, ?)"
		args = append(args, key[0], key[1])
	}
	limit := page.limit()
	rows, err := db.R.QueryContext(ctx, `SELECT r.id, r.ref, r.name, r.status, r.raw_status, r.machine, r.last_seen_at, r.updated_at
		FROM robots r WHERE `+where+` ORDER BY lower(r.name), r.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list robots: %w", err)
	}
	out, next, err := store.ScanPage(rows, limit, scanRobot, func(r Robot) []string { return []string{strings.ToLower(r.Name), r.ID} })
	if err != nil {
		return nil, "", fmt.Errorf("list robots: %w", err)
	}
	return out, next, nil
}

func scanRobot(rows *sql.Rows) (Robot, error) {
	var r Robot
	var seen sql.NullString
	var updated string
	if err := rows.Scan(&r.ID, &r.Ref, &r.Name, &r.Status, &r.RawStatus, &r.Machine, &seen, &updated); err != nil {
		return r, err
	}
	r.LastSeenAt, r.UpdatedAt = timeOf(seen), store.MustTime(updated)
	return r, nil
}
