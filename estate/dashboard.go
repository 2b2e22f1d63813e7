package estate

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"bureau/store"
)

// Dashboard is an account's KPIs over the last Days days (today included,
// in UTC), counting jobs by their creation time.
type Dashboard struct {
	Days              int               `json:"days"`
	Totals            Totals            `json:"totals"`
	Daily             []DayCount        `json:"daily"`
	FailuresByProcess []ProcessFailures `json:"failures_by_process"`
	Robots            RobotCounts       `json:"robots"`
	LastSync          any               `json:"last_sync"` // filled by the caller: the syncer's latest run, or nil
	// Connected says whether the account has a connection, so an empty
	// dashboard can say what comes next (to people who may not read it).
	Connected bool      `json:"connected"`
	From      time.Time `json:"from"`
}

// Totals counts the window's runs by state. SuccessRate is successful over
// finished (successful, faulted, stopped) runs; nil when none finished.
type Totals struct {
	Runs        int      `json:"runs"`
	Successful  int      `json:"successful"`
	Faulted     int      `json:"faulted"`
	Stopped     int      `json:"stopped"`
	Running     int      `json:"running"`
	Pending     int      `json:"pending"`
	Suspended   int      `json:"suspended"`
	SuccessRate *float64 `json:"success_rate"`
}

// DayCount is one day of the trend; other is pending, running and suspended.
type DayCount struct {
	Date       string `json:"date"`
	Successful int    `json:"successful"`
	Faulted    int    `json:"faulted"`
	Stopped    int    `json:"stopped"`
	Other      int    `json:"other"`
}

// ProcessFailures is one of the processes that faulted most in the window.
type ProcessFailures struct {
	ProcessID string `json:"process_id"`
	Name      string `json:"name"`
	Failures  int    `json:"failures"`
	Runs      int    `json:"runs"`
}

// RobotCounts counts robots by status now.
type RobotCounts struct {
	Available int `json:"available"`
	Busy      int `json:"busy"`
	Offline   int `json:"offline"`
	Unknown   int `json:"unknown"`
}

// TopFailures is how many processes failures_by_process lists.
const TopFailures = 5

// GetDashboard computes the dashboard of the jobs and robots v may see
// (ISO-12: an Account User's figures count only their processes). days is 7
// or 30; anything else is a 400 filter_invalid. Its reads share one snapshot,
// so the totals, the series and the top failures always agree.
func GetDashboard(ctx context.Context, db *store.DB, tenantID, accountID string, v Viewer, days int, now time.Time) (Dashboard, error) {
	if days != 7 && days != 30 {
		return Dashboard{}, filterInvalid("days", "days must be 7 or 30.")
	}
	today := now.UTC().Truncate(day)
	from := today.Add(-time.Duration(days-1) * day)
	d := Dashboard{Days: days, From: from, Daily: make([]DayCount, days), FailuresByProcess: []ProcessFailures{}}
	tx, err := db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read only: nothing to keep
	if err := countDays(ctx, tx, tenantID, accountID, v, from, &d); err != nil {
		return Dashboard{}, err
	}
	if err := topFailures(ctx, tx, tenantID, accountID, v, from, &d); err != nil {
		return Dashboard{}, err
	}
	if err := countRobots(ctx, tx, tenantID, accountID, v, &d.Robots); err != nil {
		return Dashboard{}, err
	}
	if finished := d.Totals.Successful + d.Totals.Faulted + d.Totals.Stopped; finished > 0 {
		rate := float64(d.Totals.Successful) / float64(finished)
		d.Totals.SuccessRate = &rate
	}
	return d, nil
}

// farFuture closes the last day's range: a job the vendor dated after today
// (its clock ahead of ours) counts in today.
var farFuture = store.Time(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))

// dashboardStates are the normalised job states the dashboard counts.
var dashboardStates = []string{"successful", "faulted", "stopped", "running", "pending", "suspended"}

