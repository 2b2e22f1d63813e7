package estate

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/connector"
	"bureau/store"
)

// Job is one execution as the API lists it.
type Job struct {
	ID              string     `json:"id"`
	Ref             string     `json:"ref"`
	Process         ProcessRef `json:"process"`
	RobotRef        string     `json:"robot_ref"`
	RobotName       string     `json:"robot_name"`
	State           string     `json:"state"`
	RawState        string     `json:"raw_state"`
	CreatedAt       time.Time  `json:"created_at"`
	StartedAt       *time.Time `json:"started_at"`
	EndedAt         *time.Time `json:"ended_at"`
	DurationSeconds *float64   `json:"duration_seconds"`
	Trigger         string     `json:"trigger"`
	Error           string     `json:"error"`
	Source          string     `json:"source"`
}

// JobDetail is one job with what only its detail page shows.
type JobDetail struct {
	Job
	VendorUpdatedAt time.Time       `json:"vendor_updated_at"`
	Raw             json.RawMessage `json:"raw"` // the vendor's own object, or null
}

// ProcessRef names a job's process.
type ProcessRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// JobFilter narrows the jobs list. From is inclusive, To exclusive, both on
// the job's creation time.
type JobFilter struct {
	States    []string
	ProcessID string
	RobotRef  string
	From, To  *time.Time
}

// ParseJobFilter reads the list's query parameters (state: one or a comma
// list of normalised states; process: a process id; robot: a robot ref;
// from/to: RFC 3339 times or YYYY-MM-DD dates, where a `to` date includes
// that whole day). Anything else is a 400 filter_invalid naming the field.
func ParseJobFilter(get func(key string) string) (JobFilter, error) {
	var f JobFilter
	if raw := strings.TrimSpace(get("state")); raw != "" {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if !connector.State(s).Valid() {
				return f, filterInvalid("state", fmt.Sprintf("%q is not a job state; use pending, running, successful, faulted, stopped or suspended.", s))
			}
			f.States = append(f.States, s)
		}
	}
	f.ProcessID, f.RobotRef = strings.TrimSpace(get("process")), strings.TrimSpace(get("robot"))
	var err error
	if f.From, err = parseBound("from", get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = parseBound("to", get("to"), true); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, filterInvalid("to", "to must be after from.")
	}
	return f, nil
}

func parseBound(field, raw string, endOfDay bool) (*time.Time, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		t = t.UTC()
		return &t, nil
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return nil, filterInvalid(field, field+" must be an RFC 3339 time (2026-11-24T09:00:00Z) or a date (2026-11-24).")
	}
	if endOfDay {
		t = t.Add(day)
	}
	return &t, nil
}

// jobColumns are a job's listed fields, read from j joined with its process p.
const jobColumns = `j.id, j.ref, p.id, p.name, j.robot_ref, j.robot_name, j.state, j.raw_state, j.created_at,
	j.started_at, j.ended_at, j.trigger, j.error, j.source`

