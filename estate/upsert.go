// Package estate keeps each account's RPA estate — processes, robots,
// schedules, jobs — as synced from its provider or ingested through its API
// keys. Writes are upserts on (account, provider reference) that touch a row
// only when something a person would see changed, so syncing or ingesting
// the same data again changes nothing and says so.
package estate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"bureau/connector"
	"bureau/store"
)

// Sources of a record.
const (
	SourceSync   = "sync"
	SourceIngest = "ingest"
	SourceRun    = "run" // a job started from Bureau
)

// Scope names the account a write belongs to.
type Scope struct {
	TenantID  string
	AccountID string
}

func rawText(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

func timeText(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return store.Time(*t)
}

func affected(res sql.Result) int {
	n, _ := res.RowsAffected()
	return int(n)
}

// UpsertProcesses stores processes; it returns how many rows were added or
// changed.
func UpsertProcesses(ctx context.Context, tx *sql.Tx, sc Scope, ps []connector.Process, source string, now time.Time) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO processes (id, tenant_id, account_id, ref, name, description, folder, source, raw, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, ref) DO UPDATE SET name = excluded.name, description = excluded.description,
			folder = excluded.folder, raw = excluded.raw, updated_at = excluded.updated_at
		WHERE name IS NOT excluded.name OR description IS NOT excluded.description OR folder IS NOT excluded.folder`)
	if err != nil {
		return 0, fmt.Errorf("upsert processes: %w", err)
	}
	defer stmt.Close()
	at, changed := store.Time(now), 0
	for _, p := range ps {
		res, err := stmt.ExecContext(ctx, store.NewID(), sc.TenantID, sc.AccountID, p.Ref, p.Name, p.Description, p.Folder, source, rawText(p.Raw), at, at)
		if err != nil {
			return changed, fmt.Errorf("upsert process %s: %w", p.Ref, err)
		}
		changed += affected(res)
	}
	return changed, nil
}

// UpsertRobots stores robots; it returns how many rows were added or changed.
func UpsertRobots(ctx context.Context, tx *sql.Tx, sc Scope, rs []connector.Robot, source string, now time.Time) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO robots (id, tenant_id, account_id, ref, name, status, raw_status, machine, last_seen_at, source, raw, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, ref) DO UPDATE SET name = excluded.name, status = excluded.status, raw_status = excluded.raw_status,
			machine = excluded.machine, last_seen_at = excluded.last_seen_at, raw = excluded.raw, updated_at = excluded.updated_at
		WHERE name IS NOT excluded.name OR status IS NOT excluded.status OR raw_status IS NOT excluded.raw_status
			OR machine IS NOT excluded.machine OR last_seen_at IS NOT excluded.last_seen_at`)
	if err != nil {
		return 0, fmt.Errorf("upsert robots: %w", err)
	}
	defer stmt.Close()
	at, changed := store.Time(now), 0
	for _, r := range rs {
		status := r.Status
		if status == "" {
			status = connector.RobotUnknown
		}
		res, err := stmt.ExecContext(ctx, store.NewID(), sc.TenantID, sc.AccountID, r.Ref, r.Name, string(status), r.RawStatus, r.Machine,
			timeText(r.LastSeen), source, rawText(r.Raw), at, at)
		if err != nil {
			return changed, fmt.Errorf("upsert robot %s: %w", r.Ref, err)
		}
		changed += affected(res)
	}
	return changed, nil
}

