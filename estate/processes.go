package estate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bureau/apperr"
	"bureau/store"
)

// Process is one process as the API shows it, with its recent activity.
type Process struct {
	ID          string     `json:"id"`
	Ref         string     `json:"ref"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Folder      string     `json:"folder"`
	Source      string     `json:"source"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastJob     *JobBrief  `json:"last_job"`
	Runs7d      int        `json:"runs_7d"`
	Failures7d  int        `json:"failures_7d"`
	Assignees   *Assignees `json:"assignees,omitempty"` // only for callers who may assign
}

// JobBrief is a process's latest job.
type JobBrief struct {
	ID        string    `json:"id"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// Assignees are who a process is assigned to (ISO-12).
type Assignees struct {
	UserIDs  []string `json:"user_ids"`
	GroupIDs []string `json:"group_ids"`
}

// ProcessQuery selects processes: Q matches names; WithAssignees adds who
// each is assigned to (for callers with processes:assign).
type ProcessQuery struct {
	Q             string
	WithAssignees bool
	Page          Page
}

// processSelect reads a process with its last job and 7-day figures. The
// figures are correlated subqueries on (account_id, process_id, created_at),
// so a page costs a few index range reads per process, not a jobs scan.
const processSelect = `SELECT p.id, p.ref, p.name, p.description, p.folder, p.source, p.created_at, p.updated_at,
	lj.id, lj.state, lj.created_at,
	(SELECT COUNT(*) FROM jobs j WHERE j.account_id = p.account_id AND j.process_id = p.id AND j.created_at >= ?),
	(SELECT COUNT(*) FROM jobs j WHERE j.account_id = p.account_id AND j.process_id = p.id AND j.created_at >= ? AND j.state = 'faulted')
	FROM processes p
	LEFT JOIN jobs lj ON lj.id = (SELECT j.id FROM jobs j WHERE j.account_id = p.account_id AND j.process_id = p.id
		ORDER BY j.created_at DESC, j.id DESC LIMIT 1)`

// ListProcesses returns the account's processes that v may see, sorted by
// name (case-insensitively), a page at a time.
func ListProcesses(ctx context.Context, db *store.DB, tenantID, accountID string, v Viewer, q ProcessQuery, now time.Time) ([]Process, string, error) {
	key, err := q.Page.cursorKey(2)
	if err != nil {
		return nil, "", err
	}
	since := store.Time(now.Add(-7 * day))
	visible, vargs := VisibleProcessesSQL("p.id", accountID, v)
	where := []string{"p.tenant_id = ?", "p.account_id = ?", visible}
	args := append([]any{since, since, tenantID, accountID}, vargs...)
	if s := strings.TrimSpace(q.Q); s != "" {
		where = append(where, `p.name LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(s))
	}
	if key != nil {
		where = append(where, "(lower(p.name), p.id) > (?, ?)")
		args = append(args, key[0], key[1])
	}
	limit := q.Page.limit()
	args = append(args, limit+1)
	rows, err := db.R.QueryContext(ctx, processSelect+` WHERE `+strings.Join(where, " AND ")+`
		ORDER BY lower(p.name), p.id LIMIT ?`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list processes: %w", err)
	}
	out, err := scanProcesses(rows)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = store.EncodeCursor(strings.ToLower(last.Name), last.ID)
	}
	if q.WithAssignees {
		if err := addAssignees(ctx, db.R, accountID, out); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// GetProcess returns one process v may see; any other is not found (ISO-04).
func GetProcess(ctx context.Context, db store.Querier, tenantID, accountID, processID string, v Viewer, withAssignees bool, now time.Time) (Process, error) {
	since := store.Time(now.Add(-7 * day))
	visible, vargs := VisibleProcessesSQL("p.id", accountID, v)
	args := append([]any{since, since, tenantID, accountID, processID}, vargs...)
	rows, err := db.QueryContext(ctx, processSelect+` WHERE p.tenant_id = ? AND p.account_id = ? AND p.id = ? AND `+visible, args...)
	if err != nil {
		return Process{}, fmt.Errorf("get process: %w", err)
	}
	out, err := scanProcesses(rows)
	if err != nil {
		return Process{}, err
	}
	if len(out) == 0 {
		return Process{}, apperr.NotFound()
	}
	if withAssignees {
		if err := addAssignees(ctx, db, accountID, out); err != nil {
			return Process{}, err
		}
	}
	return out[0], nil
}

func scanProcesses(rows *sql.Rows) ([]Process, error) {
	defer rows.Close()
	out := []Process{}
	for rows.Next() {
		var p Process
		var created, updated string
		var ljID, ljState, ljCreated sql.NullString
		if err := rows.Scan(&p.ID, &p.Ref, &p.Name, &p.Description, &p.Folder, &p.Source, &created, &updated,
			&ljID, &ljState, &ljCreated, &p.Runs7d, &p.Failures7d); err != nil {
			return nil, fmt.Errorf("scan process: %w", err)
		}
		p.CreatedAt, p.UpdatedAt = store.MustTime(created), store.MustTime(updated)
		if ljID.Valid {
			p.LastJob = &JobBrief{ID: ljID.String, State: ljState.String, CreatedAt: store.MustTime(ljCreated.String)}
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scan processes: %w", err)
	}
	return out, nil
}

// addAssignees fills in who each process is assigned to, in one query.
func addAssignees(ctx context.Context, db store.Querier, accountID string, ps []Process) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[string]*Assignees, len(ps))
	ids := make([]any, 0, len(ps)+1)
	ids = append(ids, accountID)
	for i := range ps {
		ps[i].Assignees = &Assignees{UserIDs: []string{}, GroupIDs: []string{}}
		byID[ps[i].ID] = ps[i].Assignees
		ids = append(ids, ps[i].ID)
	}
	rows, err := db.QueryContext(ctx, `SELECT process_id, COALESCE(user_id, ''), COALESCE(group_id, '') FROM process_assignees
		WHERE account_id = ? AND process_id IN (?`+strings.Repeat(", ?", len(ps)-1)+`)
		ORDER BY process_id, user_id, group_id`, ids...)
	if err != nil {
		return fmt.Errorf("process assignees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, uid, gid string
		if err := rows.Scan(&pid, &uid, &gid); err != nil {
			return fmt.Errorf("process assignees: %w", err)
		}
		a := byID[pid]
		if uid != "" {
			a.UserIDs = append(a.UserIDs, uid)
		} else {
			a.GroupIDs = append(a.GroupIDs, gid)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("process assignees: %w", err)
	}
	return nil
}

// errNoRows reports sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
