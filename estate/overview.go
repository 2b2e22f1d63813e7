package estate

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"bureau/store"
)

// Health thresholds of the staff overview. An account is
//
//	unknown   deactivated, or nothing to judge yet: never synced, no runs in
//	          7 days and no robots;
//	critical  its latest sync failed, timed out or was interrupted; or its
//	          7-day success rate is below CriticalRate; or every robot is
//	          offline (a count of failures alone is not critical: ten
//	          failures mean little in a thousand runs — the rate judges);
//	warning   its success rate is below WarningRate; or a run faulted in 24 h;
//	          or a robot is offline; or it has a connection whose last
//	          successful sync is older than StaleSync (or that never synced);
//	ok        otherwise.
const (
	CriticalRate = 0.80
	WarningRate  = 0.95
	StaleSync    = time.Hour
)

// Health levels, worst first.
const (
	HealthCritical = "critical"
	HealthWarning  = "warning"
	HealthUnknown  = "unknown"
	HealthOK       = "ok"
)

var healthRank = map[string]int{HealthCritical: 0, HealthWarning: 1, HealthUnknown: 2, HealthOK: 3}

// OverviewRow is one account on the staff overview.
type OverviewRow struct {
	Account       OverviewAccount `json:"account"`
	Provider      *string         `json:"provider"`
	LastSync      *LastSync       `json:"last_sync"`
	Failures24h   int             `json:"failures_24h"`
	SuccessRate7d *float64        `json:"success_rate_7d"`
	Runs7d        int             `json:"runs_7d"`
	RobotsOffline int             `json:"robots_offline"`
	Robots        int             `json:"robots"`
	Health        string          `json:"health"`
	Reasons       []string        `json:"health_reasons"` // why, in words, worst first

	successful, finished int        // runs in 7 days: the rate's parts
	lastOK               *time.Time // the latest successful sync's end
}