// UpsertSchedules stores schedules; it returns how many rows were added or
// changed.
func UpsertSchedules(ctx context.Context, tx *sql.Tx, sc Scope, ss []connector.Schedule, now time.Time) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO schedules (id, tenant_id, account_id, ref, name, process_ref, process_name, enabled,
			cron, summary, timezone, next_run_at, raw, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, ref) DO UPDATE SET name = excluded.name, process_ref = excluded.process_ref,
			process_name = excluded.process_name, enabled = excluded.enabled, cron = excluded.cron, summary = excluded.summary,
			timezone = excluded.timezone, next_run_at = excluded.next_run_at, raw = excluded.raw, updated_at = excluded.updated_at
		WHERE name IS NOT excluded.name OR process_ref IS NOT excluded.process_ref OR process_name IS NOT excluded.process_name
			OR enabled IS NOT excluded.enabled OR cron IS NOT excluded.cron OR summary IS NOT excluded.summary
			OR timezone IS NOT excluded.timezone OR next_run_at IS NOT excluded.next_run_at`)
	if err != nil {
		return 0, fmt.Errorf("upsert schedules: %w", err)
	}
	defer stmt.Close()
	at, changed := store.Time(now), 0
	for _, s := range ss {
		enabled := 0
		if s.Enabled {
			enabled = 1
		}
		res, err := stmt.ExecContext(ctx, store.NewID(), sc.TenantID, sc.AccountID, s.Ref, s.Name, s.ProcessRef, s.ProcessName, enabled,
			s.Cron, s.Summary, s.Timezone, timeText(s.NextRunAt), rawText(s.Raw), at, at)
		if err != nil {
			return changed, fmt.Errorf("upsert schedule %s: %w", s.Ref, err)
		}
		changed += affected(res)
	}
	return changed, nil
}

// UpsertJobs stores jobs; it returns how many rows were added or changed. A
// job whose process is not known yet creates that process, named after the
// job's process name (or its reference), so no job is ever dropped.
func UpsertJobs(ctx context.Context, tx *sql.Tx, sc Scope, js []connector.Job, source string, now time.Time) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO jobs (id, tenant_id, account_id, ref, process_id, robot_ref, robot_name, state, raw_state,
			created_at, started_at, ended_at, vendor_updated_at, trigger, error, source, raw, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, ref) DO UPDATE SET process_id = excluded.process_id, robot_ref = excluded.robot_ref,
			robot_name = excluded.robot_name, state = excluded.state, raw_state = excluded.raw_state, started_at = excluded.started_at,
			ended_at = excluded.ended_at, vendor_updated_at = excluded.vendor_updated_at, trigger = excluded.trigger,
			error = excluded.error, raw = excluded.raw, updated_at = excluded.updated_at
		WHERE process_id IS NOT excluded.process_id OR robot_ref IS NOT excluded.robot_ref OR robot_name IS NOT excluded.robot_name
			OR state IS NOT excluded.state OR raw_state IS NOT excluded.raw_state OR started_at IS NOT excluded.started_at
			OR ended_at IS NOT excluded.ended_at OR trigger IS NOT excluded.trigger OR error IS NOT excluded.error`)
	if err != nil {
		return 0, fmt.Errorf("upsert jobs: %w", err)
	}
	defer stmt.Close()
	procs := processIDs{tx: tx, sc: sc, source: source, now: now, ids: map[string]string{}}
	at, changed := store.Time(now), 0
	for _, j := range js {
		if !j.State.Valid() {
			return changed, fmt.Errorf("upsert job %s: state %q is not a normalised state", j.Ref, j.State)
		}
		pid, err := procs.id(ctx, j.ProcessRef, j.ProcessName)
		if err != nil {
			return changed, err
		}
		updated := j.UpdatedAt
		if updated.IsZero() {
			updated = j.CreatedAt
		}
		res, err := stmt.ExecContext(ctx, store.NewID(), sc.TenantID, sc.AccountID, j.Ref, pid, j.RobotRef, j.RobotName, string(j.State), j.RawState,
			store.Time(j.CreatedAt), timeText(j.StartedAt), timeText(j.EndedAt), store.Time(updated), j.Trigger, j.Error, source, rawText(j.Raw), at)
		if err != nil {
			return changed, fmt.Errorf("upsert job %s: %w", j.Ref, err)
		}
		changed += affected(res)
	}
	return changed, nil
}

// processIDs resolves process references to ids within one write, creating
// unknown processes.
type processIDs struct {
	tx     *sql.Tx
	sc     Scope
	source string
	now    time.Time
	ids    map[string]string
}

func (p *processIDs) id(ctx context.Context, ref, name string) (string, error) {
	if id, ok := p.ids[ref]; ok {
		return id, nil
	}
	var id string
	err := p.tx.QueryRowContext(ctx, `SELECT id FROM processes WHERE account_id = ? AND ref = ?`, p.sc.AccountID, ref).Scan(&id)
	if err == sql.ErrNoRows {
		if name == "" {
			name = ref
		}
		source := p.source
		if source == SourceRun {
			source = SourceSync
		}
		id = store.NewID()
		at := store.Time(p.now)
		_, err = p.tx.ExecContext(ctx, `INSERT INTO processes (id, tenant_id, account_id, ref, name, source, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, p.sc.TenantID, p.sc.AccountID, ref, name, source, at, at)
	}
	if err != nil {
		return "", fmt.Errorf("process %s of a job: %w", ref, err)
	}
	p.ids[ref] = id
	return id, nil
}
