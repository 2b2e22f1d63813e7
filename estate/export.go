package estate

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"bureau/apperr"
	"bureau/csvsafe"
	"bureau/store"
)

// MaxExportJobs bounds one CSV export; a wider one is refused before a byte
// is written, so nobody gets a silently truncated file.
const MaxExportJobs = 100_000

// jobsCSVHeader names the export's columns.
var jobsCSVHeader = []string{"id", "ref", "process_id", "process_name", "robot_ref", "robot_name", "state", "raw_state",
	"created_at", "started_at", "ended_at", "duration_seconds", "trigger", "error", "source"}

// ExportJobsCSV writes the jobs v may see that match f, newest first, as CSV
// with every cell formula-safe (csvsafe). It reads at most MaxExportJobs
// rows; more is a 422 export_too_large asking for a narrower filter. w
// should be a buffer: on that error part of the file may have been written.
func ExportJobsCSV(ctx context.Context, db *store.DB, w io.Writer, tenantID, accountID string, v Viewer, f JobFilter) (int, error) {
	where, args := jobsWhere(tenantID, accountID, v, f)
	rows, err := db.R.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs j
		JOIN processes p ON p.account_id = j.account_id AND p.id = j.process_id
		WHERE `+where+` ORDER BY j.created_at DESC, j.id DESC LIMIT ?`, append(args, MaxExportJobs+1)...)
	if err != nil {
		return 0, fmt.Errorf("export jobs: %w", err)
	}
	defer rows.Close()
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(jobsCSVHeader...); err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		if n == MaxExportJobs {
			return n, apperr.Invalid("export_too_large",
				fmt.Sprintf("More than %d jobs match; narrow the dates or add a filter.", MaxExportJobs))
		}
		j, err := scanJob(rows)
		if err != nil {
			return n, err
		}
		if err := cw.Write(jobRecord(j)...); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export jobs: %w", err)
	}
	return n, cw.Flush()
}

func jobRecord(j Job) []string {
	duration := ""
	if j.DurationSeconds != nil {
		duration = strconv.FormatFloat(*j.DurationSeconds, 'f', -1, 64)
	}
	return []string{j.ID, j.Ref, j.Process.ID, j.Process.Name, j.RobotRef, j.RobotName, j.State, j.RawState,
		csvTime(&j.CreatedAt), csvTime(j.StartedAt), csvTime(j.EndedAt), duration, j.Trigger, j.Error, j.Source}
}

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
