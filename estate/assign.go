package estate

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"bureau/apperr"
	"bureau/audit"
	"bureau/store"
)

// MaxAssignees bounds one assignment request; an account has far fewer
// people and groups than this.
const MaxAssignees = 1000

// AssignInput replaces who a process is assigned to. Both lists are
// required, so a client that sends only one cannot clear the other by
// accident.
type AssignInput struct {
	UserIDs  []string `json:"user_ids"`
	GroupIDs []string `json:"group_ids"`
}

// SetAssignments replaces the process's assignees: people who are members of
// the account (active or invited) and groups of the account. It answers 404
// for a process outside the account and 422 per bad entry, and writes the
// change and its audit event (process.assign) in one transaction.
func SetAssignments(ctx context.Context, db *store.DB, actor audit.Actor, tenantID, accountID, processID string, in AssignInput, now time.Time) (Process, error) {
	users, groups := dedupe(in.UserIDs), dedupe(in.GroupIDs)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM processes WHERE tenant_id = ? AND account_id = ? AND id = ?`,
			tenantID, accountID, processID).Scan(&name)
		if errNoRows(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return fmt.Errorf("assign process: %w", err)
		}
		if err := checkAssignees(ctx, tx, tenantID, accountID, in); err != nil {
			return err
		}
		before, err := currentAssignees(ctx, tx, accountID, processID)
		if err != nil {
			return err
		}
		if err := replaceAssignees(ctx, tx, tenantID, accountID, processID, users, groups, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor.Event(tenantID, accountID, "process.assign", "process", processID, map[string]any{
			"name":   name,
			"before": map[string]any{"user_ids": before.UserIDs, "group_ids": before.GroupIDs},
			"after":  map[string]any{"user_ids": users, "group_ids": groups},
		}, now))
	})
	if err != nil {
		return Process{}, err
	}
	return GetProcess(ctx, db.R, tenantID, accountID, processID, Viewer{AllProcesses: true}, true, now)
}

// checkAssignees validates the lists against the account, per entry, so the
// form can point at the one bad person or group.
func checkAssignees(ctx context.Context, tx *sql.Tx, tenantID, accountID string, in AssignInput) error {
	var errs apperr.Fields
	if in.UserIDs == nil {
		errs.Add("user_ids", "required", "Send the list of people, empty for none.")
	}
	if in.GroupIDs == nil {
		errs.Add("group_ids", "required", "Send the list of groups, empty for none.")
	}
	if len(in.UserIDs) > MaxAssignees {
		errs.Add("user_ids", "too_many", fmt.Sprintf("Assign at most %d people.", MaxAssignees))
	}
	if len(in.GroupIDs) > MaxAssignees {
		errs.Add("group_ids", "too_many", fmt.Sprintf("Assign at most %d groups.", MaxAssignees))
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	for i, id := range in.UserIDs {
		var ok int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE tenant_id = ? AND account_id = ? AND user_id = ?
			AND status IN ('active', 'pending')`, tenantID, accountID, id).Scan(&ok)
		if err != nil {
			return fmt.Errorf("check assignee: %w", err)
		}
		if ok == 0 {
			errs.Add(fmt.Sprintf("user_ids[%d]", i), "user_not_member", "This person is not a member of the account.")
		}
	}
	for i, id := range in.GroupIDs {
		var ok int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM groups WHERE tenant_id = ? AND account_id = ? AND id = ?`,
			tenantID, accountID, id).Scan(&ok)
		if err != nil {
			return fmt.Errorf("check assignee: %w", err)
		}
		if ok == 0 {
			errs.Add(fmt.Sprintf("group_ids[%d]", i), "group_not_found", "This group is not one of the account's groups.")
		}
	}
	return errs.Err()
}

func currentAssignees(ctx context.Context, tx *sql.Tx, accountID, processID string) (Assignees, error) {
	ps := []Process{{ID: processID}}
	if err := addAssignees(ctx, tx, accountID, ps); err != nil {
		return Assignees{}, err
	}
	return *ps[0].Assignees, nil
}

func replaceAssignees(ctx context.Context, tx *sql.Tx, tenantID, accountID, processID string, users, groups []string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM process_assignees WHERE account_id = ? AND process_id = ?`, accountID, processID); err != nil {
		return fmt.Errorf("assign process: %w", err)
	}
	at := store.Time(now)
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO process_assignees (tenant_id, account_id, process_id, user_id, created_at)
			VALUES (?, ?, ?, ?, ?)`, tenantID, accountID, processID, u, at); err != nil {
			return fmt.Errorf("assign process: %w", err)
		}
	}
	for _, g := range groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO process_assignees (tenant_id, account_id, process_id, group_id, created_at)
			VALUES (?, ?, ?, ?, ?)`, tenantID, accountID, processID, g, at); err != nil {
			return fmt.Errorf("assign process: %w", err)
		}
	}
	return nil
}

// dedupe returns the distinct ids, sorted, never nil.
func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}
