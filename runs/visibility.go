package runs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bureau/apperr"
	"bureau/store"
)

// process is a process of the account that a run starts.
type process struct {
	ID   string
	Ref  string
	Name string
}

// assignedTo is the SQL condition "process p.id is assigned to the user,
// directly, through one of their groups in this account, or through the
// account's Everyone group (implicit: it has no member rows)" (ISO-12).
// Its arguments, in order: account id, user id, account id, account id,
// user id.
const assignedTo = `EXISTS (SELECT 1 FROM process_assignees pa
	WHERE pa.account_id = ? AND pa.process_id = p.id AND (pa.user_id = ?
		OR pa.group_id IN (SELECT g.id FROM groups g WHERE g.account_id = ? AND g.builtin = 'everyone')
		OR pa.group_id IN (SELECT gm.group_id FROM group_members gm JOIN memberships m ON m.id = gm.membership_id
			WHERE gm.account_id = ? AND m.user_id = ? AND m.status = 'active')))`

// visibility returns the condition on processes p that limits a restricted
// caller to their assigned processes, and its arguments; for anyone else
// it is always true.
func visibility(c Caller, accountID string) (string, []any) {
	if !c.Restricted {
		return "1 = 1", nil
	}
	return assignedTo, []any{accountID, c.UserID, accountID, accountID, c.UserID}
}

// visibleProcess finds the process in the account, as the caller may see
// it: another account's process and an unassigned one look missing (404).
func visibleProcess(ctx context.Context, q store.Querier, c Caller, accountID, processID string) (process, error) {
	cond, args := visibility(c, accountID)
	var p process
	err := q.QueryRowContext(ctx, `SELECT p.id, p.ref, p.name FROM processes p
		WHERE p.account_id = ? AND p.id = ? AND `+cond, append([]any{accountID, processID}, args...)...).Scan(&p.ID, &p.Ref, &p.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.NotFound()
	}
	if err != nil {
		return p, fmt.Errorf("process %s: %w", processID, err)
	}
	return p, nil
}