// OverviewAccount names the account of a row.
type OverviewAccount struct {
	ID     string `json:"id"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// LastSync is the account's latest sync run (skipped overlaps aside).
type LastSync struct {
	Status  string     `json:"status"`
	EndedAt *time.Time `json:"ended_at"`
	Error   string     `json:"error"`
}

// OverviewSorts are the orders the overview offers; "health" is the default.
var OverviewSorts = []string{"health", "name", "failures", "success_rate", "last_sync"}

// Overview returns every account of the tenant with its health, sorted by
// sort ("" = health, worst first). Staff only: it is not per-account data.
func Overview(ctx context.Context, db *store.DB, tenantID string, now time.Time, sort string) ([]OverviewRow, error) {
	if sort == "" {
		sort = "health"
	}
	if !slices.Contains(OverviewSorts, sort) {
		return nil, filterInvalid("sort", "sort must be one of "+strings.Join(OverviewSorts, ", ")+".")
	}
	rows, err := overviewRows(ctx, db, tenantID, now)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].judge(now)
	}
	slices.SortStableFunc(rows, overviewOrder(sort))
	return rows, nil
}

// overviewRows reads each account's figures with correlated subqueries that
// each read one range of an (account_id, created_at, …) index.
func overviewRows(ctx context.Context, db *store.DB, tenantID string, now time.Time) ([]OverviewRow, error) {
	day1, week := store.Time(now.Add(-day)), store.Time(now.Add(-7*day))
	rs, err := db.R.QueryContext(ctx, `SELECT a.id, a.slug, a.name, a.status, c.provider,
			sr.status, sr.ended_at, sr.error,
			(SELECT MAX(ended_at) FROM sync_runs WHERE account_id = a.id AND status = 'succeeded'),
			(SELECT COUNT(*) FROM jobs j WHERE j.account_id = a.id AND j.created_at >= ? AND j.state = 'faulted'),
			(SELECT COUNT(*) FROM jobs j WHERE j.account_id = a.id AND j.created_at >= ?),
			(SELECT COUNT(*) FROM jobs j WHERE j.account_id = a.id AND j.created_at >= ? AND j.state = 'successful'),
			(SELECT COUNT(*) FROM jobs j WHERE j.account_id = a.id AND j.created_at >= ? AND j.state IN ('successful', 'faulted', 'stopped')),
			(SELECT COUNT(*) FROM robots r WHERE r.account_id = a.id AND r.status = 'offline'),
			(SELECT COUNT(*) FROM robots r WHERE r.account_id = a.id)
		FROM accounts a
		LEFT JOIN connections c ON c.account_id = a.id
		LEFT JOIN sync_runs sr ON sr.id = (SELECT id FROM sync_runs WHERE account_id = a.id AND status != 'skipped_overlap'
			ORDER BY started_at DESC, id DESC LIMIT 1)
		WHERE a.tenant_id = ?`, day1, week, week, week, tenantID)
	if err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	defer rs.Close()
	out := []OverviewRow{} // never null in JSON
	for rs.Next() {
		var o OverviewRow
		var provider, syncStatus, syncEnded, syncError, lastOK sql.NullString
		if err := rs.Scan(&o.Account.ID, &o.Account.Slug, &o.Account.Name, &o.Account.Status, &provider,
			&syncStatus, &syncEnded, &syncError, &lastOK, &o.Failures24h, &o.Runs7d, &o.successful, &o.finished,
			&o.RobotsOffline, &o.Robots); err != nil {
			return nil, fmt.Errorf("overview: %w", err)
		}
		if provider.Valid {
			o.Provider = &provider.String
		}
		if syncStatus.Valid {
			o.LastSync = &LastSync{Status: syncStatus.String, EndedAt: timeOf(syncEnded), Error: syncError.String}
		}
		o.lastOK = timeOf(lastOK)
		if o.finished > 0 {
			rate := float64(o.successful) / float64(o.finished)
			o.SuccessRate7d = &rate
		}
		out = append(out, o)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("overview: %w", err)
	}
	return out, nil
}

// judge sets Health and Reasons by the thresholds above.
func (o *OverviewRow) judge(now time.Time) {
	var critical, warning []string
	if o.Account.Status != "active" {
		o.Health, o.Reasons = HealthUnknown, []string{"account deactivated"}
		return
	}
	if o.LastSync == nil && o.Runs7d == 0 && o.Robots == 0 {
		o.Health, o.Reasons = HealthUnknown, []string{"no data yet"}
		return
	}
	if o.LastSync != nil {
		switch o.LastSync.Status {
		case "failed", "timed_out", "interrupted":
			critical = append(critical, "last sync "+strings.ReplaceAll(o.LastSync.Status, "_", " "))
		case "cancelled":
			warning = append(warning, "last sync cancelled")
		}
	}
	if r := o.SuccessRate7d; r != nil && *r < CriticalRate {
		critical = append(critical, fmt.Sprintf("success rate %.0f%% in 7 days", *r*100))
	} else if r != nil && *r < WarningRate {
		warning = append(warning, fmt.Sprintf("success rate %.0f%% in 7 days", *r*100))
	}
	if o.Failures24h > 0 {
		warning = append(warning, fmt.Sprintf("%d failures in 24 h", o.Failures24h))
	}
	if o.Robots > 0 && o.RobotsOffline == o.Robots {
		critical = append(critical, "every robot offline")
	} else if o.RobotsOffline > 0 {
		warning = append(warning, fmt.Sprintf("%d robots offline", o.RobotsOffline))
	}
	if o.Provider != nil && (o.lastOK == nil || now.Sub(*o.lastOK) > StaleSync) {
		warning = append(warning, "no successful sync in the last hour")
	}
	switch {
	case len(critical) > 0:
		o.Health = HealthCritical
	case len(warning) > 0:
		o.Health = HealthWarning
	default:
		o.Health = HealthOK
	}
	o.Reasons = append(append([]string{}, critical...), warning...)
}

// overviewOrder compares rows for sort; every order ends on the name, so
// the list is stable between requests.
func overviewOrder(sort string) func(a, b OverviewRow) int {
	byName := func(a, b OverviewRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Account.Name), strings.ToLower(b.Account.Name)), cmp.Compare(a.Account.ID, b.Account.ID))
	}
	// rateKey sorts the lowest rate first and accounts without one last.
	rateKey := func(r *float64) float64 {
		if r == nil {
			return 2
		}
		return *r
	}
	switch sort {
	case "name":
		return byName
	case "failures":
		return func(a, b OverviewRow) int { return cmp.Or(cmp.Compare(b.Failures24h, a.Failures24h), byName(a, b)) }
	case "success_rate":
		return func(a, b OverviewRow) int {
			return cmp.Or(cmp.Compare(rateKey(a.SuccessRate7d), rateKey(b.SuccessRate7d)), byName(a, b))
		}
	case "last_sync":
		// Oldest first; never synced (or still running its first) before all.
		key := func(o OverviewRow) string {
			if o.LastSync == nil || o.LastSync.EndedAt == nil {
				return ""
			}
			return store.Time(*o.LastSync.EndedAt)
		}
		return func(a, b OverviewRow) int { return cmp.Or(cmp.Compare(key(a), key(b)), byName(a, b)) }
	}
	return func(a, b OverviewRow) int {
		return cmp.Or(cmp.Compare(healthRank[a.Health], healthRank[b.Health]), cmp.Compare(b.Failures24h, a.Failures24h),
			cmp.Compare(rateKey(a.SuccessRate7d), rateKey(b.SuccessRate7d)), byName(a, b))
	}
}