// jobsWhere builds the shared WHERE of the list and the export: the account,
// the viewer's processes (ISO-12) and the filter.
func jobsWhere(tenantID, accountID string, v Viewer, f JobFilter) (string, []any) {
	visible, vargs := VisibleProcessesSQL("j.process_id", accountID, v)
	where := []string{"j.account_id = ?", inTenant, visible}
	args := append([]any{accountID, accountID, tenantID}, vargs...)
	if len(f.States) > 0 {
		where = append(where, "j.state IN (?"+strings.Repeat(", ?", len(f.States)-1)+")")
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if f.ProcessID != "" {
		where = append(where, "j.process_id = ?")
		args = append(args, f.ProcessID)
	}
	if f.RobotRef != "" {
		where = append(where, "j.robot_ref = ?")
		args = append(args, f.RobotRef)
	}
	if f.From != nil {
		where = append(where, "j.created_at >= ?")
		args = append(args, store.Time(*f.From))
	}
	if f.To != nil {
		where = append(where, "j.created_at < ?")
		args = append(args, store.Time(*f.To))
	}
	return strings.Join(where, " AND "), args
}

// ListJobs returns the jobs v may see, newest first (created_at, id
// descending), a page at a time. The cursor is the last row's (created_at,
// id), so a deep page is one index seek, and rows arriving meanwhile neither
// repeat nor skip rows across pages.
//
// Several states are read one state at a time and merged: each state's
// newest rows are one seek on the (account_id, state, created_at, id)
// index, where one query over the state list would scan the whole account
// when the states are rare (pending, suspended).
func ListJobs(ctx context.Context, db *store.DB, tenantID, accountID string, v Viewer, f JobFilter, page Page) ([]Job, string, error) {
	key, err := page.cursorKey(2)
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	// One snapshot for every state's read.
	tx, err := db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", fmt.Errorf("list jobs: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read only: nothing to keep

	out := []Job{} // [] in JSON, never null
	for _, one := range splitStates(f) {
		js, err := pageOfJobs(ctx, tx, tenantID, accountID, v, one, key, limit+1)
		if err != nil {
			return nil, "", err
		}
		out = append(out, js...)
	}
	if len(f.States) > 1 {
		slices.SortFunc(out, func(a, b Job) int {
			return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
		})
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = store.EncodeCursor(store.Time(last.CreatedAt), last.ID)
	}
	return out, next, nil
}

// splitStates turns a filter on several states into one filter per state.
func splitStates(f JobFilter) []JobFilter {
	if len(f.States) <= 1 {
		return []JobFilter{f}
	}
	var out []JobFilter
	for _, s := range slices.Compact(slices.Sorted(slices.Values(f.States))) {
		one := f
		one.States = []string{s}
		out = append(out, one)
	}
	return out
}

// pageOfJobs reads up to n jobs after the cursor key (nil: from the newest).
func pageOfJobs(ctx context.Context, q store.Querier, tenantID, accountID string, v Viewer, f JobFilter, key []string, n int) ([]Job, error) {
	where, args := jobsWhere(tenantID, accountID, v, f)
	if key != nil {
		// The expanded form lets SQLite seek on created_at in the index.
		where += " AND j.created_at <= ? AND (j.created_at < ? OR j.id < ?)"
		args = append(args, key[0], key[0], key[1])
	}
	rows, err := q.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs j
		JOIN processes p ON p.account_id = j.account_id AND p.id = j.process_id
		WHERE `+where+` ORDER BY j.created_at DESC, j.id DESC LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	out := []Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return out, nil
}

// GetJob returns one job v may see, with the vendor's raw object; a job of a
// process the viewer may not see is not found, like a missing one.
func GetJob(ctx context.Context, db *store.DB, tenantID, accountID, jobID string, v Viewer) (JobDetail, error) {
	visible, vargs := VisibleProcessesSQL("j.process_id", accountID, v)
	args := append([]any{accountID, accountID, tenantID, jobID}, vargs...)
	row := db.R.QueryRowContext(ctx, `SELECT `+jobColumns+`, j.vendor_updated_at, j.raw FROM jobs j
		JOIN processes p ON p.account_id = j.account_id AND p.id = j.process_id
		WHERE j.account_id = ? AND `+inTenant+` AND j.id = ? AND `+visible, args...)
	var d JobDetail
	var vendorUpdated string
	var raw sql.NullString
	var err error
	d.Job, err = scanJob(row, &vendorUpdated, &raw)
	if errNoRows(err) {
		return JobDetail{}, apperr.NotFound()
	}
	if err != nil {
		return JobDetail{}, err
	}
	d.VendorUpdatedAt = store.MustTime(vendorUpdated)
	d.Raw = json.RawMessage("null")
	if raw.Valid && json.Valid([]byte(raw.String)) {
		d.Raw = json.RawMessage(raw.String)
	}
	return d, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanJob(r scanner, extra ...any) (Job, error) {
	var j Job
	var created string
	var started, ended sql.NullString
	dest := append([]any{&j.ID, &j.Ref, &j.Process.ID, &j.Process.Name, &j.RobotRef, &j.RobotName, &j.State, &j.RawState,
		&created, &started, &ended, &j.Trigger, &j.Error, &j.Source}, extra...)
	if err := r.Scan(dest...); err != nil {
		if errNoRows(err) {
			return j, err
		}
		return j, fmt.Errorf("scan job: %w", err)
	}
	j.CreatedAt, j.StartedAt, j.EndedAt = store.MustTime(created), timeOf(started), timeOf(ended)
	if j.StartedAt != nil && j.EndedAt != nil {
		d := j.EndedAt.Sub(*j.StartedAt).Seconds()
		j.DurationSeconds = &d
	}
	return j, nil
}

// JobByRef reads the job with the vendor's reference ref, inside q (a
// transaction that just wrote it, say).
func JobByRef(ctx context.Context, q store.Querier, accountID, ref string) (Job, error) {
	row := q.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs j
		JOIN processes p ON p.account_id = j.account_id AND p.id = j.process_id
		WHERE j.account_id = ? AND j.ref = ?`, accountID, ref)
	j, err := scanJob(row)
	if err != nil {
		return j, fmt.Errorf("job %s: %w", ref, err)
	}
	return j, nil
}