// countDays fills the daily series and the totals with one COUNT per state
// and day, each a range of the (account_id, state, created_at, …) index read
// from the index alone. A GROUP BY over the window would sort every job of
// it, and summing per-row state tests costs several times more than these
// plain counts (BenchmarkEstateReads).
func countDays(ctx context.Context, tx *sql.Tx, tenantID, accountID string, v Viewer, from time.Time, d *Dashboard) error {
	visible, vargs := VisibleProcessesSQL("j.process_id", accountID, v)
	stmt, err := tx.PrepareContext(ctx, `SELECT COUNT(*) FROM jobs j
		WHERE j.account_id = ? AND `+inTenant+` AND j.state = ? AND j.created_at >= ? AND j.created_at < ? AND `+visible)
	if err != nil {
		return fmt.Errorf("dashboard days: %w", err)
	}
	defer stmt.Close()
	for i := range d.Daily {
		start := from.Add(time.Duration(i) * day)
		end := store.Time(start.Add(day))
		if i == len(d.Daily)-1 {
			end = farFuture
		}
		dc := &d.Daily[i]
		dc.Date = start.Format(time.DateOnly)
		for _, state := range dashboardStates {
			var n int
			args := append([]any{accountID, accountID, tenantID, state, store.Time(start), end}, vargs...)
			if err := stmt.QueryRowContext(ctx, args...).Scan(&n); err != nil {
				return fmt.Errorf("dashboard days: %w", err)
			}
			d.Totals.add(state, n)
			switch state {
			case "successful":
				dc.Successful = n
			case "faulted":
				dc.Faulted = n
			case "stopped":
				dc.Stopped = n
			default:
				dc.Other += n
			}
		}
	}
	return nil
}

func (t *Totals) add(state string, n int) {
	t.Runs += n
	switch state {
	case "successful":
		t.Successful += n
	case "faulted":
		t.Faulted += n
	case "stopped":
		t.Stopped += n
	case "running":
		t.Running += n
	case "pending":
		t.Pending += n
	case "suspended":
		t.Suspended += n
	}
}

// topFailures lists the processes that faulted most (ties by name). Each
// process's failures are one range of the (account_id, process_id,
// created_at, id, state) index; runs are counted only for the five listed.
func topFailures(ctx context.Context, tx *sql.Tx, tenantID, accountID string, v Viewer, from time.Time, d *Dashboard) error {
	visible, vargs := VisibleProcessesSQL("p.id", accountID, v)
	since := store.Time(from)
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.name, t.failures,
			(SELECT COUNT(*) FROM jobs j WHERE j.account_id = ? AND j.process_id = t.id AND j.created_at >= ?)
		FROM (SELECT p.id, p.name, (SELECT COUNT(*) FROM jobs j WHERE j.account_id = p.account_id AND j.process_id = p.id
					AND j.created_at >= ? AND j.state = 'faulted') AS failures
				FROM processes p WHERE p.tenant_id = ? AND p.account_id = ? AND `+visible+`
				ORDER BY failures DESC, lower(p.name), p.id) t
		WHERE t.failures > 0 LIMIT ?`,
		append(append([]any{accountID, since, since, tenantID, accountID}, vargs...), TopFailures)...)
	if err != nil {
		return fmt.Errorf("dashboard failures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f ProcessFailures
		if err := rows.Scan(&f.ProcessID, &f.Name, &f.Failures, &f.Runs); err != nil {
			return fmt.Errorf("dashboard failures: %w", err)
		}
		d.FailuresByProcess = append(d.FailuresByProcess, f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboard failures: %w", err)
	}
	return nil
}

func countRobots(ctx context.Context, db store.Querier, tenantID, accountID string, v Viewer, rc *RobotCounts) error {
	visible, vargs := visibleRobotsSQL(accountID, v)
	rows, err := db.QueryContext(ctx, `SELECT r.status, COUNT(*) FROM robots r
		WHERE r.tenant_id = ? AND r.account_id = ? AND `+visible+` GROUP BY r.status`,
		append([]any{tenantID, accountID}, vargs...)...)
	if err != nil {
		return fmt.Errorf("dashboard robots: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return fmt.Errorf("dashboard robots: %w", err)
		}
		switch status {
		case "available":
			rc.Available = n
		case "busy":
			rc.Busy = n
		case "offline":
			rc.Offline = n
		default:
			rc.Unknown += n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboard robots: %w", err)
	}
	return nil
}

// ParseDays reads ?days= (default 7).
func ParseDays(raw string) (int, error) {
	switch raw {
	case "", "7":
		return 7, nil
	case "30":
		return 30, nil
	}
	return 0, filterInvalid("days", "days must be 7 or 30.")
}
